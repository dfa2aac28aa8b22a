//! Editorial checks: what is missing, out of date or hard to read. Every
//! finding is a warning with a stable code; `--strict` makes them fail.

use crate::code::Code;
mod confirm;
pub mod external;
mod text;

pub use confirm::{confirm_translation, ConfirmError};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path as FsPath;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use sha2::{Digest, Sha256};
use time::Date;

use crate::content::prose::{front_matter_range, markdown_options};
use crate::content::{Lang, PathText, ServicePath, Site, Text};
use crate::diagnostics::{Diagnostic, Severity, SourceFile};
pub use text::{lix, TextStats};

/// Whether a translation matches its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranslationState {
    /// The source language itself.
    Source,
    /// Confirmed against the current source text.
    Current,
    /// The source changed after the translation was confirmed.
    Stale,
    /// Never confirmed with `polku check --confirm-translation`.
    Unconfirmed,
    /// The file is missing; the page falls back to the source.
    Missing,
}

impl TranslationState {
    /// Lower-case name for tables and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            TranslationState::Source => "source",
            TranslationState::Current => "current",
            TranslationState::Stale => "stale",
            TranslationState::Unconfirmed => "unconfirmed",
            TranslationState::Missing => "missing",
        }
    }
}

/// One row of the summary table: a path in one language.
#[derive(Debug, Clone)]
pub struct SummaryRow {
    /// Path id.
    pub path: String,
    /// Language.
    pub lang: Lang,
    /// Errors in the path's files for this language.
    pub errors: usize,
    /// Warnings in the path's files for this language.
    pub warnings: usize,
    /// Translation state.
    pub translation: TranslationState,
    /// Next review date.
    pub next_review: Option<Date>,
    /// LIX readability index of the text (meaningful for Swedish).
    pub lix: Option<f64>,
}

/// Fingerprint of a source-language text: what a translator confirms.
/// Covers everything a reader sees (title, summary, intro, phases), not the
/// slug or the fingerprint line itself.
pub fn fingerprint(text: &PathText) -> String {
    let mut hasher = Sha256::new();
    let mut feed = |s: &str| {
        for line in s.lines() {
            hasher.update(line.trim_end().as_bytes());
            hasher.update(b"\n");
        }
        hasher.update(b"\x1e");
    };
    feed(&text.title);
    feed(&text.summary);
    feed(&text.intro);
    for (id, phase) in &text.phases {
        feed(id);
        feed(&phase.title);
        feed(&phase.body);
        if let Some((h, md)) = &phase.instructions {
            feed(h);
            feed(md);
        }
        for (segment, md) in &phase.guidance {
            feed(segment);
            feed(md);
        }
    }
    let digest = hasher.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Findings of the editorial checks.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings about shared files (channels, links, topics, segments).
    pub global: Vec<Diagnostic>,
    /// Findings per path id.
    pub per_path: BTreeMap<String, Vec<Diagnostic>>,
    /// LIX per path and language.
    pub lix: BTreeMap<(String, Lang), f64>,
}

impl Report {
    /// Every finding, sorted.
    pub fn findings(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.global.clone();
        for f in self.per_path.values() {
            all.extend(f.iter().cloned());
        }
        crate::diagnostics::sort(&mut all);
        all
    }
}

fn warn(
    file: &SourceFile,
    code: Code,
    span: Range<usize>,
    message: impl Into<String>,
    hint: impl Into<String>,
) -> Diagnostic {
    file.diag(Severity::Warning, code, span, message)
        .with_hint(hint)
}

/// Runs every check. `only` limits the per-path checks to some path ids
/// (the preview re-checks only what changed); shared checks always run.
pub fn check_site(site: &Site, today: Date, only: Option<&BTreeSet<String>>) -> Report {
    use rayon::prelude::*;
    let mut report = Report::default();
    shared_checks(site, &mut report.global);
    // Paths are checked independently of each other: in parallel.
    let checked: Vec<_> = site
        .paths
        .par_iter()
        .filter(|path| only.is_none_or(|o| o.contains(&path.id)))
        .map(|path| {
            let mut findings = Vec::new();
            let mut lix = BTreeMap::new();
            path_checks(site, path, today, &mut findings, &mut lix);
            (path.id.clone(), findings, lix)
        })
        .collect();
    for (id, findings, lix) in checked {
        report.per_path.insert(id, findings);
        report.lix.extend(lix);
    }
    report
}

fn shared_checks(site: &Site, out: &mut Vec<Diagnostic>) {
    let langs = &site.config.languages;
    // A path's urgent contacts use their channels too.
    let used_channels: BTreeSet<&str> = site
        .paths
        .iter()
        .flat_map(|p| {
            p.phases
                .iter()
                .flat_map(|ph| ph.channels.iter().map(String::as_str))
                .chain(p.urgent.iter().map(String::as_str))
        })
        .collect();
    let used_links: BTreeSet<&str> = site
        .paths
        .iter()
        .flat_map(|p| {
            p.phases
                .iter()
                .flat_map(|ph| ph.links.iter().map(String::as_str))
        })
        .collect();

    if let Some(file) = &site.sources.channels {
        for c in &site.channels {
            // The id's place from the parser, however the file is formatted.
            let at = c.id_span.clone();
            if !used_channels.contains(c.id.as_str()) {
                out.push(warn(file, Code::UnusedChannel, at.clone(), format!("channel `{}` is not used by any phase or path's `urgent`", c.id),
                    "add it to the `channels` of a phase in a path.toml, or remove it if the service no longer exists"));
            }
            for (field, text) in [
                ("name", &c.name),
                ("description", &c.description),
                ("address", &c.address),
                ("hours_note", &c.hours_note),
                ("accessibility", &c.accessibility),
            ] {
                missing_text(file, at.clone(), "channel", &c.id, field, text, langs, out);
            }
            for (lang, span) in &c.url_spans {
                if let Some(u) = c.url.get(*lang) {
                    insecure(file, span.clone(), u, out);
                }
            }
        }
    }
    if let Some(file) = &site.sources.links {
        for l in &site.links {
            let at = l.id_span.clone();
            if !used_links.contains(l.id.as_str()) {
                out.push(warn(
                    file,
                    Code::UnusedLink,
                    at.clone(),
                    format!("link `{}` is not used by any phase", l.id),
                    "add it to the `links` of a phase in a path.toml, or remove it",
                ));
            }
            missing_text(
                file,
                at.clone(),
                "link",
                &l.id,
                "title",
                &l.title,
                langs,
                out,
            );
            for lang in langs {
                if let Some(title) = l.title.get(*lang) {
                    if text::is_vague_link_text(title) {
                        let span = l.title_spans.get(lang).cloned().unwrap_or(at.clone());
                        out.push(warn(file, Code::VagueLinkText, span,
                            format!("the link title \"{title}\" says nothing on its own"),
                            "name the target, e.g. \"Raskaudenkeskeytys – Terveyskylä\"; screen reader users often hear link titles out of context (WCAG 2.4.4)"));
                    }
                }
            }
            for (lang, span) in &l.url_spans {
                if let Some(u) = l.url.get(*lang) {
                    insecure(file, span.clone(), u, out);
                }
            }
        }
    }
    if let Some(file) = &site.sources.topics {
        for t in &site.topics {
            let at = t.id_span.clone();
            if !site.paths.iter().any(|p| p.topic == t.id) {
                out.push(warn(file, Code::EmptyTopic, at.clone(), format!("no path has the topic `{}`", t.id),
                    "set `topic` in a path's path.toml to this id, or remove the topic; empty topics are left off the home page"));
            }
            missing_text(
                file,
                at.clone(),
                "topic",
                &t.id,
                "name",
                &t.name,
                langs,
                out,
            );
        }
        for a in &site.audiences {
            let at = a.id_span.clone();
            missing_text(file, at, "target group", &a.id, "name", &a.name, langs, out);
        }
    }
    if let Some(file) = &site.sources.segments {
        for s in &site.segments {
            let at = s.id_span.clone();
            missing_text(
                file,
                at.clone(),
                "segment",
                &s.id,
                "label",
                &s.label,
                langs,
                out,
            );
            missing_text(
                file,
                at,
                "segment",
                &s.id,
                "description",
                &s.description,
                langs,
                out,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn missing_text(
    file: &SourceFile,
    at: Range<usize>,
    what: &str,
    id: &str,
    field: &str,
    text: &Text,
    langs: &[Lang],
    out: &mut Vec<Diagnostic>,
) {
    let present: Vec<Lang> = langs
        .iter()
        .copied()
        .filter(|l| text.get(*l).is_some())
        .collect();
    if present.is_empty() {
        return;
    }
    for &lang in langs {
        if text.get(lang).is_none() {
            out.push(warn(
                file,
                Code::MissingTranslation,
                at.clone(),
                format!("the {what} `{id}` has no {} `{field}`", lang.english_name()),
                format!(
                    "add `{field}.{} = \"...\"`; until then the {} text is shown",
                    lang.code(),
                    present[0].english_name()
                ),
            ));
        }
    }
}

fn insecure(file: &SourceFile, span: Range<usize>, url: &str, out: &mut Vec<Diagnostic>) {
    if url.trim().to_ascii_lowercase().starts_with("http://") {
        out.push(warn(
            file,
            Code::InsecureUrl,
            span,
            format!("`{url}` is not encrypted (http)"),
            format!(
                "use `{}` if the site supports it; browsers warn about unencrypted pages",
                url.replacen("http://", "https://", 1)
            ),
        ));
    }
}

fn path_checks(
    site: &Site,
    path: &ServicePath,
    today: Date,
    out: &mut Vec<Diagnostic>,
    lix: &mut BTreeMap<(String, Lang), f64>,
) {
    let langs = &site.config.languages;
    let source_lang = langs[0];
    let toml = &path.sources.toml;

    // Freshness.
    match path.next_review {
        Some(next) if next < today => out.push(warn(toml, Code::ReviewOverdue, path.next_review_span.clone().unwrap_or(0..0),
            format!("the path was due for review on {next}"),
            "check the content with the service, then set `last_reviewed` to today and `next_review` to the next date")),
        Some(_) => {}
        None => out.push(warn(toml, Code::MissingReviewDate, 0..0, "the path has no `next_review` date",
            "add `next_review = YYYY-MM-DD` so that the content is checked regularly")),
    }
    if path.owner.resolve(source_lang, source_lang).is_none() {
        out.push(warn(
            toml,
            Code::MissingOwner,
            crate::content::TomlKeys::parse(toml).span(&["owner"]),
            "the path has no content owner",
            "add `owner = \"unit, role\"`: who keeps this path true",
        ));
    }

    // Coverage and duplicate links in path.toml.
    for phase in &path.phases {
        if phase.channels.is_empty() {
            out.push(warn(toml, Code::PhaseWithoutChannel, phase.id_span.clone(), format!("phase `{}` has no service channel", phase.id),
                "add the channels through which the customer acts in this phase, e.g. `channels = [\"...\"]`"));
        }
        let mut seen = BTreeSet::new();
        for (l, span) in phase.links.iter().zip(&phase.link_spans) {
            if !seen.insert(l) {
                out.push(warn(
                    toml,
                    Code::DuplicateLink,
                    span.clone(),
                    format!("link `{l}` is listed twice in phase `{}`", phase.id),
                    "remove one of them",
                ));
            }
        }
    }

    // Translations and prose, per language file.
    let source = path.texts.get(&source_lang);
    for &lang in langs {
        let Some(text) = path.texts.get(&lang) else {
            continue;
        };
        let Some(file) = path.sources.texts.get(&lang) else {
            continue;
        };
        if lang != source_lang {
            if let (Some(src), Some(confirmed)) = (source, &text.translation_of) {
                if *confirmed != fingerprint(src) {
                    out.push(warn(file, Code::StaleTranslation, text.spans.translation_of.clone().unwrap_or(0..0),
                        format!("the {} text changed after this translation was confirmed", source_lang.english_name()),
                        format!("update the translation, then run `polku check --confirm-translation {}`", path.id)));
                }
            }
            if let Some(src) = source {
                for (id, phase) in &src.phases {
                    let Some(translated) = text.phases.get(id) else {
                        continue;
                    };
                    let at = translated.heading.clone();
                    for segment in phase.guidance.keys() {
                        if !translated.guidance.contains_key(segment) {
                            out.push(warn(file, Code::MissingTranslation, at.clone(),
                                format!("phase `{id}` has guidance for {segment} in {} but not here", source_lang.english_name()),
                                format!("add `### {segment} {{.guidance}}` with its translation to this phase")));
                        }
                    }
                    if phase.instructions.is_some() && translated.instructions.is_none() {
                        out.push(warn(file, Code::MissingTranslation, at.clone(),
                            format!("phase `{id}` has instructions in {} but not here", source_lang.english_name()),
                            "add `### Heading {.instructions}` with their translation to this phase"));
                    }
                }
            }
        } else {
            // Segments without any guidance in the source text.
            for segment in &site.segments {
                if !text
                    .phases
                    .values()
                    .any(|p| p.guidance.contains_key(&segment.id))
                {
                    out.push(warn(file, Code::MissingGuidance, 0..0,
                        format!("no phase has guidance for segment {} ({})", segment.id, segment.name),
                        format!("add `### {} {{.guidance}}` to the phases where this customer needs something different", segment.id)));
                }
            }
        }
        let stats = prose_checks(file, text, lang, &site.config.plain_language, out);
        if let Some(value) = stats.lix() {
            lix.insert((path.id.clone(), lang), value);
            if lang == Lang::SV && value > site.config.plain_language.max_lix {
                out.push(warn(file, Code::PlainLanguageLix, 0..0,
                    format!("the text's LIX readability index is {value:.0} (the limit is {:.0})", site.config.plain_language.max_lix),
                    "shorten sentences and prefer short, common words; lättläst svenska aims at LIX under 40"));
            }
        }
    }
}

/// Section of a language file, for heading-level rules.
fn section_base(level: HeadingLevel, classes: &[String]) -> Option<u8> {
    match level {
        HeadingLevel::H2 => Some(2),
        HeadingLevel::H3
            if classes
                .iter()
                .any(|c| c == "instructions" || c == "guidance") =>
        {
            Some(3)
        }
        _ => None,
    }
}

fn level_num(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Plain-language, link and Markdown checks of one language file.
fn prose_checks(
    file: &SourceFile,
    parsed: &PathText,
    lang: Lang,
    settings: &crate::content::PlainLanguage,
    out: &mut Vec<Diagnostic>,
) -> TextStats {
    let text: &str = &file.text;
    // The front matter's title and summary are checked as text, where the
    // parser found them (whatever their quotes); the body after it as Markdown.
    let body_start = front_matter_range(text).map_or(0, |(_, body)| body);
    let mut stats = TextStats::default();
    let fm = &parsed.spans;
    for (value, span) in [
        (&parsed.title, Some(&fm.title)),
        (&parsed.summary, fm.summary.as_ref()),
    ] {
        if let Some(span) = span {
            let start = span.start + string_delimiter(&text[span.clone()]);
            text::check_block(file, value, start, lang, settings, &mut stats, out);
        }
    }
    let body = &text[body_start..];
    let mut block = String::new();
    let mut block_map: Vec<(usize, usize)> = Vec::new(); // (offset in block, offset in file)
    let mut prev_level: u8 = 1;
    let mut link: Option<(String, Range<usize>, String)> = None; // dest, span, text
    let mut image: Option<(Range<usize>, String)> = None;
    let mut phase_urls: BTreeSet<String> = BTreeSet::new();
    let flush = |block: &mut String,
                 map: &mut Vec<(usize, usize)>,
                 stats: &mut TextStats,
                 out: &mut Vec<Diagnostic>| {
        if !block.trim().is_empty() {
            text::check_mapped_block(file, block, map, lang, settings, stats, out);
        }
        block.clear();
        map.clear();
    };
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        let at = range.start + body_start;
        match event {
            Event::Start(Tag::Heading { level, classes, .. }) => {
                flush(&mut block, &mut block_map, &mut stats, out);
                let classes: Vec<String> = classes.iter().map(|c| c.to_string()).collect();
                if let Some(base) = section_base(level, &classes) {
                    prev_level = base;
                    if base == 2 {
                        phase_urls.clear();
                    }
                } else {
                    let n = level_num(level);
                    if n > prev_level + 1 {
                        let end = at + text[at..range.end + body_start].trim_end().len();
                        out.push(warn(file, Code::HeadingSkipsLevel, at..end,
                            format!("a level-{n} heading follows a level-{prev_level} heading"),
                            format!("use `{}` here so that screen reader users can follow the structure", "#".repeat(prev_level as usize + 1))));
                    }
                    prev_level = n;
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                flush(&mut block, &mut block_map, &mut stats, out);
            }
            Event::Start(Tag::Paragraph)
            | Event::Start(Tag::Item)
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item) => {
                flush(&mut block, &mut block_map, &mut stats, out);
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((
                    dest_url.to_string(),
                    at..range.end + body_start,
                    String::new(),
                ));
            }
            Event::End(TagEnd::Link) => {
                if let Some((dest, span, label)) = link.take() {
                    if text::is_vague_link_text(&label) {
                        out.push(warn(file, Code::VagueLinkText, span.clone(), format!("the link text \"{}\" says nothing on its own", label.trim()),
                            "write where the link leads, e.g. \"ehkäisyneuvolan yhteystiedot\"; screen reader users often hear links out of context (WCAG 2.4.4)"));
                    } else if text::looks_like_url(&label) {
                        out.push(warn(file, Code::BareUrlLink, span.clone(), format!("the link text is an address: {}", label.trim()),
                            "write words that say where the link leads; a screen reader reads an address letter by letter"));
                    }
                    if dest.to_ascii_lowercase().starts_with("http://") {
                        out.push(warn(
                            file,
                            Code::InsecureUrl,
                            span.clone(),
                            format!("`{dest}` is not encrypted (http)"),
                            format!(
                                "use `{}` if the site supports it",
                                dest.replacen("http://", "https://", 1)
                            ),
                        ));
                    }
                    if !dest.starts_with('#') && !phase_urls.insert(dest.clone()) {
                        out.push(warn(
                            file,
                            Code::DuplicateLink,
                            span,
                            format!("`{dest}` is linked twice in the same phase"),
                            "keep the clearer of the two links",
                        ));
                    }
                }
            }
            Event::Start(Tag::Image { .. }) => {
                image = Some((at..range.end + body_start, String::new()))
            }
            Event::End(TagEnd::Image) => {
                if let Some((span, alt)) = image.take() {
                    if alt.trim().is_empty() {
                        out.push(warn(file, Code::ImageWithoutAlt, span, "the image has no alternative text",
                            "write what the image shows between the brackets: `![Kartta terveysaseman sisäänkäynnistä](...)`"));
                    }
                }
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, _, label)) = link.as_mut() {
                    label.push_str(t);
                }
                if let Some((_, alt)) = image.as_mut() {
                    alt.push_str(t);
                    continue;
                }
                // Where the text starts in the file: where its event does,
                // after the backticks of inline code.
                let file_offset = match event {
                    Event::Code(_) => {
                        let ticks = text[at..].bytes().take_while(|&b| b == b'`').count();
                        at + ticks
                            + usize::from(
                                text[at + ticks..].starts_with(' ') && !t.starts_with(' '),
                            )
                    }
                    _ => at,
                };
                if link.is_none() {
                    for r in text::phone_numbers(t) {
                        let number = &t[r.clone()];
                        let digits: String = number
                            .chars()
                            .filter(|c| c.is_ascii_digit() || *c == '+')
                            .collect();
                        out.push(warn(file, Code::PlainPhoneNumber, file_offset + r.start..file_offset + r.end,
                            format!("the phone number {number} is plain text: tapping it does not call"),
                            format!("make it a link, `[{number}](tel:{digits})`, or link to its channel with `[name](channel:ID)`")));
                    }
                }
                if !block.is_empty() {
                    block.push(' ');
                }
                block_map.push((block.len(), file_offset));
                block.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => block.push(' '),
            _ => {}
        }
    }
    flush(&mut block, &mut block_map, &mut stats, out);
    stats
}

/// The length of a TOML string literal's opening quotes: 3 for `"""` and
/// `'''`, else 1.
fn string_delimiter(literal: &str) -> usize {
    if literal.starts_with("\"\"\"") || literal.starts_with("'''") {
        3
    } else {
        1
    }
}

/// Diagnostics grouped by file, so that finding those of one page is a
/// lookup rather than a scan (a large site can have thousands).
pub struct FindingsByFile<'a> {
    by_file: HashMap<&'a FsPath, Vec<&'a Diagnostic>>,
    cwd: Option<std::path::PathBuf>,
}

impl<'a> FindingsByFile<'a> {
    /// Groups `diagnostics` by their file.
    pub fn new(diagnostics: &'a [Diagnostic]) -> Self {
        let mut by_file: HashMap<&FsPath, Vec<&Diagnostic>> = HashMap::new();
        for d in diagnostics {
            by_file.entry(d.file.as_path()).or_default().push(d);
        }
        FindingsByFile {
            by_file,
            cwd: std::env::current_dir().ok(),
        }
    }

    fn shown(&self, file: std::path::PathBuf) -> std::path::PathBuf {
        match &self.cwd {
            Some(cwd) => file
                .strip_prefix(cwd)
                .map(FsPath::to_path_buf)
                .unwrap_or(file),
            None => file,
        }
    }

    /// The diagnostics about one language version of a path: those in its
    /// `path.toml` and in that language's Markdown file.
    pub fn about(&self, path: &ServicePath, lang: Lang) -> Vec<&'a Diagnostic> {
        let toml = self.shown(path.dir.join("path.toml"));
        let md = self.shown(path.dir.join(format!("{}.md", lang.code())));
        let mut found: Vec<&Diagnostic> = Vec::new();
        for file in [toml, md] {
            if let Some(list) = self.by_file.get(file.as_path()) {
                found.extend(list);
            }
        }
        found
    }
}

/// The summary table: one row per path and language.
pub fn summary_rows(site: &Site, report: &Report, diagnostics: &[Diagnostic]) -> Vec<SummaryRow> {
    let source_lang = site.config.default_lang();
    let mut rows = Vec::new();
    let findings = FindingsByFile::new(diagnostics);
    for path in &site.paths {
        for &lang in &site.config.languages {
            let mine = findings.about(path, lang);
            let translation = match (lang == source_lang, path.texts.get(&lang)) {
                (true, _) => TranslationState::Source,
                (false, None) => TranslationState::Missing,
                (false, Some(text)) => match (&text.translation_of, path.texts.get(&source_lang)) {
                    (None, _) => TranslationState::Unconfirmed,
                    (Some(fp), Some(src)) if *fp == fingerprint(src) => TranslationState::Current,
                    _ => TranslationState::Stale,
                },
            };
            rows.push(SummaryRow {
                path: path.id.clone(),
                lang,
                errors: mine.iter().filter(|d| d.is_error()).count(),
                warnings: mine.iter().filter(|d| !d.is_error()).count(),
                translation,
                next_review: path.next_review,
                lix: report.lix.get(&(path.id.clone(), lang)).copied(),
            });
        }
    }
    rows
}
