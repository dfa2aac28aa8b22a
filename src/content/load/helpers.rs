//! Helpers shared by the loaders: reading TOML, ids, duplicates, required
//! texts and positions.

use super::*;
use crate::code::Code;

/// Reads and parses a TOML file, or records why not.
pub(super) fn read_toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    required: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<(SourceFile, T)> {
    if !path.exists() {
        if required {
            diags.push(
                Diagnostic::file_level(
                    Severity::Error,
                    Code::MissingFile,
                    display_path(path),
                    "this required file is missing",
                )
                .with_hint("create it; docs/content-format.md shows a complete example"),
            );
        }
        return None;
    }
    let file = match read_source_noting(path) {
        Ok((f, warning)) => {
            diags.extend(warning);
            f
        }
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    match parse_toml::<T>(&file) {
        Ok(v) => Some((file, v)),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

pub(super) fn to_date(
    file: &SourceFile,
    value: &Spanned<Datetime>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Date> {
    let dt = value.get_ref();
    let bad = |msg: String| {
        file.error(Code::InvalidDate, value.span(), msg)
            .with_hint("write a date without quotes as YYYY-MM-DD, e.g. `2027-03-31`")
    };
    match (&dt.date, &dt.time) {
        (Some(d), None) => {
            let date = time::Month::try_from(d.month)
                .ok()
                .and_then(|m| Date::from_calendar_date(i32::from(d.year), m, d.day).ok());
            if date.is_none() {
                diags.push(bad(format!("{dt} is not a date in the calendar")));
            }
            date
        }
        _ => {
            diags.push(bad(format!("`{dt}` is not a plain date")));
            None
        }
    }
}

pub(super) fn check_id(
    file: &SourceFile,
    id: &Spanned<String>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if !is_valid_slug(id.get_ref()) && !is_segment_id(id.get_ref()) {
        diags.push(
            file.error(
                Code::InvalidId,
                id.span(),
                format!("the {what} id `{}` is not a valid id", id.get_ref()),
            )
            .with_hint(format!(
                "use lower-case letters a-z, digits and single hyphens, e.g. `{}`",
                slugify(id.get_ref())
            )),
        );
    }
}

/// A slug too long to be a folder name is a content error here, not an I/O
/// failure when the site is written.
pub(super) fn check_slug_length(
    file: &SourceFile,
    slug: &str,
    span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) {
    if slug.len() > MAX_SLUG_BYTES {
        diags.push(
            file.error(
                Code::SlugTooLong,
                span,
                format!(
                    "the address would be {} bytes long; a folder name may have at most {MAX_SLUG_BYTES}",
                    slug.len()
                ),
            )
            .with_hint(format!(
                "set a short `slug = \"...\"` (short addresses are also easier to read and share), e.g. `slug = \"{}\"`",
                shorten(slug)
            )),
        );
    }
}

pub(super) fn is_segment_id(id: &str) -> bool {
    id.len() == 2 && id.starts_with('S') && id.as_bytes()[1].is_ascii_digit()
}

/// Reports the second and later uses of an id in one file.
pub(super) fn check_duplicates<'a>(
    file: &SourceFile,
    ids: impl Iterator<Item = &'a Spanned<String>>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
    for id in ids {
        if let Some(first) = seen.get(id.get_ref().as_str()) {
            let (line, _) = file.line_col(first.start);
            diags.push(
                file.error(
                    Code::DuplicateId,
                    id.span(),
                    format!("the {what} id `{}` is defined twice", id.get_ref()),
                )
                .with_hint(format!(
                    "it is first defined on line {line}; give this {what} another id or remove one"
                )),
            );
        } else {
            seen.insert(id.get_ref(), id.span());
        }
    }
}

pub(super) fn require_text(
    file: &SourceFile,
    text: &Text,
    span: Range<usize>,
    lang: Lang,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if text.get(lang).is_none() {
        diags.push(
            file.error(
                Code::EmptyTitle,
                span,
                format!("the {what} has no {} text", lang.english_name()),
            )
            .with_hint(format!(
                "add `{}.{} = \"...\"`",
                what_key(what),
                lang.code()
            )),
        );
    }
}

pub(super) fn what_key(what: &str) -> &str {
    what.rsplit(' ').next().unwrap_or(what)
}

/// Where keys and tables stand in a TOML file, from `toml_edit`'s parser:
/// for the values serde hands over without a span (whole tables, dotted
/// keys), however the file is formatted.
pub(crate) struct TomlKeys(Option<toml_edit::ImDocument<String>>);

impl TomlKeys {
    /// Parses the file (already known to be valid TOML).
    pub(crate) fn parse(file: &SourceFile) -> TomlKeys {
        TomlKeys(toml_edit::ImDocument::parse(file.text.to_string()).ok())
    }

    /// The key (or `[table]` header) at `path`, e.g. `["accessibility",
    /// "authority"]`; the file's start if it is not there.
    pub(crate) fn span(&self, path: &[&str]) -> Range<usize> {
        self.find(path).unwrap_or(0..0)
    }

    /// The `[[table]]` header of the `index`th table of the array at `path`.
    pub(crate) fn item_span(&self, path: &[&str], index: usize) -> Range<usize> {
        self.item(path)
            .and_then(|item| item.as_array_of_tables())
            .and_then(|tables| tables.get(index))
            .and_then(toml_edit::Table::span)
            .unwrap_or(0..0)
    }

    fn item(&self, path: &[&str]) -> Option<&toml_edit::Item> {
        let mut item = self.0.as_ref()?.as_item();
        for key in path {
            item = item.as_table_like()?.get(key)?;
        }
        Some(item)
    }

    fn find(&self, path: &[&str]) -> Option<Range<usize>> {
        let (last, parents) = path.split_last()?;
        let parent = self.item(parents)?.as_table_like()?;
        let (key, item) = parent.get_key_value(last)?;
        // A `[table]` is found by its header; a key (dotted or not) by itself.
        match item.as_table().and_then(toml_edit::Table::span) {
            Some(header) if !item.as_table().is_some_and(toml_edit::Table::is_dotted) => {
                Some(header)
            }
            _ => key.span(),
        }
    }
}

// ---------------------------------------------------------------- site.toml
