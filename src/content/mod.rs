//! The content model and loading it from `content/` (TOML + Markdown).

mod load;
pub mod model;
pub mod prose;
pub mod slug;

use std::path::Path as FsPath;

use unicode_normalization::UnicodeNormalization;

pub use load::{load_site, LoadCache, Loaded};
pub use model::*;

use crate::diagnostics::{display_path, Diagnostic, Severity, SourceFile};

/// Reads a text file as UTF-8, drops a byte-order mark and normalises to NFC
/// (files saved on macOS arrive decomposed).
pub fn read_source(path: &FsPath) -> Result<SourceFile, Diagnostic> {
    let shown = display_path(path);
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::file_level(
            Severity::Error,
            "io",
            &shown,
            format!("cannot read the file: {e}"),
        )
        .with_hint("check that the file exists and is readable")
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let file = SourceFile::new(&shown, prefix.as_str());
        file.error("encoding", valid..valid, "the file is not valid UTF-8 text")
            .with_hint(
                "save the file with UTF-8 encoding (in most editors: Save As → Encoding → UTF-8)",
            )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(SourceFile::new(shown, text.nfc().collect::<String>()))
}

/// Turns a TOML parse error into a diagnostic. `offset` is where the parsed
/// text starts inside the file (non-zero for Markdown front matter).
pub(crate) fn toml_diag(file: &SourceFile, err: &toml::de::Error, offset: usize) -> Diagnostic {
    let span = err
        .span()
        .map(|s| s.start + offset..s.end + offset)
        .unwrap_or(offset..offset);
    let message = err.message().trim().to_string();
    let (code, hint) = if message.starts_with("unknown field") {
        (
            "unknown-field",
            "check the spelling of the field name; docs/content-format.md lists every field"
                .to_string(),
        )
    } else if message.starts_with("missing field") {
        let field = message.split('`').nth(1).unwrap_or("the field");
        (
            "missing-field",
            format!("add `{field} = ...` to this table; docs/content-format.md shows an example"),
        )
    } else if message.starts_with("unknown variant") {
        (
            "invalid-value",
            "use one of the values listed in the message".to_string(),
        )
    } else if message.starts_with("invalid type") {
        (
            "invalid-value",
            "check the value's type: text in quotes, lists in [ ], per-language text as `name.fi = \"...\"`".to_string(),
        )
    } else if message.contains("date") || message.contains("time") {
        (
            "invalid-date",
            "write a real calendar date without quotes as YYYY-MM-DD, e.g. `2027-03-31`"
                .to_string(),
        )
    } else {
        (
            "toml-syntax",
            "fix the TOML syntax here: strings need quotes, tables need [brackets], each key once"
                .to_string(),
        )
    };
    file.error(code, span, message).with_hint(hint)
}

/// Parses a whole TOML file into `T`.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    file: &SourceFile,
) -> Result<T, Diagnostic> {
    toml::from_str(&file.text).map_err(|e| toml_diag(file, &e, 0))
}
