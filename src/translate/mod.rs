//! The translators' round trip: every translatable text of the content as
//! an XLIFF 1.2 unit (`polku translate export`), and the translations put
//! back into the language files and TOML fields (`polku translate import`).
//!
//! A path's texts come from its language files (`fi.md`, `sv.md`, …): the
//! title and summary, the introduction, and each phase's heading, text,
//! instructions and guidance per segment. The short texts come from the
//! TOML files (`name.fi`, `label.sv`, …). Markdown markup is kept as codes
//! the translator moves but cannot change (`inline`).

mod import;
mod inline;
mod markdown;
mod notes;
mod toml_texts;
mod units;
mod write_back;
mod xliff;

use std::path::{Path as FsPath, PathBuf};

use crate::content::{Lang, Site};
use crate::diagnostics::Diagnostic;
pub use import::import;
use inline::Piece;
use units::collect;

/// Which units an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Only {
    /// Texts with no translation.
    Missing,
    /// Translations whose source changed after they were confirmed, or
    /// that were never confirmed.
    Stale,
    /// Missing and stale: what needs a translator.
    #[default]
    Todo,
    /// Every text, current translations included (for a translation memory).
    All,
}

/// Where a text's translation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Translated and confirmed against the current source.
    Current,
    /// Translated, but the source changed since (or it was never confirmed).
    Stale,
    /// Not translated.
    Missing,
}

/// One text to translate.
#[derive(Debug, Clone)]
struct Unit {
    /// Stable within its file: `title`, `phase.yhteydenotto.body`,
    /// `channel[chat].name`.
    id: String,
    source: Vec<Piece>,
    /// The current translation, its codes numbered as the source's.
    target: Option<Vec<Piece>>,
    state: State,
    notes: Vec<String>,
    /// A heading, title or TOML text: one line.
    one_line: bool,
}

/// The units of one content file.
#[derive(Debug)]
struct UnitFile {
    /// The file, relative to the content folder, with `/`: `paths/x/fi.md`.
    original: String,
    kind: Kind,
    units: Vec<Unit>,
}

#[derive(Debug)]
enum Kind {
    /// A path's source-language file; the translation goes to `target`.
    Path { id: String, target: PathBuf },
    /// A TOML file; the translation goes into it.
    Toml { file: PathBuf },
}

/// Units per language and state, for the preview's status page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub current: usize,
    pub stale: usize,
    pub missing: usize,
}

/// What an export holds.
#[derive(Debug)]
pub struct Export {
    /// The XLIFF document; `None` when no unit matched.
    pub xliff: Option<String>,
    pub files: usize,
    pub counts: Counts,
}

/// What an import changed.
#[derive(Debug, Default)]
pub struct Imported {
    /// Units read with a translation.
    pub translated: usize,
    /// Files written (only those whose bytes changed).
    pub written: Vec<PathBuf>,
    /// Paths whose translation was confirmed (`translation_of`).
    pub confirmed: Vec<String>,
    /// Paths with translations still marked for review: written, but not
    /// confirmed.
    pub awaiting_review: Vec<String>,
}

/// TOML files with per-language texts, besides each path's `path.toml`.
const TOML_FILES: &[&str] = &[
    "site.toml",
    "segments.toml",
    "topics.toml",
    "channels.toml",
    "links.toml",
];

/// Counts of current, stale and missing units for `lang`.
pub fn counts(site: &Site, lang: Lang) -> Result<Counts, Diagnostic> {
    let files = collect(site, lang)?;
    Ok(count(files.iter().flat_map(|f| &f.units)))
}

fn count<'a>(units: impl Iterator<Item = &'a Unit>) -> Counts {
    let mut c = Counts::default();
    for u in units {
        match u.state {
            State::Current => c.current += 1,
            State::Stale => c.stale += 1,
            State::Missing => c.missing += 1,
        }
    }
    c
}

/// The units for `to` that `only` selects, as XLIFF 1.2.
pub fn export(site: &Site, to: Lang, only: Only) -> Result<Export, Diagnostic> {
    let mut files = collect(site, to)?;
    for file in &mut files {
        file.units.retain(|u| match only {
            Only::Missing => u.state == State::Missing,
            Only::Stale => u.state == State::Stale,
            Only::Todo => u.state != State::Current,
            Only::All => true,
        });
    }
    files.retain(|f| !f.units.is_empty());
    let counts = count(files.iter().flat_map(|f| &f.units));
    let header = vec![
        "Made by polku from the site's content. Translate each <source> into <target>; leave units you do not translate without a target.".to_string(),
        "The <ph> codes are Markdown: link brackets and addresses, emphasis, list items and paragraph breaks. Keep every code, and move it with the words it belongs to.".to_string(),
    ];
    let refs: Vec<&UnitFile> = files.iter().collect();
    Ok(Export {
        xliff: (!files.is_empty())
            .then(|| xliff::write(&refs, site.config.default_lang(), to, &header)),
        files: files.len(),
        counts,
    })
}

fn relative(site: &Site, file: &FsPath) -> String {
    let rel = file.strip_prefix(&site.root).unwrap_or(file);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
