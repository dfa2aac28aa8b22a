//! XLIFF 1.2 written and read: one `<file>` per content file, one
//! `<trans-unit>` per text, Markdown kept as `<ph>` codes.

use std::fmt::Write;
use std::ops::Range;

use super::inline::Piece;
use super::{State, Unit, UnitFile};
use crate::content::Lang;
use crate::diagnostics::SourceFile;

const NS: &str = "urn:oasis:names:tc:xliff:document:1.2";

/// An XLIFF document of the given files, from `source` to `target`.
pub fn write(files: &[&UnitFile], source: Lang, target: Lang, notes: &[String]) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<xliff version=\"1.2\" xmlns=\"{NS}\">");
    for file in files {
        let _ = writeln!(
            out,
            "  <file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"{}\">",
            escape(&file.original, true),
            source.code(),
            target.code(),
            if file.original.ends_with(".md") { "x-markdown" } else { "plaintext" }
        );
        out.push_str("    <header>\n");
        let _ = writeln!(
            out,
            "      <tool tool-id=\"polku\" tool-name=\"polku\" tool-version=\"{}\"/>",
            env!("CARGO_PKG_VERSION")
        );
        for note in notes {
            let _ = writeln!(
                out,
                "      <note from=\"polku\">{}</note>",
                escape(note, false)
            );
        }
        out.push_str("    </header>\n    <body>\n");
        for unit in &file.units {
            write_unit(&mut out, unit);
        }
        out.push_str("    </body>\n  </file>\n");
    }
    out.push_str("</xliff>\n");
    out
}

fn write_unit(out: &mut String, unit: &Unit) {
    let id = escape(&unit.id, true);
    let approved = if unit.state == State::Current && unit.target.is_some() {
        " approved=\"yes\""
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "      <trans-unit id=\"{id}\" resname=\"{id}\"{approved} xml:space=\"preserve\">"
    );
    let _ = writeln!(out, "        <source>{}</source>", pieces(&unit.source));
    if let Some(target) = &unit.target {
        let state = match unit.state {
            State::Current => "translated",
            State::Stale | State::Missing => "needs-review-translation",
        };
        let _ = writeln!(
            out,
            "        <target state=\"{state}\">{}</target>",
            pieces(target)
        );
    }
    for note in &unit.notes {
        let _ = writeln!(
            out,
            "        <note from=\"polku\">{}</note>",
            escape(note, false)
        );
    }
    out.push_str("      </trans-unit>\n");
}

fn pieces(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(&escape(t, false)),
            Piece::Code { id, native } => {
                let _ = write!(out, "<ph id=\"{id}\">{}</ph>", escape(native, false));
            }
        }
    }
    out
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// A `<file>` as read back.
#[derive(Debug)]
pub struct ReadFile {
    pub original: String,
    pub source_language: String,
    pub target_language: String,
    /// The `<file>` start tag.
    pub span: Range<usize>,
    pub units: Vec<ReadUnit>,
}

/// A `<trans-unit>` as read back.
#[derive(Debug)]
pub struct ReadUnit {
    pub id: String,
    /// The `<trans-unit>` start tag.
    pub span: Range<usize>,
    pub source: Result<Vec<Piece>, Problem>,
    /// The target, unless absent or marked as not translated yet.
    pub target: Option<Result<Vec<Piece>, Problem>>,
    /// The target is marked for review (`state="needs-review-…"`): a
    /// translation, but not one to confirm.
    pub awaiting_review: bool,
}

/// What is wrong, and where.
#[derive(Debug, Clone)]
pub struct Problem {
    pub message: String,
    pub span: Range<usize>,
}

/// Target states that mean "no translation yet".
const UNTRANSLATED: &[&str] = &["new", "needs-translation"];

/// Reads an XLIFF 1.2 document.
pub fn read(text: &str) -> Result<Vec<ReadFile>, Problem> {
    let doc = roxmltree::Document::parse(text).map_err(|e| {
        let pos = e.pos();
        // The error's line, and its column in characters.
        let line_start = SourceFile::new("", text).line_offset(pos.row as usize);
        let at = line_start
            + text[line_start..]
                .char_indices()
                .nth((pos.col as usize).saturating_sub(1))
                .map_or(text.len() - line_start, |(i, _)| i);
        Problem {
            message: format!("the file is not well-formed XML: {e}"),
            span: at..at,
        }
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "xliff" || root.attribute("version") != Some("1.2") {
        return Err(Problem {
            message: "the file is not XLIFF 1.2 (`<xliff version=\"1.2\">`)".into(),
            span: start_tag(root),
        });
    }
    let mut files = Vec::new();
    for file in root.children().filter(|n| n.has_tag_name("file")) {
        let mut units = Vec::new();
        collect_units(file, &mut units);
        files.push(ReadFile {
            original: file.attribute("original").unwrap_or_default().to_string(),
            source_language: file
                .attribute("source-language")
                .unwrap_or_default()
                .to_string(),
            target_language: file
                .attribute("target-language")
                .unwrap_or_default()
                .to_string(),
            span: start_tag(file),
            units,
        });
    }
    Ok(files)
}

fn collect_units(node: roxmltree::Node, units: &mut Vec<ReadUnit>) {
    for child in node.children().filter(|n| n.is_element()) {
        match child.tag_name().name() {
            "body" | "group" => collect_units(child, units),
            "trans-unit" => {
                let source = child
                    .children()
                    .find(|n| n.has_tag_name("source"))
                    .map(read_pieces)
                    .unwrap_or_else(|| {
                        Err(Problem {
                            message: "the unit has no `<source>`".into(),
                            span: start_tag(child),
                        })
                    });
                let target_node = child.children().find(|n| n.has_tag_name("target"));
                let awaiting_review = target_node
                    .and_then(|t| t.attribute("state"))
                    .is_some_and(|s| s.starts_with("needs-review"));
                let target = target_node
                    .filter(|t| !UNTRANSLATED.contains(&t.attribute("state").unwrap_or("")))
                    .map(read_pieces)
                    .filter(|p| !matches!(p, Ok(p) if super::inline::join(p).trim().is_empty()));
                units.push(ReadUnit {
                    id: child.attribute("id").unwrap_or_default().to_string(),
                    span: start_tag(child),
                    source,
                    target,
                    awaiting_review,
                });
            }
            _ => {}
        }
    }
}

/// The text and `<ph>` codes of a `<source>` or `<target>`; `<mrk>`
/// segment markers are read through.
fn read_pieces(node: roxmltree::Node) -> Result<Vec<Piece>, Problem> {
    let mut out: Vec<Piece> = Vec::new();
    for child in node.children() {
        if let Some(text) = child.text().filter(|_| child.is_text()) {
            match out.last_mut() {
                Some(Piece::Text(t)) => t.push_str(text),
                _ => out.push(Piece::Text(text.to_string())),
            }
            continue;
        }
        if !child.is_element() {
            continue;
        }
        match child.tag_name().name() {
            "ph" => {
                let id = child
                    .attribute("id")
                    .and_then(|id| id.parse::<usize>().ok())
                    .ok_or_else(|| Problem {
                        message: "a `<ph>` code without a numeric `id`".into(),
                        span: start_tag(child),
                    })?;
                let native: String = child
                    .descendants()
                    .filter(|n| n.is_text())
                    .filter_map(|n| n.text())
                    .collect();
                out.push(Piece::Code { id, native });
            }
            "mrk" => {
                for piece in read_pieces(child)? {
                    match (out.last_mut(), piece) {
                        (Some(Piece::Text(t)), Piece::Text(more)) => t.push_str(&more),
                        (_, piece) => out.push(piece),
                    }
                }
            }
            other => {
                return Err(Problem {
                    message: format!("`<{other}>` is not a code polku wrote; only the `<ph>` codes of the export can be kept"),
                    span: start_tag(child),
                })
            }
        }
    }
    Ok(out)
}

fn start_tag(node: roxmltree::Node) -> Range<usize> {
    let range = node.range();
    let end = node
        .first_child()
        .map(|c| c.range().start)
        .unwrap_or(range.end);
    range.start..end
}
