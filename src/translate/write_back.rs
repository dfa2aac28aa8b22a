//! Writing translations back: into a path's language file (patched in
//! place, or created in the source's structure) and into TOML fields.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::import::Accepted;
use super::markdown::{self, insert_block, Edit, Layout};
use super::units::md_texts;
use super::{inline, toml_texts, UnitFile};
use crate::check::fingerprint;
use crate::content::prose::{set_front_matter, FrontMatterError};
use crate::content::{EditableText, Lang, ServicePath};
use crate::diagnostics::SourceFile;

/// Why a file cannot take its translations: the unit at fault (if one
/// is), what is wrong, and the fix.
pub(super) struct Refusal {
    pub unit: Option<String>,
    pub message: String,
    pub hint: String,
}

impl Refusal {
    fn file(message: impl Into<String>, hint: impl Into<String>) -> Refusal {
        Refusal {
            unit: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    fn unit(unit: &str, message: impl Into<String>, hint: impl Into<String>) -> Refusal {
        Refusal {
            unit: Some(unit.to_string()),
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// The new text of a TOML file with the translations set (`None` when
/// every one is already there).
pub(super) fn apply_toml(
    file: &Path,
    unit_file: &UnitFile,
    (from, to): (Lang, Lang),
    targets: &BTreeMap<String, String>,
) -> Result<Option<(PathBuf, String)>, Refusal> {
    let plain =
        EditableText::read(file).map_err(|d| Refusal::file(d.message, "fix the file first"))?;
    let mut doc: toml_edit::DocumentMut = plain
        .text
        .parse()
        .map_err(|e| Refusal::file(format!("not valid TOML: {e}"), "fix the file first"))?;
    let mut changed = false;
    for (key, text) in targets {
        let current = unit_file
            .units
            .iter()
            .find(|u| u.id == *key)
            .and_then(|u| u.target.as_deref());
        if current.is_some_and(|t| inline::join(t) == *text) {
            continue;
        }
        if !toml_texts::set(&mut doc, key, from, to, text) {
            return Err(Refusal::unit(
                key,
                format!("cannot find `{key}`"),
                "export again",
            ));
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
/// source was imported, none is marked for review, and it was not confirmed
/// against this source before.
pub(super) fn apply_path(
    path: &ServicePath,
    unit_file: &UnitFile,
    target_file: &Path,
    (from, to): (Lang, Lang),
    accepted: &Accepted,
) -> Result<(Option<(PathBuf, String)>, bool), Refusal> {
    let targets = &accepted.texts;
    let complete = accepted.awaiting_review.is_empty()
        && unit_file.units.iter().all(|u| targets.contains_key(&u.id));
    let fp = complete
        .then(|| path.texts.get(&from).map(fingerprint))
        .flatten();
    let newly_confirmed = fp.is_some()
        && path
            .texts
            .get(&to)
            .and_then(|t| t.translation_of.as_deref())
            != fp.as_deref();
    let exists = target_file.exists();
    let (plain, new_text) = if exists {
        let plain = EditableText::read(target_file)
            .map_err(|d| Refusal::file(d.message, "fix the file first"))?;
        let updated = patch(&plain.text, targets, fp.as_deref())?;
        (plain, updated)
    } else {
        // A new file takes the source's structure and line endings.
        let source_file = path.dir.join(format!("{}.md", from.code()));
        let source = EditableText::read(&source_file)
            .map_err(|d| Refusal::file(d.message, "fix the file first"))?;
        let layout = markdown::layout(&source.text).ok_or_else(|| {
            Refusal::file("the source has no front matter", "fix the source file")
        })?;
        let created = create(&layout, targets, fp.as_deref())?;
        (
            EditableText {
                text: String::new(),
                bom: false,
                crlf: source.crlf,
            },
            created,
        )
    };
    verify(&new_text, targets)?;
    if exists && new_text == plain.text {
        return Ok((None, newly_confirmed));
    }
    Ok((
        Some((target_file.to_path_buf(), plain.restore(&new_text))),
        newly_confirmed,
    ))
}

/// The translation file with the texts put in their places.
fn patch(
    text: &str,
    targets: &BTreeMap<String, String>,
    fp: Option<&str>,
) -> Result<String, Refusal> {
    let layout = markdown::layout(text).ok_or_else(|| {
        Refusal::file(
            "the translation has no front matter",
            "start it with `+++`, a title line and `+++`",
        )
    })?;
    let mut edits = Vec::new();
    let replace = |range: &std::ops::Range<usize>, new: &str, edits: &mut Vec<Edit>| {
        if range.is_empty() {
            edits.push(insert_block(text, range.start, new));
        } else if &text[range.clone()] != new {
            edits.push(Edit {
                range: range.clone(),
                text: new.to_string(),
            });
        }
    };
    if let Some(t) = targets.get("intro") {
        replace(&layout.intro, t, &mut edits);
    }
    // Sections added at a phase's end keep the content format's order:
    // instructions before guidance.
    let mut ids: Vec<&String> = targets.keys().collect();
    ids.sort_by_key(|id| (id.contains(".guidance."), id.as_str()));
    for id in ids {
        let t = &targets[id];
        let parts: Vec<&str> = id.split('.').collect();
        let ["phase", phase, rest @ ..] = parts.as_slice() else {
            continue;
        };
        let Some(p) = layout.phases.iter().find(|p| p.id == *phase) else {
            return Err(Refusal::unit(
                id,
                format!("the translation has no phase `{phase}`"),
                format!(
                    "add its heading `## ... {{#{phase}}}` to the translation, or export again"
                ),
            ));
        };
        match rest {
            ["title"] if text[p.title.clone()] != *t => edits.push(Edit {
                range: p.title.clone(),
                text: t.clone(),
            }),
            ["body"] => replace(&p.body, t, &mut edits),
            ["instructions", "title"] => match &p.instructions {
                Some((title, _)) => {
                    if &text[title.clone()] != t {
                        edits.push(Edit {
                            range: title.clone(),
                            text: t.clone(),
                        });
                    }
                }
                None => {
                    let body = targets
                        .get(&format!("phase.{phase}.instructions"))
                        .map(String::as_str)
                        .unwrap_or("");
                    edits.push(insert_block(
                        text,
                        p.end,
                        format!("### {t} {{.instructions}}\n\n{body}").trim_end(),
                    ));
                }
            },
            ["instructions"] => match &p.instructions {
                Some((_, body)) => replace(body, t, &mut edits),
                None if targets.contains_key(&format!("phase.{phase}.instructions.title")) => {}
                None => {
                    return Err(Refusal::unit(
                        id,
                        format!(
                        "the instructions of phase `{phase}` have no heading in the translation"
                    ),
                        format!("translate the unit `phase.{phase}.instructions.title` too"),
                    ))
                }
            },
            ["guidance", segment] => match p.guidance(segment) {
                Some(range) => replace(&range, t, &mut edits),
                None => edits.push(insert_block(
                    text,
                    p.end,
                    &format!("### {segment} {{.guidance}}\n\n{t}"),
                )),
            },
            _ => {}
        }
    }
    let body = markdown::apply(text, edits);
    // The front matter last: the body's ranges were found before it changed.
    let mut keys: Vec<(&str, &str)> = Vec::new();
    for (key, old) in [("title", &layout.title), ("summary", &layout.summary)] {
        if let Some(t) = targets
            .get(key)
            .filter(|t| old.as_deref() != Some(t.as_str()))
        {
            keys.push((key, t));
        }
    }
    if let Some(fp) = fp.filter(|fp| layout.translation_of.as_deref() != Some(*fp)) {
        keys.push(("translation_of", fp));
    }
    if keys.is_empty() {
        return Ok(body);
    }
    set_front_matter(&body, &keys).map_err(|e| match e {
        FrontMatterError::Missing => Refusal::file(
            "the translation has no front matter",
            "start it with `+++`, a title line and `+++`",
        ),
        FrontMatterError::Invalid(e) => Refusal::file(
            format!("the front matter is not valid TOML: {e}"),
            "fix it first",
        ),
    })
}

/// A new translation file in the source's structure.
fn create(
    source: &Layout,
    targets: &BTreeMap<String, String>,
    fp: Option<&str>,
) -> Result<String, Refusal> {
    let need = |id: String| {
        targets.get(&id).cloned().ok_or_else(|| {
            Refusal::file(
                format!("the translation file does not exist yet, and `{id}` has no translation"),
                "a new file needs at least the title and every phase heading: translate them too",
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
        block(&format!(
            "## {} {{#{id}}}",
            need(format!("phase.{id}.title"))?
        ));
        if let Some(body) = targets.get(&format!("phase.{id}.body")) {
            block(body);
        }
        if p.instructions.is_some() {
            if let Some(body) = targets.get(&format!("phase.{id}.instructions")) {
                block(&format!(
                    "### {} {{.instructions}}",
                    need(format!("phase.{id}.instructions.title"))?
                ));
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
        return Err(Refusal::file(
            format!(
                "with the translations the file would not load (line {}: {})",
                d.line, d.message
            ),
            "a translation must not start a line with `#` or `+++`: reword it",
        ));
    }
    let layout = markdown::layout(text).ok_or_else(|| {
        Refusal::file(
            "the file would lose its front matter",
            "check the title's translation",
        )
    })?;
    let read: HashMap<String, String> = md_texts(text, &layout).into_iter().collect();
    for (id, t) in targets {
        if read.get(id).map(|r| r.trim()) != Some(t.trim()) {
            return Err(Refusal::unit(
                id,
                "the translation would change the file's structure: it would not read back as written",
                "a translation must not start a line with `#` or end a line with `{#id}`: reword it",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_sections_go_to_the_end_of_their_phase_instructions_first() {
        let text = "+++\ntitle = \"Rubrik\"\n+++\n\n## Första {#eka}\n\nText.\n\n## Andra {#toka}\n\nMer.\n";
        let targets: BTreeMap<String, String> = [
            ("phase.eka.guidance.S1", "Råd."),
            ("phase.eka.instructions.title", "Så här gör du"),
            ("phase.eka.instructions", "Ring."),
            ("phase.toka.body", "Mer text."),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let patched = patch(text, &targets, None).ok().unwrap();
        assert_eq!(
            patched,
            "+++\ntitle = \"Rubrik\"\n+++\n\n## Första {#eka}\n\nText.\n\n### Så här gör du {.instructions}\n\nRing.\n\n### S1 {.guidance}\n\nRåd.\n\n## Andra {#toka}\n\nMer text.\n"
        );
        assert!(verify(&patched, &targets).is_ok());
    }
}
