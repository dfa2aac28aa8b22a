//! Where each translatable text sits in a path's language file, and how a
//! translation is put in its place without touching any other byte.

use std::ops::Range;

use crate::content::prose::{front_matter_range, headings_and_links, parts, Opens};

/// Where the texts of one language file are: byte ranges into its text
/// (without byte-order mark, with `\n` line endings).
#[derive(Debug, Default)]
pub struct Layout {
    /// The title and summary, as the front matter gives them.
    pub title: Option<String>,
    pub summary: Option<String>,
    /// The fingerprint the translation was confirmed against.
    pub translation_of: Option<String>,
    /// The introduction, trimmed; empty at `body_start` if there is none.
    pub intro: Range<usize>,
    /// The phases in file order.
    pub phases: Vec<PhaseLayout>,
}

/// Where one phase's texts are.
#[derive(Debug)]
pub struct PhaseLayout {
    pub id: String,
    /// The heading's words (between `## ` and ` {#id}`).
    pub title: Range<usize>,
    /// The text under the heading, trimmed (empty at the heading's end).
    pub body: Range<usize>,
    /// The instructions' heading words and text.
    pub instructions: Option<(Range<usize>, Range<usize>)>,
    /// Each segment's guidance text.
    pub guidance: Vec<(String, Range<usize>)>,
    /// Where the phase ends: the next phase heading, or the end of the file.
    pub end: usize,
}

impl PhaseLayout {
    /// A guidance section's text.
    pub fn guidance(&self, segment: &str) -> Option<Range<usize>> {
        self.guidance
            .iter()
            .find(|(s, _)| s == segment)
            .map(|(_, r)| r.clone())
    }
}

/// The layout of a language file, or `None` without front matter.
pub fn layout(text: &str) -> Option<Layout> {
    let (front, body_start) = front_matter_range(text)?;
    let fm: toml::Table = toml::from_str(&text[front]).ok()?;
    let string = |key: &str| {
        fm.get(key)
            .and_then(|v| v.as_str())
            .map(|s| s.trim().to_string())
    };
    let mut layout = Layout {
        title: string("title"),
        summary: string("summary"),
        translation_of: string("translation_of"),
        intro: body_start..body_start,
        ..Layout::default()
    };
    let (headings, _) = headings_and_links(text, body_start);
    for part in parts(&headings, body_start, text.len()) {
        let range = trim(text, part.text.clone());
        let Some(h) = part.heading else {
            layout.intro = range;
            continue;
        };
        if part.opens == Opens::Phase {
            if let Some(p) = layout.phases.last_mut() {
                p.end = h.span.start;
            }
            layout.phases.push(PhaseLayout {
                id: h.id.clone().unwrap_or_default(),
                title: heading_words(text, h.span.clone()),
                body: range,
                instructions: None,
                guidance: Vec::new(),
                end: text.len(),
            });
            continue;
        }
        let phase = layout
            .phases
            .last_mut()
            .expect("a section follows a phase heading");
        if part.opens == Opens::Instructions {
            phase.instructions = Some((heading_words(text, h.span.clone()), range));
        } else {
            phase.guidance.push((h.text.trim().to_string(), range));
        }
    }
    Some(layout)
}

/// `range` without the whitespace around it; an empty range at its start
/// when it holds nothing else.
fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let whole = &text[range.clone()];
    let trimmed = whole.trim();
    if trimmed.is_empty() {
        return range.start..range.start;
    }
    let start = range.start + (whole.len() - whole.trim_start().len());
    start..start + trimmed.len()
}

/// The words of a heading line: after the `#` marks, before the
/// `{#id .class}` attributes and closing `#` marks.
fn heading_words(text: &str, line: Range<usize>) -> Range<usize> {
    let s = &text[line.clone()];
    let after_marks = s.trim_start().trim_start_matches('#');
    let mut start = line.start + (s.len() - after_marks.len());
    let mut rest = &text[start..line.end];
    let lead = rest.len() - rest.trim_start().len();
    start += lead;
    rest = &rest[lead..];
    let mut end = rest.trim_end().len();
    if rest[..end].ends_with('}') {
        if let Some(open) = rest[..end].rfind('{') {
            end = open;
        }
    }
    let words = rest[..end].trim_end().trim_end_matches('#').trim_end();
    start..start + words.len()
}

/// A change to a file: `range` replaced by `text`; an empty range inserts.
#[derive(Debug, Clone)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// A block of Markdown to insert at `at`, with the blank lines it needs
/// around it.
pub fn insert_block(text: &str, at: usize, block: &str) -> Edit {
    let (before, after) = text.split_at(at);
    let prefix = if before.ends_with("\n\n") || before.is_empty() {
        ""
    } else if before.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    let suffix = if after.is_empty() {
        "\n"
    } else if after.starts_with("\n\n") {
        ""
    } else if after.starts_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    Edit {
        range: at..at,
        text: format!("{prefix}{block}{suffix}"),
    }
}

/// The text with every edit applied (edits do not overlap; insertions at
/// one place keep their order).
pub fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| e.range.start);
    let mut out = String::with_capacity(text.len() + 256);
    let mut cursor = 0;
    for e in edits {
        out.push_str(&text[cursor..e.range.start.max(cursor)]);
        out.push_str(&e.text);
        cursor = cursor.max(e.range.end);
    }
    out.push_str(&text[cursor..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "+++\ntitle = \"Otsikko\" # kommentti\nsummary = \"Tiivistelmä.\"\n+++\n\nJohdanto.\n\n## Ensimmäinen *vaihe* {#eka}\n\nTeksti.\n\n### Näin toimit {.instructions}\n\nSoita.\n\n### Muu otsikko\n\nLisää.\n\n### S4 {.guidance}\n\nNopeasti.\n\n## Toinen ## {#toka}\n";

    #[test]
    fn finds_every_text() {
        let l = layout(FILE).unwrap();
        let at = |r: &Range<usize>| &FILE[r.clone()];
        assert_eq!(l.title.as_deref(), Some("Otsikko"));
        assert_eq!(l.summary.as_deref(), Some("Tiivistelmä."));
        assert_eq!(at(&l.intro), "Johdanto.");
        let eka = &l.phases[0];
        assert_eq!(
            (eka.id.as_str(), at(&eka.title)),
            ("eka", "Ensimmäinen *vaihe*")
        );
        assert_eq!(at(&eka.body), "Teksti.");
        let (title, body) = eka.instructions.clone().unwrap();
        assert_eq!(
            (at(&title), at(&body)),
            ("Näin toimit", "Soita.\n\n### Muu otsikko\n\nLisää.")
        );
        assert_eq!(at(&eka.guidance("S4").unwrap()), "Nopeasti.");
        assert_eq!(&FILE[eka.end..eka.end + 9], "## Toinen");
        let toka = &l.phases[1];
        assert_eq!(
            (at(&toka.title), toka.body.clone()),
            ("Toinen", FILE.len() - 1..FILE.len() - 1)
        );
    }

    #[test]
    fn blocks_are_inserted_with_blank_lines_around() {
        let text = "## A {#a}\n\nTeksti.\n\n## B {#b}\n";
        let l = layout(&format!("+++\ntitle = \"T\"\n+++\n{text}")).unwrap();
        assert_eq!(l.intro.start, l.intro.end);
        let edits = vec![
            insert_block(text, 20, "### S1 {.guidance}\n\nOhje."),
            insert_block(text, text.len(), "### S2 {.guidance}\n\nToinen."),
        ];
        assert_eq!(
            apply(text, edits),
            "## A {#a}\n\nTeksti.\n\n### S1 {.guidance}\n\nOhje.\n\n## B {#b}\n\n### S2 {.guidance}\n\nToinen.\n"
        );
    }
}
