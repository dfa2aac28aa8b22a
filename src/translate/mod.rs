//! The translators' round trip: every translatable text of the content as
//! an XLIFF 1.2 unit (`polku translate export`), and the translations put
//! back into the language files and TOML fields (`polku translate import`).
//!
//! A path's texts come from its language files (`fi.md`, `sv.md`, …): the
//! title and summary, the introduction, and each phase's heading, text,
//! instructions and guidance per segment. The short texts come from the
//! TOML files (`name.fi`, `label.sv`, …). Markdown markup is kept as codes
//! the translator moves but cannot change (`inline`).

mod inline;
mod markdown;
mod toml_texts;
mod xliff;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path as FsPath, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::check::fingerprint;
use crate::output::write_file_atomically;
use crate::content::{Lang, Path, Site};
use crate::diagnostics::{Diagnostic, SourceFile};
use inline::Piece;
use markdown::{insert_block, Edit, Layout};

/// Which units an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Only {
    /// Texts with no translation.
    Missing,
    /// Translations whose source changed after they were confirmed, or
    /// that were never confirmed.
    Stale,
    /// Missing and stale: what needs a translator.
    #[default]
    Todo,
    /// Every text, current translations included (for a translation memory).
    All,
}

/// Where a text's translation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Translated and confirmed against the current source.
    Current,
    /// Translated, but the source changed since (or it was never confirmed).
    Stale,
    /// Not translated.
    Missing,
}

/// One text to translate.
#[derive(Debug, Clone)]
struct Unit {
    /// Stable within its file: `title`, `phase.yhteydenotto.body`,
    /// `channel[chat].name`.
    id: String,
    source: Vec<Piece>,
    /// The current translation, its codes numbered as the source's.
    target: Option<Vec<Piece>>,
    state: State,
    notes: Vec<String>,
    /// A heading, title or TOML text: one line.
    one_line: bool,
}

/// The units of one content file.
#[derive(Debug)]
struct UnitFile {
    /// The file, relative to the content folder, with `/`: `paths/x/fi.md`.
    original: String,
    kind: Kind,
    units: Vec<Unit>,
}

#[derive(Debug)]
enum Kind {
    /// A path's source-language file; the translation goes to `target`.
    Path { id: String, target: PathBuf },
    /// A TOML file; the translation goes into it.
    Toml { file: PathBuf },
}

/// Units per language and state, for the preview's status page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub current: usize,
    pub stale: usize,
    pub missing: usize,
}

/// What an export holds.
#[derive(Debug)]
pub struct Export {
    /// The XLIFF document; `None` when no unit matched.
    pub xliff: Option<String>,
    pub files: usize,
    pub counts: Counts,
}

/// What an import changed.
#[derive(Debug, Default)]
pub struct Imported {
    /// Units read with a translation.
    pub translated: usize,
    /// Files written (only those whose bytes changed).
    pub written: Vec<PathBuf>,
    /// Paths whose translation was confirmed (`translation_of`).
    pub confirmed: Vec<String>,
}

/// TOML files with per-language texts, besides each path's `path.toml`.
const TOML_FILES: &[&str] = &[
    "site.toml",
    "segments.toml",
    "topics.toml",
    "channels.toml",
    "links.toml",
];

/// Counts of current, stale and missing units for `lang`.
pub fn counts(site: &Site, lang: Lang) -> Result<Counts, Diagnostic> {
    let files = collect(site, lang)?;
    Ok(count(files.iter().flat_map(|f| &f.units)))
}

fn count<'a>(units: impl Iterator<Item = &'a Unit>) -> Counts {
    let mut c = Counts::default();
    for u in units {
        match u.state {
            State::Current => c.current += 1,
            State::Stale => c.stale += 1,
            State::Missing => c.missing += 1,
        }
    }
    c
}

/// The units for `to` that `only` selects, as XLIFF 1.2.
pub fn export(site: &Site, to: Lang, only: Only) -> Result<Export, Diagnostic> {
    let mut files = collect(site, to)?;
    for file in &mut files {
        file.units.retain(|u| match only {
            Only::Missing => u.state == State::Missing,
            Only::Stale => u.state == State::Stale,
            Only::Todo => u.state != State::Current,
            Only::All => true,
        });
    }
    files.retain(|f| !f.units.is_empty());
    let counts = count(files.iter().flat_map(|f| &f.units));
    let header = vec![
        "Made by polku from the site's content. Translate each <source> into <target>; leave units you do not translate without a target.".to_string(),
        "The <ph> codes are Markdown: link brackets and addresses, emphasis, list items and paragraph breaks. Keep every code, and move it with the words it belongs to.".to_string(),
    ];
    let refs: Vec<&UnitFile> = files.iter().collect();
    Ok(Export {
        xliff: (!files.is_empty())
            .then(|| xliff::write(&refs, site.config.default_lang(), to, &header)),
        files: files.len(),
        counts,
    })
}

/// A file's text without its byte-order mark and with `\n` line endings,
/// and how to give them back.
struct Plain {
    text: String,
    bom: bool,
    crlf: bool,
}

impl Plain {
    fn of(raw: &str) -> Plain {
        let (bom, body) = match raw.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let crlf = body.contains("\r\n");
        Plain {
            text: if crlf { body.replace("\r\n", "\n") } else { body.to_string() },
            bom,
            crlf,
        }
    }

    fn read(file: &FsPath) -> Result<Plain, Diagnostic> {
        let bytes = crate::content::read_bytes(file)?;
        let raw = String::from_utf8(bytes).map_err(|_| {
            Diagnostic::file_level(
                crate::diagnostics::Severity::Error,
                "encoding",
                file,
                "the file is not valid UTF-8 text",
            )
        })?;
        Ok(Plain::of(&raw))
    }

    /// `text` with this file's byte-order mark and line endings.
    fn restore(&self, text: &str) -> String {
        let body = if self.crlf { text.replace('\n', "\r\n") } else { text.to_string() };
        if self.bom {
            format!("\u{feff}{body}")
        } else {
            body
        }
    }
}

fn relative(site: &Site, file: &FsPath) -> String {
    let rel = file.strip_prefix(&site.root).unwrap_or(file);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every translatable text of the site, with its translation into `to`.
fn collect(site: &Site, to: Lang) -> Result<Vec<UnitFile>, Diagnostic> {
    let from = site.config.default_lang();
    let rules = rules_note(site, to);
    let mut files = Vec::new();
    for name in TOML_FILES {
        let file = site.root.join(name);
        if !file.exists() {
            continue;
        }
        files.push(toml_units(site, &file, from, to, &[], &rules)?);
    }
    for path in &site.paths {
        files.push(toml_units(site, &path.dir.join("path.toml"), from, to, &["owner"], &rules)?);
        files.push(path_units(site, path, from, to, &rules)?);
    }
    files.retain(|f| !f.units.is_empty());
    Ok(files)
}

fn toml_units(
    site: &Site,
    file: &FsPath,
    from: Lang,
    to: Lang,
    plain: &[&str],
    rules: &str,
) -> Result<UnitFile, Diagnostic> {
    let text = Plain::read(file)?.text;
    let doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| SourceFile::new(file, text.as_str()).error("toml-syntax", 0..0, format!("{e}")))?;
    let original = relative(site, file);
    let units = toml_texts::texts(&doc, from, to, plain)
        .into_iter()
        .map(|t| Unit {
            notes: vec![toml_note(&original, &t.table, &t.field, &t.key), rules.to_string()],
            state: if t.target.is_some() { State::Current } else { State::Missing },
            source: inline::plain(&t.source),
            target: t.target.as_deref().map(inline::plain),
            id: t.key,
            one_line: true,
        })
        .collect();
    Ok(UnitFile {
        original,
        kind: Kind::Toml { file: file.to_path_buf() },
        units,
    })
}

/// The texts of a path file, by unit id, in file order.
fn md_texts(text: &str, layout: &Layout) -> Vec<(String, String)> {
    let at = |r: &std::ops::Range<usize>| text[r.clone()].to_string();
    let mut out = Vec::new();
    out.extend(layout.title.clone().map(|t| ("title".to_string(), t)));
    out.extend(layout.summary.clone().map(|t| ("summary".to_string(), t)));
    out.push(("intro".into(), at(&layout.intro)));
    for p in &layout.phases {
        out.push((format!("phase.{}.title", p.id), at(&p.title)));
        out.push((format!("phase.{}.body", p.id), at(&p.body)));
        if let Some((title, body)) = &p.instructions {
            out.push((format!("phase.{}.instructions.title", p.id), at(title)));
            out.push((format!("phase.{}.instructions", p.id), at(body)));
        }
        for (segment, body) in &p.guidance {
            out.push((format!("phase.{}.guidance.{segment}", p.id), at(body)));
        }
    }
    out.retain(|(_, t)| !t.trim().is_empty());
    out
}

fn is_markdown(id: &str) -> bool {
    !matches!(id, "title" | "summary")
}

fn is_one_line(id: &str) -> bool {
    matches!(id, "title" | "summary") || id.ends_with(".title")
}

fn path_units(site: &Site, path: &Path, from: Lang, to: Lang, rules: &str) -> Result<UnitFile, Diagnostic> {
    let source_file = path.dir.join(format!("{}.md", from.code()));
    let source = Plain::read(&source_file)?.text;
    let layout = markdown::layout(&source).ok_or_else(|| no_front_matter(&source_file))?;
    let target_file = path.dir.join(format!("{}.md", to.code()));
    let target: Option<(String, Layout)> = match path.texts.get(&to) {
        Some(_) => {
            let text = Plain::read(&target_file)?.text;
            let layout = markdown::layout(&text).ok_or_else(|| no_front_matter(&target_file))?;
            Some((text, layout))
        }
        None => None,
    };
    let targets: HashMap<String, String> = target
        .as_ref()
        .map(|(text, layout)| md_texts(text, layout).into_iter().collect())
        .unwrap_or_default();
    let confirmed = match (path.texts.get(&to), path.texts.get(&from)) {
        (Some(t), Some(s)) => t.translation_of.as_deref() == Some(fingerprint(s).as_str()),
        _ => false,
    };
    let phase_count = layout.phases.len();
    let units = md_texts(&source, &layout)
        .into_iter()
        .map(|(id, text)| {
            let (source, target) = if is_markdown(&id) {
                let source = inline::split(&text);
                let target = targets.get(&id).and_then(|t| inline::align(&source, &inline::split(t)));
                (source, target)
            } else {
                (inline::plain(&text), targets.get(&id).map(|t| inline::plain(t)))
            };
            let state = match (&target, targets.contains_key(&id), confirmed) {
                (_, false, _) => State::Missing,
                (Some(_), true, true) => State::Current,
                _ => State::Stale,
            };
            let mut notes = vec![path_note(site, path, &id, phase_count), rules.to_string()];
            if state == State::Stale {
                notes.push(if target.is_some() {
                    "The source text has changed since this translation was confirmed, or it was never confirmed: check the translation against the source.".to_string()
                } else {
                    "The current translation's markup (links, emphasis, list items) does not line up with the source's, so it is not offered as a target: translate from the source.".to_string()
                });
            }
            Unit {
                one_line: is_one_line(&id),
                id,
                source,
                target,
                state,
                notes,
            }
        })
        .collect();
    Ok(UnitFile {
        original: relative(site, &source_file),
        kind: Kind::Path {
            id: path.id.clone(),
            target: target_file,
        },
        units,
    })
}

fn no_front_matter(file: &FsPath) -> Diagnostic {
    Diagnostic::file_level(
        crate::diagnostics::Severity::Error,
        "missing-front-matter",
        file,
        "the file does not start with a `+++` front matter block",
    )
}

/// The plain-language rules, as a note for the translator.
fn rules_note(site: &Site, to: Lang) -> String {
    let pl = &site.config.plain_language;
    let mut note = format!(
        "Plain language: address the reader as \"you\"; sentences of at most {} words; words of at most {} letters",
        pl.max_sentence_words, pl.max_word_letters
    );
    if to == Lang::SV {
        let _ = std::fmt::Write::write_fmt(&mut note, format_args!("; LIX readability at most {}", pl.max_lix));
    }
    note.push('.');
    if let Some(jargon) = pl.jargon.get(&to).filter(|j| !j.is_empty()) {
        note.push_str(" Avoid these terms (write instead):");
        for (term, plain) in jargon {
            let _ = std::fmt::Write::write_fmt(&mut note, format_args!(" \"{term}\" (\"{plain}\");"));
        }
        note.pop();
        note.push('.');
    }
    note
}

/// What a path text is and where it is shown.
fn path_note(site: &Site, path: &Path, id: &str, phases: usize) -> String {
    let from = site.config.default_lang();
    let parts: Vec<&str> = id.split('.').collect();
    match parts.as_slice() {
        ["title"] => "The path's title: the page's main heading, and its name in lists, search results and the browser tab.".into(),
        ["summary"] => "The path's summary: one or two sentences under its title in lists and search results, and the page description for search engines.".into(),
        ["intro"] => "The path's introduction, above its phases. Markdown.".into(),
        ["phase", phase, rest @ ..] => {
            let n = path.phases.iter().position(|p| p.id == *phase).map_or(0, |i| i + 1);
            let which = format!("phase \"{phase}\" (step {n} of {phases})");
            match rest {
                ["title"] => format!("The heading of {which}, also a step in the path's outline."),
                ["body"] => format!("The text of {which}. Markdown."),
                ["instructions", "title"] => format!("The heading of the instructions in {which}, e.g. \"What to do\"."),
                ["instructions"] => format!("What the customer does in {which}: shown in a box under the heading. Markdown."),
                ["guidance", segment] => {
                    let label = site
                        .segments
                        .iter()
                        .find(|s| s.id == *segment)
                        .and_then(|s| s.label.get(from).map(|l| format!(" (\"{l}\")")))
                        .unwrap_or_default();
                    format!("Guidance in {which} for customers of segment {segment}{label}, shown under that label. Markdown.")
                }
                _ => format!("A text of {which}."),
            }
        }
        _ => format!("The text `{id}`."),
    }
}

/// What a TOML text is and where it is shown.
fn toml_note(file: &str, table: &str, field: &str, key: &str) -> String {
    let what = match (file.rsplit('/').next().unwrap_or(file), table, field) {
        ("site.toml", "", "name") => "The site's name: in the header of every page and in the browser tab.",
        ("site.toml", "", "description") => "The site's description: on the home page and for search engines.",
        ("site.toml", "organisation", "name") => "The county's name: in the footer of every page.",
        ("site.toml", "emergency", "label") => "The name of an emergency number, in the red strip on every page.",
        ("site.toml", "accessibility", "method") => "How accessibility was assessed: in the accessibility statement.",
        ("site.toml", "non_accessible" | "out_of_scope" | "disproportionate_burden", "content") => "Content that is not accessible: in the accessibility statement.",
        ("site.toml", "non_accessible" | "out_of_scope" | "disproportionate_burden", "reason") => "Why the content is not accessible, and what is being done: in the accessibility statement.",
        ("site.toml", "authority", "name") => "The supervising authority's name: in the accessibility statement.",
        ("site.toml", "search", "label") => "The text of the link to the county's own site search, on the search page.",
        ("site.toml", "brand", "logo_alt") => "The logo's text alternative: the county's name as the logo shows it.",
        ("site.toml", "contact", "address") => "The county's postal address, in the footer of every page.",
        ("site.toml", "footer_link", "text") => "The text of a link in the footer of every page.",
        (_, _, "address") => "A street address.",
        ("segments.toml", _, "label") => "A customer segment's public name: the heading over guidance written for it.",
        ("segments.toml", _, "description") => "Who the customer segment is, shown with its name.",
        ("topics.toml", "topic", "name") => "A topic's name: a heading on the home page.",
        ("topics.toml", "topic", "description") => "A topic's description, under its heading on the home page.",
        ("topics.toml", "audience", "name") => "A target group, written inside a sentence (\"for ...\"): lower case.",
        ("channels.toml", _, "name") => "A service channel's name: the heading of its card on path pages and in the list of channels.",
        ("channels.toml", _, "description") => "What a service channel is for: on its card.",
        ("channels.toml", _, "hours_note") => "A note under a service channel's opening hours.",
        ("channels.toml", _, "accessibility") => "How accessible a service channel is: on its card.",
        ("links.toml", _, "title") => "A link's text: name the page it leads to.",
        ("links.toml", _, "publisher") => "Who publishes the linked page, shown beside the link.",
        ("path.toml", _, "owner") => "Who keeps the path up to date: a unit and a role.",
        _ => "",
    };
    if what.is_empty() {
        format!("The text `{key}` of {file}.")
    } else {
        what.to_string()
    }
}

/// Puts the translations of an XLIFF file into the content. Everything is
/// checked first; when anything is wrong no file is written.
pub fn import(site: &Site, xliff_file: &FsPath, text: &str) -> Result<Imported, Vec<Diagnostic>> {
    let shown = SourceFile::new(crate::diagnostics::display_path(xliff_file), text);
    let err = |code: &'static str, span: std::ops::Range<usize>, msg: String, hint: &str| {
        shown.error(code, span, msg).with_hint(hint.to_string())
    };
    let read = xliff::read(text).map_err(|p| {
        vec![err("xliff-syntax", p.span, p.message, "give the file as the translator's tool saved it, unchanged; export again if it was edited by hand")]
    })?;
    let from = site.config.default_lang();
    let mut diags = Vec::new();
    let Some(first) = read.first() else {
        return Err(vec![err("xliff-syntax", 0..0, "the file has no `<file>` elements".into(), "give a file made by `polku translate export`")]);
    };
    let to = match Lang::new(&first.target_language) {
        Some(l) if l != from && site.config.languages.contains(&l) => l,
        _ => {
            return Err(vec![err(
                "xliff-language",
                first.span.clone(),
                format!("`{}` is not a translation language of this site", first.target_language),
                &format!("the site translates from `{from}` into {}", list(&site.config.languages[1..])),
            )])
        }
    };
    let current = collect(site, to).map_err(|d| vec![d])?;
    let by_original: HashMap<&str, &UnitFile> = current.iter().map(|f| (f.original.as_str(), f)).collect();
    // Accepted translations per content file: unit id -> Markdown.
    let mut accepted: BTreeMap<&str, (&UnitFile, BTreeMap<String, String>)> = BTreeMap::new();
    let mut translated = 0;
    for file in &read {
        if file.source_language != from.code() || file.target_language != to.code() {
            diags.push(err("xliff-language", file.span.clone(),
                format!("this `<file>` is from `{}` into `{}`; the others are from `{from}` into `{to}`", file.source_language, file.target_language),
                "import one language at a time, from a file made by `polku translate export`"));
            continue;
        }
        let Some(unit_file) = by_original.get(file.original.as_str()) else {
            diags.push(err("xliff-unknown-file", file.span.clone(),
                format!("`{}` is not a content file with texts to translate", file.original),
                "the file was renamed or removed since the export; export again"));
            continue;
        };
        let entry = accepted.entry(unit_file.original.as_str()).or_insert_with(|| (unit_file, BTreeMap::new()));
        for unit in &file.units {
            let Some(known) = unit_file.units.iter().find(|u| u.id == unit.id) else {
                diags.push(err("xliff-unknown-unit", unit.span.clone(),
                    format!("`{}` has no text `{}`", file.original, unit.id),
                    "the text was removed or its phase renamed since the export; export again"));
                continue;
            };
            let source = match &unit.source {
                Ok(s) => s,
                Err(p) => {
                    diags.push(err("xliff-inline-code", p.span.clone(), format!("unit `{}`: {}", unit.id, p.message), "keep the codes as the export wrote them"));
                    continue;
                }
            };
            if !same_text(&inline::join(source), &inline::join(&known.source)) {
                diags.push(err("xliff-source-changed", unit.span.clone(),
                    format!("unit `{}`: the source text has changed since the export", unit.id),
                    "export again and translate the new source; the translation of the old one is not imported"));
                continue;
            }
            let Some(target) = &unit.target else { continue };
            let target = match target {
                Ok(t) => t,
                Err(p) => {
                    diags.push(err("xliff-inline-code", p.span.clone(), format!("unit `{}`: {}", unit.id, p.message), "keep the codes as the export wrote them"));
                    continue;
                }
            };
            if let Err(why) = check_codes(known, target) {
                diags.push(err("xliff-inline-code", unit.span.clone(), format!("unit `{}`: {why}", unit.id),
                    "put every code of the source in the translation once, as it was exported"));
                continue;
            }
            let joined = inline::join(target);
            let joined = joined.trim();
            if known.one_line && joined.contains('\n') {
                diags.push(err("xliff-structure", unit.span.clone(),
                    format!("unit `{}`: the translation has a line break, and this text is one line", unit.id),
                    "write the translation on one line"));
                continue;
            }
            translated += 1;
            entry.1.insert(unit.id.clone(), joined.to_string());
        }
    }
    let mut writes: Vec<(PathBuf, String)> = Vec::new();
    let mut confirmed = Vec::new();
    for (unit_file, targets) in accepted.values() {
        if targets.is_empty() {
            continue;
        }
        let result = match &unit_file.kind {
            Kind::Toml { file } => apply_toml(file, from, to, targets).map(|w| (w, false)),
            Kind::Path { id, target } => {
                let path = site.path(id).expect("collected from the site");
                apply_path(path, unit_file, target, (from, to), targets)
            }
        };
        match result {
            Ok((Some(write), confirm)) => {
                if confirm {
                    if let Kind::Path { id, .. } = &unit_file.kind {
                        confirmed.push(id.clone());
                    }
                }
                writes.push(write);
            }
            Ok((None, confirm)) => {
                if confirm {
                    if let Kind::Path { id, .. } = &unit_file.kind {
                        confirmed.push(id.clone());
                    }
                }
            }
            Err(why) => diags.push(err("xliff-structure", 0..0,
                format!("{}: {}", unit_file.original, why.0),
                &why.1)),
        }
    }
    if !diags.is_empty() {
        crate::diagnostics::sort(&mut diags);
        return Err(diags);
    }
    let mut written = Vec::new();
    for (file, bytes) in writes {
        if let Err(e) = write_file_atomically(&file, bytes.as_bytes()) {
            // Earlier files are written; say which, so nothing is lost unseen.
            return Err(vec![Diagnostic::file_level(
                crate::diagnostics::Severity::Error,
                "io",
                &file,
                format!("cannot write: {e} (written before it: {})", written.iter().map(|f: &PathBuf| f.display().to_string()).collect::<Vec<_>>().join(", ")),
            )]);
        }
        written.push(file);
    }
    Ok(Imported {
        translated,
        written,
        confirmed,
    })
}

fn list(langs: &[Lang]) -> String {
    let codes: Vec<String> = langs.iter().map(|l| format!("`{l}`")).collect();
    if codes.is_empty() {
        "no other language".into()
    } else {
        codes.join(", ")
    }
}

/// Texts compare equal whatever their Unicode normalisation and line ends.
fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.replace("\r\n", "\n").trim().nfc().collect::<String>();
    norm(a) == norm(b)
}

/// A translation's codes: every source code once, each as the export wrote
/// it (the source's Markdown, or the current translation's).
fn check_codes(known: &Unit, target: &[Piece]) -> Result<(), String> {
    let mut seen = Vec::new();
    for (id, native) in inline::codes(target) {
        let Some((_, source_native)) = inline::codes(&known.source).find(|(i, _)| *i == id) else {
            return Err(format!("code {id} is not a code of the source"));
        };
        if seen.contains(&id) {
            return Err(format!("code {id} is there twice"));
        }
        seen.push(id);
        let exported = known
            .target
            .as_deref()
            .and_then(|t| inline::codes(t).find(|(i, _)| *i == id).map(|(_, n)| n.to_string()));
        if native != source_native && exported.as_deref() != Some(native) {
            return Err(format!("code {id} was changed from `{}` to `{}`", source_native.escape_debug(), native.escape_debug()));
        }
    }
    if let Some((id, native)) = inline::codes(&known.source).find(|(id, _)| !seen.contains(id)) {
        return Err(format!("code {id} (`{}`) is missing: a link, emphasis or paragraph break would be lost", native.escape_debug()));
    }
    Ok(())
}

/// Why a file cannot take its translations: what, and the fix.
struct Refusal(String, String);

fn apply_toml(
    file: &FsPath,
    from: Lang,
    to: Lang,
    targets: &BTreeMap<String, String>,
) -> Result<Option<(PathBuf, String)>, Refusal> {
    let plain = Plain::read(file).map_err(|d| Refusal(d.message, "fix the file first".into()))?;
    let mut doc: toml_edit::DocumentMut = plain
        .text
        .parse()
        .map_err(|e| Refusal(format!("not valid TOML: {e}"), "fix the file first".into()))?;
    let current: HashMap<String, Option<String>> = toml_texts::texts(&doc, from, to, &["owner"])
        .into_iter()
        .map(|t| (t.key, t.target))
        .collect();
    let mut changed = false;
    for (key, text) in targets {
        if current.get(key).and_then(|t| t.as_deref()) == Some(text.as_str()) {
            continue;
        }
        if !toml_texts::set(&mut doc, key, from, to, text) {
            return Err(Refusal(format!("cannot find `{key}`"), "export again".into()));
        }
        changed = true;
    }
    if !changed {
        return Ok(None);
    }
    Ok(Some((file.to_path_buf(), plain.restore(&doc.to_string()))))
}

/// The new text of a path's translation file (`None` when no byte changes),
/// and whether the import confirmed the translation: every text of the
/// source was imported, and it was not confirmed against this source before.
fn apply_path(
    path: &Path,
    unit_file: &UnitFile,
    target_file: &FsPath,
    (from, to): (Lang, Lang),
    targets: &BTreeMap<String, String>,
) -> Result<(Option<(PathBuf, String)>, bool), Refusal> {
    let complete = unit_file.units.iter().all(|u| targets.contains_key(&u.id));
    let fp = complete
        .then(|| path.texts.get(&from).map(fingerprint))
        .flatten();
    let newly_confirmed = fp.is_some()
        && path.texts.get(&to).and_then(|t| t.translation_of.as_deref()) != fp.as_deref();
    let source_file = path.dir.join(format!("{}.md", from.code()));
    let source = Plain::read(&source_file).map_err(|d| Refusal(d.message, "fix the file first".into()))?;
    let exists = target_file.exists();
    let (plain, new_text) = if exists {
        let plain = Plain::read(target_file).map_err(|d| Refusal(d.message, "fix the file first".into()))?;
        let updated = patch(&plain.text, targets, fp.as_deref())?;
        (plain, updated)
    } else {
        let layout = markdown::layout(&source.text).ok_or_else(|| Refusal("the source has no front matter".into(), "fix the source file".into()))?;
        let created = create(&layout, targets, fp.as_deref())?;
        (Plain { text: String::new(), bom: false, crlf: source.crlf }, created)
    };
    verify(&new_text, targets)?;
    if exists && new_text == plain.text {
        return Ok((None, newly_confirmed));
    }
    Ok((Some((target_file.to_path_buf(), plain.restore(&new_text))), newly_confirmed))
}

/// The translation file with the texts put in their places.
fn patch(text: &str, targets: &BTreeMap<String, String>, fp: Option<&str>) -> Result<String, Refusal> {
    let layout = markdown::layout(text).ok_or_else(|| Refusal("the translation has no front matter".into(), "start it with `+++`, a title line and `+++`".into()))?;
    let mut edits = Vec::new();
    // The front matter, with toml_edit: only the changed keys.
    let mut front: toml_edit::DocumentMut = text[layout.front.clone()]
        .parse()
        .map_err(|e| Refusal(format!("the front matter is not valid TOML: {e}"), "fix it first".into()))?;
    let mut front_changed = false;
    for key in ["title", "summary"] {
        if let Some(t) = targets.get(key) {
            let old = if key == "title" { &layout.title } else { &layout.summary };
            if old.as_deref() != Some(t.as_str()) {
                set_keeping_decor(&mut front, key, t);
                front_changed = true;
            }
        }
    }
    if let Some(fp) = fp {
        if front.get("translation_of").and_then(|v| v.as_str()) != Some(fp) {
            set_keeping_decor(&mut front, "translation_of", fp);
            front_changed = true;
        }
    }
    if front_changed {
        let mut rendered = front.to_string();
        if !rendered.ends_with('\n') {
            rendered.push('\n');
        }
        edits.push(Edit { range: layout.front.clone(), text: rendered });
    }
    let replace = |range: &std::ops::Range<usize>, new: &str, edits: &mut Vec<Edit>| {
        if range.is_empty() {
            edits.push(insert_block(text, range.start, new));
        } else if &text[range.clone()] != new {
            edits.push(Edit { range: range.clone(), text: new.to_string() });
        }
    };
    if let Some(t) = targets.get("intro") {
        replace(&layout.intro, t, &mut edits);
    }
    for (id, t) in targets {
        let parts: Vec<&str> = id.split('.').collect();
        let ["phase", phase, rest @ ..] = parts.as_slice() else { continue };
        let Some(p) = layout.phases.iter().find(|p| p.id == *phase) else {
            return Err(Refusal(format!("the translation has no phase `{phase}`"), format!("add its heading `## ... {{#{phase}}}` to the translation, or export again")));
        };
        match rest {
            ["title"] => {
                if &text[p.title.clone()] != t {
                    edits.push(Edit { range: p.title.clone(), text: t.clone() });
                }
            }
            ["body"] => replace(&p.body, t, &mut edits),
            ["instructions", "title"] => match &p.instructions {
                Some((title, _)) => {
                    if &text[title.clone()] != t {
                        edits.push(Edit { range: title.clone(), text: t.clone() });
                    }
                }
                None => {
                    let body = targets.get(&format!("phase.{phase}.instructions")).map(String::as_str).unwrap_or("");
                    edits.push(insert_block(text, p.end, &format!("### {t} {{.instructions}}\n\n{body}").trim_end().to_string()));
                }
            },
            ["instructions"] => match &p.instructions {
                Some((_, body)) => replace(body, t, &mut edits),
                None if targets.contains_key(&format!("phase.{phase}.instructions.title")) => {}
                None => return Err(Refusal(
                    format!("the instructions of phase `{phase}` have no heading in the translation"),
                    format!("translate the unit `phase.{phase}.instructions.title` too"),
                )),
            },
            ["guidance", segment] => match p.guidance(segment) {
                Some(range) => replace(&range, t, &mut edits),
                None => edits.push(insert_block(text, p.end, &format!("### {segment} {{.guidance}}\n\n{t}"))),
            },
            _ => {}
        }
    }
    Ok(markdown::apply(text, edits))
}

fn set_keeping_decor(doc: &mut toml_edit::DocumentMut, key: &str, value: &str) {
    match doc.get_mut(key).and_then(toml_edit::Item::as_value_mut) {
        Some(v) => {
            let decor = v.decor().clone();
            *v = toml_edit::Value::from(value);
            *v.decor_mut() = decor;
        }
        None => doc[key] = toml_edit::value(value),
    }
}

/// A new translation file in the source's structure.
fn create(source: &Layout, targets: &BTreeMap<String, String>, fp: Option<&str>) -> Result<String, Refusal> {
    let need = |id: String| {
        targets.get(&id).cloned().ok_or_else(|| {
            Refusal(
                format!("the translation file does not exist yet, and `{id}` has no translation"),
                "a new file needs at least the title and every phase heading: translate them too".into(),
            )
        })
    };
    let mut front = toml_edit::DocumentMut::new();
    front["title"] = toml_edit::value(need("title".into())?);
    if let Some(s) = targets.get("summary") {
        front["summary"] = toml_edit::value(s.as_str());
    }
    if let Some(fp) = fp {
        front["translation_of"] = toml_edit::value(fp);
    }
    let mut out = format!("+++\n{front}+++\n");
    let mut block = |text: &str| {
        out.push('\n');
        out.push_str(text);
        out.push('\n');
    };
    if let Some(intro) = targets.get("intro") {
        block(intro);
    }
    for p in &source.phases {
        let id = &p.id;
        block(&format!("## {} {{#{id}}}", need(format!("phase.{id}.title"))?));
        if let Some(body) = targets.get(&format!("phase.{id}.body")) {
            block(body);
        }
        if p.instructions.is_some() {
            if let Some(body) = targets.get(&format!("phase.{id}.instructions")) {
                block(&format!("### {} {{.instructions}}", need(format!("phase.{id}.instructions.title"))?));
                block(body);
            }
        }
        for (segment, _) in &p.guidance {
            if let Some(body) = targets.get(&format!("phase.{id}.guidance.{segment}")) {
                block(&format!("### {segment} {{.guidance}}"));
                block(body);
            }
        }
    }
    Ok(out)
}

/// The new file reads back as a valid language file with each translation
/// where it was put: a translation that would change the file's structure
/// (a line starting with `#`, say) is refused.
fn verify(text: &str, targets: &BTreeMap<String, String>) -> Result<(), Refusal> {
    let file = SourceFile::new("translation", text);
    let (_, diags) = crate::content::prose::parse(&file);
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        return Err(Refusal(
            format!("with the translations the file would not load (line {}: {})", d.line, d.message),
            "a translation must not start a line with `#` or `+++`: reword it".into(),
        ));
    }
    let layout = markdown::layout(text).ok_or_else(|| Refusal("the file would lose its front matter".into(), "check the title's translation".into()))?;
    let read: HashMap<String, String> = md_texts(text, &layout).into_iter().collect();
    for (id, t) in targets {
        if read.get(id).map(|r| r.trim()) != Some(t.trim()) {
            return Err(Refusal(
                format!("the translation of `{id}` would not read back as written (it changes the file's structure)"),
                "a translation must not start a line with `#` or hold a `{#id}`: reword it".into(),
            ));
        }
    }
    Ok(())
}
