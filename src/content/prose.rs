//! Splits a path's per-language Markdown file into its parts.
//!
//! ```markdown
//! +++
//! title = "Pohditko raskauden keskeyttämistä?"
//! summary = "Tietoa ja tukea, kun harkitset raskauden keskeyttämistä."
//! +++
//!
//! Introduction before the first phase.
//!
//! ## Harkitset raskauden keskeyttämistä {#harkinta}
//!
//! Phase text.
//!
//! ### Näin toimit {.instructions}
//!
//! What the customer does.
//!
//! ### S4 {.guidance}
//!
//! Guidance for segment S4; its public label replaces the heading.
//! ```

use crate::code::Code;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;
use toml::Spanned;

use super::toml_diag;
use super::{PhaseText, SharedStr, VecMap};
use crate::diagnostics::{Diagnostic, SourceFile};

/// Markdown extensions polku enables everywhere, in parsing and rendering.
pub fn markdown_options() -> Options {
    Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Spanned<String>,
    #[serde(default)]
    summary: Option<Spanned<String>>,
    #[serde(default)]
    slug: Option<Spanned<String>>,
    #[serde(default)]
    translation_of: Option<Spanned<String>>,
    /// Search words not in the text (synonyms, colloquial words, common
    /// misspellings): indexed and weighted, never shown.
    #[serde(default)]
    keywords: Vec<String>,
}

/// The parts of one language file, with positions for later checks.
#[derive(Debug)]
pub struct ParsedProse {
    /// Title from the front matter.
    pub title: String,
    /// Byte span of the title value.
    pub title_span: Range<usize>,
    /// Summary from the front matter.
    pub summary: String,
    /// Slug given in the front matter, with its span.
    pub slug: Option<(String, Range<usize>)>,
    /// Fingerprint of the source text this translation was confirmed against.
    pub translation_of: Option<String>,
    /// Where the front matter's values stand.
    pub spans: super::FrontMatterSpans,
    /// Search keywords from the front matter.
    pub keywords: Vec<String>,
    /// Markdown before the first phase.
    pub intro: SharedStr,
    /// Phases in file order: id, span of the heading, text.
    pub phases: Vec<(String, Range<usize>, PhaseText)>,
    /// Guidance segment references: segment id and heading span.
    pub guidance_refs: Vec<(String, Range<usize>)>,
    /// Links written in the Markdown: destination and span, for URL checks.
    pub links: Vec<(String, Range<usize>)>,
}

/// A heading of a language file.
pub(crate) struct Heading {
    pub level: HeadingLevel,
    /// `{#id}`, if given.
    pub id: Option<String>,
    /// `{.class}` names.
    pub classes: Vec<String>,
    /// The heading's text, without markup.
    pub text: String,
    /// The heading's line, without its line break.
    pub span: Range<usize>,
}

impl Heading {
    /// Whether this `###` heading starts the instructions.
    pub fn is_instructions(&self) -> bool {
        self.classes.iter().any(|c| c == "instructions")
    }

    /// Whether this `###` heading starts a segment's guidance.
    pub fn is_guidance(&self) -> bool {
        self.classes.iter().any(|c| c == "guidance")
    }
}

/// What starts a part of a language file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opens {
    /// The text before the first phase.
    Intro,
    /// `## Title {#phase-id}`.
    Phase,
    /// `### Heading {.instructions}` inside a phase.
    Instructions,
    /// `### S1 {.guidance}` inside a phase.
    Guidance,
}

/// A part of a language file: the heading that opens it (none for the
/// introduction) and its Markdown, up to the next part's heading.
pub(crate) struct Part<'h> {
    pub opens: Opens,
    pub heading: Option<&'h Heading>,
    pub text: Range<usize>,
}

/// Splits a language file's body into its parts: the introduction, and
/// per phase its text, instructions and guidance. Other headings belong to
/// the part they are in; instructions or guidance before the first phase
/// open nothing (`parse` reports them).
pub(crate) fn parts(headings: &[Heading], body_start: usize, end: usize) -> Vec<Part<'_>> {
    let mut parts = vec![Part {
        opens: Opens::Intro,
        heading: None,
        text: body_start..end,
    }];
    for h in headings {
        let in_phase = parts.len() > 1;
        let opens = match h.level {
            HeadingLevel::H2 => Opens::Phase,
            HeadingLevel::H3 if in_phase && h.is_instructions() => Opens::Instructions,
            HeadingLevel::H3 if in_phase && h.is_guidance() => Opens::Guidance,
            _ => continue,
        };
        if let Some(last) = parts.last_mut() {
            last.text.end = h.span.start;
        }
        parts.push(Part {
            opens,
            heading: Some(h),
            text: h.span.end..end,
        });
    }
    parts
}

/// The headings of a language file's body (from `body_start`), and the
/// links written in it (destination and span).
pub(crate) fn headings_and_links(
    text: &str,
    body_start: usize,
) -> (Vec<Heading>, Vec<(String, Range<usize>)>) {
    let body = &text[body_start..];
    let mut headings: Vec<Heading> = Vec::new();
    let mut links = Vec::new();
    let mut current: Option<Heading> = None;
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        let mut span = shift(range, body_start);
        // Point at one line, not at the blank lines a block swallows.
        if let Some(nl) = text[span.clone()].find('\n') {
            span.end = span.start + nl;
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                current = Some(Heading {
                    level,
                    id: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    text: String::new(),
                    span,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = current.take() {
                    headings.push(h);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = current.as_mut() {
                    h.text.push_str(&t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                links.push((dest_url.to_string(), span));
            }
            _ => {}
        }
    }
    (headings, links)
}

/// Parses a language file. Returns what could be parsed plus every problem.
pub fn parse(file: &SourceFile) -> (Option<ParsedProse>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let text: &str = &file.text;
    let Some((fm_range, body_start)) = front_matter_range(text) else {
        diags.push(
            file.error(Code::MissingFrontMatter, 0..0, "the file does not start with a `+++` front matter block")
                .with_hint("start the file with `+++`, a line `title = \"...\"`, a line `summary = \"...\"` and a closing `+++`"),
        );
        return (None, diags);
    };
    let fm: FrontMatter = match toml::from_str(&text[fm_range.clone()]) {
        Ok(fm) => fm,
        Err(err) => {
            diags.push(toml_diag(file, &err, fm_range.start));
            return (None, diags);
        }
    };
    let title_span = shift(fm.title.span(), fm_range.start);
    let title = fm.title.into_inner().trim().to_string();
    if title.is_empty() {
        diags.push(
            file.error(Code::EmptyTitle, title_span.clone(), "the title is empty")
                .with_hint(
                    "write the path's title, e.g. `title = \"Pohditko raskauden keskeyttämistä?\"`",
                ),
        );
    }
    let spans = super::FrontMatterSpans {
        title: title_span.clone(),
        summary: fm.summary.as_ref().map(|s| shift(s.span(), fm_range.start)),
        translation_of: fm
            .translation_of
            .as_ref()
            .map(|t| shift(t.span(), fm_range.start)),
    };
    let summary = fm
        .summary
        .map(|s| s.into_inner().trim().to_string())
        .unwrap_or_default();
    let translation_of = fm.translation_of.map(Spanned::into_inner);
    let keywords: Vec<String> = fm
        .keywords
        .iter()
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect();
    let slug = fm.slug.map(|s| {
        (
            s.get_ref().trim().to_string(),
            shift(s.span(), fm_range.start),
        )
    });

    let (headings, links) = headings_and_links(text, body_start);

    // Headings that start no section, in the wrong place.
    let mut in_phase = false;
    for h in &headings {
        match h.level {
            HeadingLevel::H1 => diags.push(
                file.error(Code::HeadingStructure, h.span.clone(), "a level-1 heading (`#`) in a path file")
                    .with_hint("the title comes from `title` in the front matter; start phases with `## Phase title {#phase-id}`"),
            ),
            HeadingLevel::H2 => in_phase = true,
            HeadingLevel::H3 if !in_phase && (h.is_instructions() || h.is_guidance()) => diags.push(
                file.error(Code::HeadingStructure, h.span.clone(), "instructions or guidance before the first phase")
                    .with_hint("move this section below a phase heading `## Phase title {#phase-id}`"),
            ),
            _ => {}
        }
    }

    let mut intro = SharedStr::default();
    let mut phases: Vec<(String, Range<usize>, PhaseText)> = Vec::new();
    let mut guidance_refs = Vec::new();
    // The current phase's instructions and guidance sections, with the line
    // each starts on: a second one would silently replace the first.
    let mut phase_sections: Vec<(String, usize)> = Vec::new();
    let lines = file.line_index();
    for part in parts(&headings, body_start, text.len()) {
        let md = SharedStr::trimmed(&file.text, part.text.clone());
        let Some(h) = part.heading else {
            intro = md;
            continue;
        };
        if part.opens == Opens::Phase {
            phase_sections.clear();
            let Some(id) = h.id.clone().filter(|id| !id.is_empty()) else {
                diags.push(
                    file.error(Code::PhaseWithoutId, h.span.clone(), format!("the phase heading \"{}\" has no phase id", h.text.trim()))
                        .with_hint(format!("end the heading with the id of a phase in path.toml, e.g. `## {} {{#phase-id}}`", h.text.trim())),
                );
                // Keep the text attached to nothing rather than to the previous phase.
                let mut nameless = empty_phase(h.text.trim(), 0..0);
                nameless.body = md;
                phases.push((String::new(), h.span.clone(), nameless));
                continue;
            };
            if let Some(first) = phases.iter().find(|p| p.0 == id) {
                let (line, _) = lines.line_col(first.1.start);
                diags.push(
                    file.error(Code::DuplicateId, h.span.clone(), format!("phase `{id}` appears twice in this file"))
                        .with_hint(format!("it is first written on line {line}; merge the two or give this one another id")),
                );
            }
            if h.text.trim().is_empty() {
                diags.push(
                    file.error(
                        Code::EmptyTitle,
                        h.span.clone(),
                        format!("phase `{id}` has an empty heading"),
                    )
                    .with_hint(format!(
                        "write the phase title before the id: `## Phase title {{#{id}}}`"
                    )),
                );
            }
            let mut phase = empty_phase(h.text.trim(), h.span.clone());
            phase.body = md;
            phases.push((id, h.span.clone(), phase));
            continue;
        }
        let is_instructions = part.opens == Opens::Instructions;
        let key = if is_instructions {
            "instructions".to_string()
        } else {
            h.text.trim().to_string()
        };
        let phase = phases
            .last_mut()
            .expect("a section follows a phase heading");
        let (line, _) = lines.line_col(h.span.start);
        if let Some((_, first)) = phase_sections.iter().find(|(k, _)| *k == key) {
            let what = if is_instructions {
                "instructions".to_string()
            } else {
                format!("guidance for {key}")
            };
            diags.push(
                file.error(Code::DuplicateSection, h.span.clone(), format!("{what} appear twice in phase `{}`: on line {first} and on line {line}", phase.0))
                    .with_hint(format!("merge the two sections into the one on line {first}; the second would replace the first")),
            );
        }
        phase_sections.push((key.clone(), line));
        if is_instructions {
            phase.2.instructions = Some((h.text.trim().to_string(), md));
        } else {
            guidance_refs.push((key.clone(), h.span.clone()));
            phase.2.guidance.insert(key, md);
        }
    }
    phases.retain(|p| !p.0.is_empty());

    (
        Some(ParsedProse {
            title,
            title_span,
            summary,
            slug,
            translation_of,
            spans,
            keywords,
            intro,
            phases,
            guidance_refs,
            links,
        }),
        diags,
    )
}

fn empty_phase(title: &str, heading: Range<usize>) -> PhaseText {
    PhaseText {
        title: title.to_string(),
        body: SharedStr::default(),
        instructions: None,
        guidance: VecMap::new(),
        heading,
    }
}

fn shift(range: Range<usize>, by: usize) -> Range<usize> {
    range.start + by..range.end + by
}

/// Why a front matter could not be changed.
#[derive(Debug)]
pub(crate) enum FrontMatterError {
    /// The file does not start with a `+++` block.
    Missing,
    /// The block is not valid TOML.
    Invalid(String),
}

/// Sets top-level string keys of a language file's `+++` front matter
/// (`\n` line endings, no byte-order mark) with toml_edit, so that a key is
/// found as TOML reads it (never a line inside a multi-line string): a key
/// keeps its place and comment, a new one goes last, and every other line
/// stays as it was.
pub(crate) fn set_front_matter(
    text: &str,
    values: &[(&str, &str)],
) -> Result<String, FrontMatterError> {
    let (range, _) = front_matter_range(text).ok_or(FrontMatterError::Missing)?;
    let mut doc: toml_edit::DocumentMut = text[range.clone()]
        .parse()
        .map_err(|e| FrontMatterError::Invalid(format!("{e}")))?;
    for &(key, value) in values {
        match doc.get_mut(key).and_then(toml_edit::Item::as_value_mut) {
            Some(v) => {
                let decor = v.decor().clone();
                *v = toml_edit::Value::from(value);
                *v.decor_mut() = decor;
            }
            None => doc[key] = toml_edit::value(value),
        }
    }
    let mut front = doc.to_string();
    if !front.ends_with('\n') {
        front.push('\n');
    }
    Ok(format!(
        "{}{front}{}",
        &text[..range.start],
        &text[range.end..]
    ))
}

/// Finds the `+++` front matter: the TOML range and where the body starts.
pub(crate) fn front_matter_range(text: &str) -> Option<(Range<usize>, usize)> {
    let rest = text.strip_prefix("+++")?;
    let first_nl = rest.find('\n')?;
    if !rest[..first_nl].trim().is_empty() {
        return None;
    }
    let fm_start = 3 + first_nl + 1;
    let mut offset = fm_start;
    for line in text[fm_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((fm_start..offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "+++\ntitle = \"Otsikko\"\nsummary = \"Tiivistelmä.\"\n+++\n\nJohdanto.\n\n## Ensimmäinen vaihe {#eka}\n\nTeksti.\n\n### Näin toimit {.instructions}\n\nSoita.\n\n### S4 {.guidance}\n\nNopeasti.\n\n## Toinen {#toka}\n\nLisää.\n";

    #[test]
    fn splits_intro_phases_instructions_and_guidance() {
        let file = SourceFile::new("fi.md", SAMPLE);
        let (parsed, diags) = parse(&file);
        assert!(diags.is_empty(), "{diags:?}");
        let parsed = parsed.unwrap();
        assert_eq!(parsed.title, "Otsikko");
        assert_eq!(parsed.summary, "Tiivistelmä.");
        assert_eq!(parsed.intro, "Johdanto.");
        let ids: Vec<_> = parsed.phases.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(ids, ["eka", "toka"]);
        let eka = &parsed.phases[0].2;
        assert_eq!(eka.title, "Ensimmäinen vaihe");
        assert_eq!(eka.body, "Teksti.");
        assert_eq!(&SAMPLE[eka.heading.clone()], "## Ensimmäinen vaihe {#eka}");
        assert_eq!(
            eka.instructions,
            Some(("Näin toimit".into(), "Soita.".into()))
        );
        assert_eq!(
            eka.guidance.get("S4").map(|g| g.as_str()),
            Some("Nopeasti.")
        );
        assert_eq!(parsed.phases[1].2.body, "Lisää.");
    }

    #[test]
    fn missing_front_matter_is_reported_at_line_one() {
        let file = SourceFile::new("sv.md", "# Rubrik\n");
        let (parsed, diags) = parse(&file);
        assert!(parsed.is_none());
        assert_eq!(diags[0].code, Code::MissingFrontMatter);
        assert_eq!((diags[0].line, diags[0].column), (1, 1));
    }

    #[test]
    fn phase_without_id_is_an_error_with_its_line() {
        let file = SourceFile::new(
            "fi.md",
            "+++\ntitle = \"T\"\n+++\n\n## Vaihe ilman tunnistetta\n\nTeksti\n",
        );
        let (_, diags) = parse(&file);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::PhaseWithoutId);
        assert_eq!(diags[0].line, 5);
    }
}
