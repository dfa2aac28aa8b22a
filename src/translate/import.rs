//! Reading a translated XLIFF file: every unit checked against the
//! current content before anything is written.

use crate::code::Code;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use super::units::collect;
use super::write_back::{apply_path, apply_toml};
use super::{inline, xliff, Imported, Kind, Unit, UnitFile};
use crate::content::{Lang, Site};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::output::write_file_atomically;
use inline::Piece;

/// The translations read for one content file.
pub(super) struct Accepted<'a> {
    pub file: &'a UnitFile,
    /// Unit id -> the translation, as Markdown (or plain text).
    pub texts: BTreeMap<String, String>,
    /// Units whose translation is marked for review.
    pub awaiting_review: BTreeSet<String>,
}

/// Puts the translations of an XLIFF file into the content. Everything is
/// checked first; when anything is wrong no file is written.
pub fn import(site: &Site, xliff_file: &Path, text: &str) -> Result<Imported, Vec<Diagnostic>> {
    let shown = SourceFile::new(crate::diagnostics::display_path(xliff_file), text);
    let err = |code: Code, span: std::ops::Range<usize>, msg: String, hint: &str| {
        shown.error(code, span, msg).with_hint(hint.to_string())
    };
    let read = xliff::read(text).map_err(|p| {
        vec![err(Code::XliffSyntax, p.span, p.message, "give the file as the translator's tool saved it, unchanged; export again if it was edited by hand")]
    })?;
    let from = site.config.default_lang();
    let mut diags = Vec::new();
    let Some(first) = read.first() else {
        return Err(vec![err(
            Code::XliffSyntax,
            0..0,
            "the file has no `<file>` elements".into(),
            "give a file made by `polku translate export`",
        )]);
    };
    let to = match Lang::new(&first.target_language) {
        Some(l) if l != from && site.config.languages.contains(&l) => l,
        _ => {
            return Err(vec![err(
                Code::XliffLanguage,
                first.span.clone(),
                format!(
                    "`{}` is not a translation language of this site",
                    first.target_language
                ),
                &format!(
                    "the site translates from `{from}` into {}",
                    list(&site.config.languages[1..])
                ),
            )])
        }
    };
    let current = collect(site, to).map_err(|d| vec![d])?;
    let by_original: HashMap<&str, &UnitFile> =
        current.iter().map(|f| (f.original.as_str(), f)).collect();
    let mut accepted: BTreeMap<&str, Accepted> = BTreeMap::new();
    let mut translated = 0;
    // Where each unit and `<file>` is in the XLIFF, for errors found when
    // applying.
    let mut spans: HashMap<(&str, &str), std::ops::Range<usize>> = HashMap::new();
    let mut file_spans: HashMap<&str, std::ops::Range<usize>> = HashMap::new();
    for file in &read {
        if file.source_language != from.code() || file.target_language != to.code() {
            diags.push(err(Code::XliffLanguage, file.span.clone(),
                format!("this `<file>` is from `{}` into `{}`; the others are from `{from}` into `{to}`", file.source_language, file.target_language),
                "import one language at a time, from a file made by `polku translate export`"));
            continue;
        }
        let Some(unit_file) = by_original.get(file.original.as_str()) else {
            diags.push(err(
                Code::XliffUnknownFile,
                file.span.clone(),
                format!(
                    "`{}` is not a content file with texts to translate",
                    file.original
                ),
                "the file was renamed or removed since the export; export again",
            ));
            continue;
        };
        file_spans.insert(unit_file.original.as_str(), file.span.clone());
        let entry = accepted
            .entry(unit_file.original.as_str())
            .or_insert_with(|| Accepted {
                file: unit_file,
                texts: BTreeMap::new(),
                awaiting_review: BTreeSet::new(),
            });
        for unit in &file.units {
            let Some(known) = unit_file.units.iter().find(|u| u.id == unit.id) else {
                diags.push(err(
                    Code::XliffUnknownUnit,
                    unit.span.clone(),
                    format!("`{}` has no text `{}`", file.original, unit.id),
                    "the text was removed or its phase renamed since the export; export again",
                ));
                continue;
            };
            // A `<source>` or `<target>` whose codes cannot be read.
            let unreadable = |p: &xliff::Problem| {
                err(
                    Code::XliffInlineCode,
                    p.span.clone(),
                    format!("unit `{}`: {}", unit.id, p.message),
                    "keep the codes as the export wrote them",
                )
            };
            let source = match &unit.source {
                Ok(s) => s,
                Err(p) => {
                    diags.push(unreadable(p));
                    continue;
                }
            };
            if !same_text(&inline::join(source), &inline::join(&known.source)) {
                diags.push(err(Code::XliffSourceChanged, unit.span.clone(),
                    format!("unit `{}`: the source text has changed since the export", unit.id),
                    "export again and translate the new source; the translation of the old one is not imported"));
                continue;
            }
            let Some(target) = &unit.target else { continue };
            let target = match target {
                Ok(t) => t,
                Err(p) => {
                    diags.push(unreadable(p));
                    continue;
                }
            };
            if let Err(why) = check_codes(known, target) {
                diags.push(err(
                    Code::XliffInlineCode,
                    unit.span.clone(),
                    format!("unit `{}`: {why}", unit.id),
                    "put every code of the source in the translation once, as it was exported",
                ));
                continue;
            }
            let joined = inline::join(target);
            let joined = joined.trim();
            if known.one_line && joined.contains('\n') {
                diags.push(err(
                    Code::XliffStructure,
                    unit.span.clone(),
                    format!(
                        "unit `{}`: the translation has a line break, and this text is one line",
                        unit.id
                    ),
                    "write the translation on one line",
                ));
                continue;
            }
            translated += 1;
            spans.insert(
                (unit_file.original.as_str(), unit.id.as_str()),
                unit.span.clone(),
            );
            entry.texts.insert(unit.id.clone(), joined.to_string());
            if unit.awaiting_review {
                entry.awaiting_review.insert(unit.id.clone());
            }
        }
    }
    let mut writes: Vec<(PathBuf, String)> = Vec::new();
    let mut confirmed = Vec::new();
    let mut awaiting_review = Vec::new();
    for accepted in accepted.values() {
        let (unit_file, targets) = (accepted.file, &accepted.texts);
        if targets.is_empty() {
            continue;
        }
        if let (Kind::Path { id, .. }, false) =
            (&unit_file.kind, accepted.awaiting_review.is_empty())
        {
            awaiting_review.push(id.clone());
        }
        let result = match &unit_file.kind {
            Kind::Toml { file } => {
                apply_toml(file, unit_file, (from, to), targets).map(|w| (w, false))
            }
            Kind::Path { id, target } => {
                let path = site.path(id).expect("collected from the site");
                apply_path(path, unit_file, target, (from, to), accepted)
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
            Err(why) => {
                let span = why
                    .unit
                    .as_ref()
                    .and_then(|id| spans.get(&(unit_file.original.as_str(), id.as_str())))
                    .or_else(|| file_spans.get(unit_file.original.as_str()))
                    .cloned()
                    .unwrap_or(0..0);
                let what = match &why.unit {
                    Some(id) => format!("unit `{id}` of {}", unit_file.original),
                    None => unit_file.original.clone(),
                };
                diags.push(err(
                    Code::XliffStructure,
                    span,
                    format!("{what}: {}", why.message),
                    &why.hint,
                ))
            }
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
                Code::Io,
                &file,
                format!(
                    "cannot write: {e} (written before it: {})",
                    written
                        .iter()
                        .map(|f: &PathBuf| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )]);
        }
        written.push(file);
    }
    Ok(Imported {
        translated,
        written,
        confirmed,
        awaiting_review,
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
        let exported = known.target.as_deref().and_then(|t| {
            inline::codes(t)
                .find(|(i, _)| *i == id)
                .map(|(_, n)| n.to_string())
        });
        if native != source_native && exported.as_deref() != Some(native) {
            return Err(format!(
                "code {id} was changed from `{}` to `{}`",
                source_native.escape_debug(),
                native.escape_debug()
            ));
        }
    }
    if let Some((id, native)) = inline::codes(&known.source).find(|(id, _)| !seen.contains(id)) {
        return Err(format!(
            "code {id} (`{}`) is missing: a link, emphasis or paragraph break would be lost",
            native.escape_debug()
        ));
    }
    Ok(())
}
