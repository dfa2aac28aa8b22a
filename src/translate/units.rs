//! Collecting the units: every translatable text of the content, with its
//! current translation and where that translation stands.

use crate::code::Code;
use std::collections::HashMap;
use std::path::Path;

use super::notes::{path_note, rules_note, toml_note};
use super::{inline, markdown, relative, toml_texts, Kind, State, Unit, UnitFile, TOML_FILES};
use crate::check::fingerprint;
use crate::content::{EditableText, Lang, ServicePath, Site};
use crate::diagnostics::{Diagnostic, SourceFile};
use markdown::Layout;

/// Every translatable text of the site, with its translation into `to`.
/// The path files are read as the site loaded them; the shared TOML files
/// from disk (the site keeps no copy).
pub(super) fn collect(site: &Site, to: Lang) -> Result<Vec<UnitFile>, Diagnostic> {
    let from = site.config.default_lang();
    let rules = rules_note(site, to);
    let mut files = Vec::new();
    for name in TOML_FILES {
        let file = site.root.join(name);
        if !file.exists() {
            continue;
        }
        let text = EditableText::read(&file)?.text;
        files.push(toml_units(site, (&file, text), (from, to), &[], &rules)?);
    }
    for path in &site.paths {
        let text = EditableText::of(&path.sources.toml.text).text;
        let file = path.dir.join("path.toml");
        files.push(toml_units(
            site,
            (&file, text),
            (from, to),
            &["owner"],
            &rules,
        )?);
        files.push(path_units(site, path, from, to, &rules)?);
    }
    files.retain(|f| !f.units.is_empty());
    Ok(files)
}

fn toml_units(
    site: &Site,
    (file, text): (&Path, String),
    (from, to): (Lang, Lang),
    plain: &[&str],
    rules: &str,
) -> Result<UnitFile, Diagnostic> {
    let doc: toml_edit::DocumentMut = text.parse().map_err(|e| {
        SourceFile::new(file, text.as_str()).error(Code::TomlSyntax, 0..0, format!("{e}"))
    })?;
    let original = relative(site, file);
    let units = toml_texts::texts(&doc, from, to, plain)
        .into_iter()
        .map(|t| Unit {
            notes: vec![
                toml_note(&original, &t.table, &t.field, &t.key),
                rules.to_string(),
            ],
            state: if t.target.is_some() {
                State::Current
            } else {
                State::Missing
            },
            source: inline::plain(&t.source),
            target: t.target.as_deref().map(inline::plain),
            id: t.key,
            one_line: true,
        })
        .collect();
    Ok(UnitFile {
        original,
        kind: Kind::Toml {
            file: file.to_path_buf(),
        },
        units,
    })
}

/// The texts of a path file, by unit id, in file order.
pub(super) fn md_texts(text: &str, layout: &Layout) -> Vec<(String, String)> {
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

fn path_units(
    site: &Site,
    path: &ServicePath,
    from: Lang,
    to: Lang,
    rules: &str,
) -> Result<UnitFile, Diagnostic> {
    let source_file = path.dir.join(format!("{}.md", from.code()));
    let source = loaded_text(path, from, &source_file)?;
    let layout = markdown::layout(&source).ok_or_else(|| no_front_matter(&source_file))?;
    let target_file = path.dir.join(format!("{}.md", to.code()));
    let target: Option<(String, Layout)> = match path.texts.get(&to) {
        Some(_) => {
            let text = loaded_text(path, to, &target_file)?;
            let layout = markdown::layout(&text).ok_or_else(|| no_front_matter(&target_file))?;
            Some((text, layout))
        }
        None => None,
    };
    let targets: HashMap<String, String> = target
        .as_ref()
        .map(|(text, layout)| md_texts(text, layout).into_iter().collect())
        .unwrap_or_default();
    let confirmed_against = path
        .texts
        .get(&to)
        .and_then(|t| t.translation_of.as_deref());
    let confirmed = match (confirmed_against, path.texts.get(&from)) {
        (Some(fp), Some(s)) => fp == fingerprint(s),
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
                notes.push(if target.is_some() && confirmed_against.is_some() {
                    "The source text has changed since this translation was confirmed: check the translation against the source.".to_string()
                } else if target.is_some() {
                    "This translation was never confirmed against the source: check it.".to_string()
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

/// A language file's text as the site loaded it (read again if the site
/// kept none).
fn loaded_text(path: &ServicePath, lang: Lang, file: &Path) -> Result<String, Diagnostic> {
    match path.sources.texts.get(&lang) {
        Some(loaded) => Ok(EditableText::of(&loaded.text).text),
        None => Ok(EditableText::read(file)?.text),
    }
}

fn no_front_matter(file: &Path) -> Diagnostic {
    Diagnostic::file_level(
        crate::diagnostics::Severity::Error,
        Code::MissingFrontMatter,
        file,
        "the file does not start with a `+++` front matter block",
    )
}
