//! `polku check --confirm-translation ID`: records in each translation of
//! a path that it matches today's source-language text.

use std::path::{Path, PathBuf};

use crate::content::{ServicePath, Site};
use crate::error::Advice;

use super::fingerprint;

/// Why a translation could not be confirmed. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ConfirmError {
    /// No path has that id or folder (a usage error).
    #[error("there is no path `{given}`")]
    NoSuchPath {
        /// What was asked for.
        given: String,
    },
    /// The path has no text in the source language to confirm against.
    #[error("{}: the path has no source-language text", folder.display())]
    NoSourceText {
        /// The path's folder.
        folder: PathBuf,
    },
    /// A translation file could not be read as UTF-8 text.
    #[error("{}: {reason}", file.display())]
    Unreadable {
        /// The translation file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
    /// The translation's front matter is missing or not valid TOML.
    #[error("{}: {reason}", file.display())]
    FrontMatter {
        /// The translation file.
        file: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Writing the updated file failed.
    #[error("{}: cannot write: {source}", file.display())]
    Write {
        /// The translation file.
        file: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

impl ConfirmError {
    /// True when the command was given something that is not a path (exit
    /// code 2) rather than meeting a content problem (exit code 1).
    pub fn is_usage(&self) -> bool {
        matches!(self, ConfirmError::NoSuchPath { .. })
    }
}

impl Advice for ConfirmError {
    fn hint(&self) -> String {
        match self {
            ConfirmError::NoSuchPath { .. } => {
                "give a path id (the folder name under content/paths) or its folder"
            }
            ConfirmError::NoSourceText { .. } => {
                "write the source-language file first; a translation is confirmed against it"
            }
            ConfirmError::Unreadable { .. } => {
                "save the file as UTF-8 text, then confirm again; no file was changed"
            }
            ConfirmError::FrontMatter { .. } => {
                "fix the file's front matter (`+++`, TOML lines, `+++`), then confirm again; no file was changed"
            }
            ConfirmError::Write { .. } => {
                "check that the file is writable and the disk has space; files already confirmed keep the new fingerprint"
            }
        }
        .to_string()
    }
}

/// The path `given` names: its id, its folder, or a folder ending in its id.
fn find_path<'a>(site: &'a Site, given: &str) -> Option<&'a ServicePath> {
    site.paths
        .iter()
        .find(|p| p.id == given || p.dir.ends_with(given) || Path::new(given).ends_with(&p.id))
        .map(|p| &**p)
}

/// Records in each translation of a path that it matches the current
/// source-language text, as `translation_of = "<fingerprint>"` in its front
/// matter. Every other byte of the file stays as it was (byte-order mark and
/// line endings included), and the file is replaced atomically.
pub fn confirm_translation(site: &Site, given: &str) -> Result<Vec<PathBuf>, ConfirmError> {
    let path = find_path(site, given).ok_or_else(|| ConfirmError::NoSuchPath {
        given: given.to_string(),
    })?;
    let source_lang = site.config.default_lang();
    let source = path
        .texts
        .get(&source_lang)
        .ok_or_else(|| ConfirmError::NoSourceText {
            folder: path.dir.clone(),
        })?;
    let fp = fingerprint(source);
    // Update every file in memory first: nothing is written if one fails.
    let mut updates = Vec::new();
    for &lang in &site.config.languages[1..] {
        let file = path.dir.join(format!("{}.md", lang.code()));
        if !file.exists() {
            continue;
        }
        let unreadable = |reason: String| ConfirmError::Unreadable {
            file: file.clone(),
            reason,
        };
        let bytes = crate::content::read_bytes(&file).map_err(|d| unreadable(d.message))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| unreadable("the file is not UTF-8 text".to_string()))?;
        let updated = set_front_matter_key(&text, "translation_of", &fp).map_err(|reason| {
            ConfirmError::FrontMatter {
                file: file.clone(),
                reason,
            }
        })?;
        updates.push((file, updated));
    }
    let mut written = Vec::new();
    for (file, updated) in updates {
        crate::output::write_file_atomically(&file, updated.as_bytes()).map_err(|source| {
            ConfirmError::Write {
                file: file.clone(),
                source,
            }
        })?;
        written.push(file);
    }
    Ok(written)
}

/// Sets a top-level key of a Markdown file's `+++` TOML front matter,
/// keeping its byte-order mark, line endings and every other line.
fn set_front_matter_key(text: &str, key: &str, value: &str) -> Result<String, String> {
    use crate::content::prose::{set_front_matter, FrontMatterError};
    let file = crate::content::EditableText::of(text);
    match set_front_matter(&file.text, &[(key, value)]) {
        Ok(updated) => Ok(file.restore(&updated)),
        Err(FrontMatterError::Missing) => {
            Err("the file has no `+++` front matter to record the confirmation in".into())
        }
        Err(FrontMatterError::Invalid(e)) => {
            Err(format!("the front matter is not valid TOML: {e}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_key_is_replaced_or_added() {
        let added =
            set_front_matter_key("+++\ntitle = \"T\"\n+++\n\nBody\n", "translation_of", "abc")
                .unwrap();
        assert_eq!(
            added,
            "+++\ntitle = \"T\"\ntranslation_of = \"abc\"\n+++\n\nBody\n"
        );
        let replaced = set_front_matter_key(&added, "translation_of", "def").unwrap();
        assert_eq!(
            replaced,
            "+++\ntitle = \"T\"\ntranslation_of = \"def\"\n+++\n\nBody\n"
        );
        assert!(set_front_matter_key("# no front matter", "k", "v").is_err());
    }

    #[test]
    fn front_matter_keeps_bom_line_endings_and_multiline_strings() {
        let text = "\u{feff}+++\r\ntitle = \"T\"  # otsikko\r\nsummary = \"\"\"\r\ntranslation_of = \"not a key\"\r\n\"\"\"\r\n+++\r\n\r\nBody\r\n";
        let updated = set_front_matter_key(text, "translation_of", "abc").unwrap();
        assert!(updated.starts_with("\u{feff}+++\r\n"), "{updated:?}");
        assert!(
            !updated.replace("\r\n", "").contains('\n'),
            "only CRLF: {updated:?}"
        );
        assert!(
            updated.contains("title = \"T\"  # otsikko\r\n"),
            "{updated:?}"
        );
        assert!(
            updated.contains("\r\ntranslation_of = \"not a key\"\r\n\"\"\""),
            "the line inside the string is untouched: {updated:?}"
        );
        assert!(
            updated.contains("translation_of = \"abc\"\r\n+++\r\n\r\nBody\r\n"),
            "{updated:?}"
        );
        assert!(set_front_matter_key("+++\ntitle = \n+++\n", "k", "v").is_err());
    }
}
