//! One diagnostic type for every problem polku reports: content errors,
//! editorial warnings, theme errors. Each names a file, a line and a column,
//! says what is wrong and, where it can, how to fix it.

use crate::code::Code;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer, Config};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Blocks `check` and `build` (exit code 1).
    Error,
    /// Reported, but the site still builds.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A source file's text as it was loaded (after NFC normalisation), shared
/// by every diagnostic that points into it so snippets match the positions.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to the user (relative to the working directory when possible).
    pub path: PathBuf,
    /// The text after NFC normalisation.
    pub text: Arc<str>,
}

/// Where each line of a text starts, for placing many offsets in it (every
/// heading of a Markdown file is placed while loading: counting from the
/// start for each would take time that grows with the square of the file).
/// Made for the moment, not kept.
pub struct LineIndex<'a> {
    text: &'a str,
    /// The start of each line after the first.
    starts: Vec<u32>,
}

impl LineIndex<'_> {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = clamp_to_char_boundary(self.text, offset);
        // The lines that start at or before the offset, the first included.
        let line = self
            .starts
            .partition_point(|&start| start as usize <= offset)
            + 1;
        let line_start = match line {
            1 => 0,
            _ => self.starts[line - 2] as usize,
        };
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }
}

impl SourceFile {
    /// Wraps already normalised text.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    /// The index for placing many offsets of this file.
    pub fn line_index(&self) -> LineIndex<'_> {
        // Texts are far below 4 GB (a source file is at most 10 MB).
        let newlines = self.text.bytes().enumerate().filter(|&(_, b)| b == b'\n');
        LineIndex {
            text: &self.text,
            starts: newlines.map(|(i, _)| i as u32 + 1).collect(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.line_index().line_col(offset)
    }

    /// Byte offset of the start of a 1-based line.
    pub fn line_offset(&self, line: usize) -> usize {
        if line <= 1 {
            return 0;
        }
        self.text
            .match_indices('\n')
            .nth(line - 2)
            .map_or(self.text.len(), |(i, _)| i + 1)
    }

    /// Span of the first occurrence of `needle` in the text.
    pub fn span_of(&self, needle: &str) -> Option<Range<usize>> {
        self.text.find(needle).map(|i| i..i + needle.len())
    }

    /// A diagnostic pointing at a byte range of this file.
    pub fn diag(
        &self,
        severity: Severity,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let start = clamp_to_char_boundary(&self.text, span.start);
        let end = clamp_to_char_boundary(&self.text, span.end.max(start));
        let (line, column) = self.line_col(start);
        Diagnostic {
            severity,
            code,
            file: self.path.clone(),
            line,
            column,
            message: message.into(),
            hint: None,
            snippet: Some(Box::new((self.text.clone(), start..end))),
        }
    }

    /// An error pointing at a byte range of this file.
    pub fn error(&self, code: Code, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.diag(Severity::Error, code, span, message)
    }

    /// A warning pointing at a byte range of this file.
    pub fn warning(
        &self,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.diag(Severity::Warning, code, span, message)
    }
}

fn clamp_to_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One problem found in the content, the theme or the command line.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable, machine-readable code such as `unknown-reference`.
    pub code: Code,
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What is wrong, in plain words.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// The source text and the byte range it points at, for the snippet.
    snippet: Option<Box<(Arc<str>, Range<usize>)>>,
}

impl Diagnostic {
    /// A diagnostic about a whole file (line 1, column 1), with no snippet.
    pub fn file_level(
        severity: Severity,
        code: Code,
        file: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            file: file.into(),
            line: 1,
            column: 1,
            message: message.into(),
            hint: None,
            snippet: None,
        }
    }

    /// Adds the hint that tells the editor how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic for a terminal: the one-line
    /// `file:line:column: severity: message` header, then the source snippet
    /// and the hint.
    pub fn render_human(&self) -> String {
        let mut out = format!("{self}\n");
        if let Some((source, span)) = self.snippet.as_deref() {
            let file = SimpleFile::new(self.file.display().to_string(), source.as_ref());
            let label = Label::primary((), span.clone());
            let cs = match self.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
            }
            .with_message(&self.message)
            .with_code(self.code.as_str())
            .with_labels(vec![label])
            .with_notes(self.hint.iter().map(|h| format!("hint: {h}")).collect());
            let mut buffer = Buffer::no_color();
            let config = Config::default();
            if term::emit(&mut buffer, &config, &file, &cs).is_ok() {
                // codespan repeats the message as its first line; the header
                // above already carries it in the greppable form.
                let rendered = String::from_utf8_lossy(buffer.as_slice()).into_owned();
                let snippet: Vec<&str> = rendered.lines().skip(1).collect();
                out.push_str(&snippet.join("\n"));
                out.push('\n');
                return out;
            }
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("  = hint: {hint}\n"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.severity,
            self.message
        )
    }
}

/// Path shown to the user: relative to the current directory when it lies
/// below it, otherwise as given.
pub fn display_path(path: &Path) -> PathBuf {
    if let Ok(cwd) = std::env::current_dir() {
        if let Ok(rel) = path.strip_prefix(&cwd) {
            return rel.to_path_buf();
        }
    }
    path.to_path_buf()
}

/// Sorts diagnostics by file, line and column so output is deterministic.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let file = SourceFile::new("a.toml", "x = 1\ntitle = \"äö\" y\n");
        let offset = file.text.find('y').unwrap();
        assert_eq!(file.line_col(offset), (2, 14));
        assert_eq!(file.line_col(0), (1, 1));
    }

    #[test]
    fn line_col_agrees_with_counting_from_the_start_at_every_offset() {
        let text = "\nfirst line\näö å\n\n## Otsikko {#id}\r\nlast without newline";
        let file = SourceFile::new("a.md", text);
        for offset in 0..=text.len() {
            let offset = clamp_to_char_boundary(text, offset);
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = before[start..].chars().count() + 1;
            assert_eq!(file.line_col(offset), (line, column), "at {offset}");
        }
        assert_eq!(file.line_col(text.len() + 5), file.line_col(text.len()));
    }

    #[test]
    fn line_offset_finds_line_starts() {
        let file = SourceFile::new("a.md", "one\ntwo\nthree");
        assert_eq!(file.line_offset(1), 0);
        assert_eq!(file.line_offset(2), 4);
        assert_eq!(file.line_offset(3), 8);
        assert_eq!(file.line_offset(9), file.text.len());
    }

    #[test]
    fn human_rendering_has_header_snippet_and_hint() {
        let file = SourceFile::new("content/site.toml", "nmae = 1\n");
        let diag = file
            .error(Code::UnknownField, 0..4, "unknown field `nmae`")
            .with_hint("did you mean `name`?");
        let text = diag.render_human();
        assert!(text.starts_with("content/site.toml:1:1: error: unknown field `nmae`\n"));
        assert!(text.contains("nmae = 1"), "{text}");
        assert!(text.contains("hint: did you mean `name`?"), "{text}");
    }
}
