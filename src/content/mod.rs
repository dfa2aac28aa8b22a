//! The content model and loading it from `content/` (TOML + Markdown).

use crate::code::Code;
mod config;
mod containers;
mod crisis;
mod lang;
mod load;
pub mod model;
pub mod prose;
pub mod slug;

use std::path::Path;

use unicode_normalization::UnicodeNormalization;

pub use config::*;
pub use containers::*;
pub use crisis::Crisis;
pub use lang::*;
pub use load::{load_site, normalize_base_url, BaseUrl, BaseUrlError, LoadCache, Loaded};
pub(crate) use load::{parse_hex_colour, TomlKeys};
pub use model::*;

use crate::diagnostics::{display_path, Diagnostic, Severity, SourceFile};

/// The largest content, template or UI-string file polku reads. A path's
/// text is a few kilobytes; anything near this is a mistake (a pasted
/// binary, a log file), not content.
pub const MAX_SOURCE_BYTES: u64 = 10 * 1024 * 1024;

/// Whether a text is in Unicode's composed form (NFC), as nearly every
/// file is. Characters below U+0300 (Latin letters with their dots and
/// rings, precomposed) and the general punctuation from U+2002 (dashes,
/// quotes) are NFC whatever surrounds them; only a text with others needs
/// the normalisation tables.
fn is_nfc(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A byte below 0xCC is ASCII, a continuation byte, or the lead byte
        // of a character below U+0300.
        if bytes[i] < 0xcc {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or_default();
        if !('\u{2002}'..='\u{206f}').contains(&c) {
            return unicode_normalization::is_nfc_quick(text.chars())
                == unicode_normalization::IsNormalized::Yes;
        }
        i += c.len_utf8();
    }
    true
}

/// Where the first stray control character ([`is_stray_control`]) is, by
/// bytes: C0 controls are single bytes, C1 controls `C2 80` to `C2 9F`.
fn first_stray_control(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().position(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    })
}

/// `char::is_alphabetic`, without the table search for the letters of
/// Finnish and Swedish text.
pub fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        matches!(c, 'ä' | 'ö' | 'å' | 'Ä' | 'Ö' | 'Å' | 'é' | 'ü') || c.is_alphabetic()
    }
}

/// `char::is_alphanumeric`, the same way.
pub fn is_alphanumeric(c: char) -> bool {
    c.is_ascii_digit() || is_alphabetic(c) || !c.is_ascii() && c.is_numeric()
}

/// Whether a character is a control character that has no place in text:
/// C0 controls other than tab, line feed and carriage return, DEL and C1.
pub fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Refuses to open what is not a regular file of sane size: a FIFO would
/// block the build forever, `/dev/zero` would fill the memory.
pub fn check_regular_file(path: &Path) -> Result<u64, Diagnostic> {
    let shown = display_path(path);
    let refuse = |code: Code, message: String, hint: &str| {
        Diagnostic::file_level(Severity::Error, code, &shown, message).with_hint(hint)
    };
    let meta = std::fs::metadata(path).map_err(|e| {
        refuse(
            Code::Io,
            format!("cannot read the file: {e}"),
            "check that the file exists and is readable (a link must point to an existing file)",
        )
    })?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a FIFO, device or socket)"
        };
        return Err(refuse(
            Code::NotAFile,
            format!("this is {what}, so it was not read"),
            "replace it with a text file, or move it out of the content and theme folders",
        ));
    }
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(refuse(
            Code::FileTooLarge,
            format!(
                "the file is {} MB; polku reads files of at most {} MB",
                meta.len() / (1024 * 1024),
                MAX_SOURCE_BYTES / (1024 * 1024)
            ),
            "split the text, or check that this is the file you meant (not a pasted binary or log)",
        ));
    }
    Ok(meta.len())
}

/// Reads a file's bytes after [`check_regular_file`], never more than the
/// limit even if the file grows meanwhile.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let len = check_regular_file(path)?;
    let io_error = |e: std::io::Error| {
        Diagnostic::file_level(
            Severity::Error,
            Code::Io,
            display_path(path),
            format!("cannot read the file: {e}"),
        )
        .with_hint("check that the file exists and is readable")
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(check_regular_file(path).err().unwrap_or_else(|| {
            io_error(std::io::Error::other(
                "the file grew past the size limit while being read",
            ))
        }));
    }
    Ok(bytes)
}

/// Reads a text file as UTF-8, drops a byte-order mark, removes stray
/// control characters and normalises to NFC (files saved on macOS arrive
/// decomposed).
pub fn read_source(path: &Path) -> Result<SourceFile, Diagnostic> {
    read_source_noting(path).map(|(file, _)| file)
}

/// [`read_source`], also returning a warning when control characters were
/// removed, at the line of the first one.
pub fn read_source_noting(path: &Path) -> Result<(SourceFile, Option<Diagnostic>), Diagnostic> {
    let shown = display_path(path);
    let bytes = read_bytes(path)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let file = SourceFile::new(&shown, prefix.as_str());
        file.error(
            Code::Encoding,
            valid..valid,
            "the file is not valid UTF-8 text",
        )
        .with_hint(
            "save the file with UTF-8 encoding (in most editors: Save As → Encoding → UTF-8)",
        )
    })?;
    let mut text = text;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    // Most files are NFC already: check quickly before rebuilding the text.
    let normalised = if is_nfc(&text) {
        text
    } else {
        text.nfc().collect()
    };
    let Some(first) = first_stray_control(&normalised) else {
        return Ok((SourceFile::new(shown, normalised), None));
    };
    let count = normalised.chars().filter(|c| is_stray_control(*c)).count();
    let shown_char = normalised[first..].chars().next().unwrap_or('\0');
    let at = SourceFile::new(&shown, normalised.as_str());
    let warning = at
        .warning(
            Code::ControlCharacter,
            first..first + shown_char.len_utf8(),
            format!(
                "{count} invisible control character{} (the first U+{:04X}) removed",
                if count == 1 { "" } else { "s" },
                shown_char as u32
            ),
        )
        .with_hint("they come from copying text out of other programs; retype the text around here, or save the file again as plain UTF-8 text");
    let clean: String = normalised
        .chars()
        .filter(|c| !is_stray_control(*c))
        .collect();
    Ok((SourceFile::new(shown, clean), Some(warning)))
}

/// Turns a TOML parse error into a diagnostic. `offset` is where the parsed
/// text starts inside the file (non-zero for Markdown front matter).
pub(crate) fn toml_diag(file: &SourceFile, err: &toml::de::Error, offset: usize) -> Diagnostic {
    let span = err
        .span()
        .map(|s| s.start + offset..s.end + offset)
        .unwrap_or(offset..offset);
    let mut message = err.message().trim().to_string();
    if message.is_empty() {
        // The TOML parser gives no words for some errors; a lone carriage
        // return (a line break from an old Mac editor) is the usual one.
        let at = span.start.min(file.text.len());
        let before = file.text.get(..at).unwrap_or("");
        let after = file.text.get(at..).unwrap_or("");
        message = if before.ends_with('\r') || after.starts_with('\r') {
            "a carriage return (CR) without a line feed ends this line".to_string()
        } else {
            "the TOML cannot be read from here on".to_string()
        };
    }
    let (code, hint) = if message.starts_with("a carriage return") {
        (
            Code::TomlSyntax,
            "save the file with ordinary line endings (LF, or CRLF); most editors offer this under \"line endings\"".to_string(),
        )
    } else if message.starts_with("unknown field") {
        (
            Code::UnknownField,
            "check the spelling of the field name; docs/content-format.md lists every field"
                .to_string(),
        )
    } else if message.starts_with("missing field") {
        let field = message.split('`').nth(1).unwrap_or("the field");
        (
            Code::MissingField,
            format!("add `{field} = ...` to this table; docs/content-format.md shows an example"),
        )
    } else if message.starts_with("unknown variant") {
        (
            Code::InvalidValue,
            "use one of the values listed in the message".to_string(),
        )
    } else if message.starts_with("invalid value") {
        (
            Code::InvalidValue,
            "a count or number of days is a whole number of 0 or more, without quotes, e.g. `3`"
                .to_string(),
        )
    } else if message.starts_with("invalid type") {
        (
            Code::InvalidValue,
            "check the value's type: text in quotes, lists in [ ], per-language text as `name.fi = \"...\"`".to_string(),
        )
    } else if message.contains("date") || message.contains("time") {
        (
            Code::InvalidDate,
            "write a real calendar date without quotes as YYYY-MM-DD, e.g. `2027-03-31`"
                .to_string(),
        )
    } else {
        (
            Code::TomlSyntax,
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

/// A file's text without its byte-order mark and with `\n` line endings,
/// and how to give them back: for changing a few lines of a file an editor
/// wrote and keeping the rest as it was.
pub struct EditableText {
    /// The text, with `\n` line endings.
    pub text: String,
    /// Whether the file starts with a byte-order mark.
    pub bom: bool,
    /// Whether the file's lines end with `\r\n`.
    pub crlf: bool,
}

impl EditableText {
    /// Takes a file's text apart.
    pub fn of(raw: &str) -> EditableText {
        let (bom, body) = match raw.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let crlf = body.contains("\r\n");
        EditableText {
            text: if crlf {
                body.replace("\r\n", "\n")
            } else {
                body.to_string()
            },
            bom,
            crlf,
        }
    }

    /// Reads a file (a regular file of at most 10 MB, UTF-8).
    pub fn read(file: &Path) -> Result<EditableText, Diagnostic> {
        let bytes = read_bytes(file)?;
        let raw = String::from_utf8(bytes).map_err(|_| {
            Diagnostic::file_level(
                Severity::Error,
                Code::Encoding,
                file,
                "the file is not valid UTF-8 text",
            )
        })?;
        Ok(EditableText::of(&raw))
    }

    /// `text` with this file's byte-order mark and line endings.
    pub fn restore(&self, text: &str) -> String {
        let body = if self.crlf {
            text.replace('\n', "\r\n")
        } else {
            text.to_string()
        };
        if self.bom {
            format!("\u{feff}{body}")
        } else {
            body
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{first_stray_control, is_alphabetic, is_alphanumeric, is_nfc, is_stray_control};

    #[test]
    fn stray_controls_are_found_by_their_bytes() {
        for text in [
            "tab\tnewline\ncr\r ok",
            "nul\u{0} here",
            "bell\u{7} and äö",
            "del\u{7f}",
            "c1 \u{85} next line",
            "c1 \u{9f} last",
            "not c1: \u{a0} nbsp, ¢ (C2 A2), ä",
            "äöå – ”” \u{1b}[0m",
        ] {
            assert_eq!(
                first_stray_control(text),
                text.find(is_stray_control),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_quick_letter_tests_agree_with_the_standard_library() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn the_quick_nfc_test_agrees_with_normalising() {
        for text in [
            "Selkäkipu – omahoito ”heti” …",
            "Ryggvärk: egenvård, å ä ö Å Ä Ö é",
            "a\u{308}iti",      // ä written as a + combining diaeresis
            "\u{212b}ngström",  // the Angstrom sign becomes Å
            "en\u{2000}quad",   // EN QUAD becomes EN SPACE
            "\u{2126} ohm",     // the Ohm sign becomes Omega
            "ﬁ ligature stays", // compatibility forms are NFC
            "한국어 and 日本語",
            "e\u{301}\u{323}", // two marks in the wrong order
        ] {
            let normalised: String = text.nfc().collect();
            assert_eq!(is_nfc(text), normalised == text, "{text:?}");
        }
    }
}
