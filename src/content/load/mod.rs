//! Loading `content/` into a validated [`Site`], collecting every problem.
//!
//! One loader per content file (`site.rs`, `segments.rs`, `topics.rs`,
//! `channels.rs`, `links.rs`, `paths.rs`), the cross-file reference checks
//! (`refs.rs`), field validators (`values.rs`) and shared helpers
//! (`helpers.rs`); this file runs them and caches what a save did not touch.

use crate::code::Code;
mod channels;
mod helpers;
mod links;
mod paths;
mod refs;
mod segments;
mod site;
mod topics;
mod values;

use channels::*;
pub(crate) use helpers::TomlKeys;
use helpers::*;
use links::*;
use paths::*;
use refs::*;
use segments::*;
pub(crate) use site::parse_hex_colour;
use site::*;
use topics::*;
use values::*;
pub use values::{normalize_base_url, BaseUrl, BaseUrlError};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;
use time::Date;
use toml::value::Datetime;
use toml::Spanned;

use super::slug::{is_valid_slug, shorten, slugify, MAX_SLUG_BYTES};
use super::{config::*, containers::*, lang::*, model::*};
use super::{parse_toml, prose, read_source_noting};
use crate::diagnostics::{self, display_path, Diagnostic, Severity, SourceFile};

/// The outcome of loading: the site when there were no errors, and every
/// diagnostic found either way.
#[derive(Debug)]
pub struct Loaded {
    /// The validated site, present only when no error was found.
    pub site: Option<Site>,
    /// Every problem, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads and validates the content folder, reporting every problem at once.
pub fn load_site(root: &Path) -> Loaded {
    LoadCache::load(root).finish()
}

/// Everything read from a content folder, kept so that `polku serve` can
/// re-read only the path folders that changed and reuse the rest.
pub struct LoadCache {
    root: PathBuf,
    missing_root: bool,
    config: Option<SiteConfig>,
    languages: Vec<Lang>,
    /// Diagnostics of the shared files (site, segments, topics, channels, links).
    shared_diags: Vec<Diagnostic>,
    // `None` where the file itself could not be read: references into it
    // are then not checked, so one typo does not bury the real error.
    segments: Option<Vec<Segment>>,
    topics_and_audiences: Option<(Vec<Topic>, Vec<Audience>)>,
    channels: Option<Vec<Channel>>,
    links: Option<Vec<Link>>,
    /// The shared files as read, kept in the site for the editorial checks.
    sources: SharedSources,
    /// Each path folder with what loading it produced, sorted by folder.
    paths: BTreeMap<PathBuf, (Option<PendingPath>, Vec<Diagnostic>)>,
}

impl LoadCache {
    /// Reads every file of the content folder.
    pub fn load(root: &Path) -> LoadCache {
        let mut shared_diags = Vec::new();
        let mut cache = LoadCache {
            root: root.to_path_buf(),
            missing_root: !root.is_dir(),
            config: None,
            languages: Lang::DEFAULT.to_vec(),
            shared_diags: Vec::new(),
            segments: None,
            topics_and_audiences: None,
            channels: None,
            links: None,
            sources: SharedSources::default(),
            paths: BTreeMap::new(),
        };
        if cache.missing_root {
            return cache;
        }
        cache.config = load_config(
            &root.join("site.toml"),
            &mut cache.sources.site,
            &mut shared_diags,
        );
        if let Some(c) = &cache.config {
            cache.languages = c.languages.clone();
        }
        let default_lang = cache.languages[0];
        cache.segments = load_segments(
            &root.join("segments.toml"),
            default_lang,
            &mut cache.sources.segments,
            &mut shared_diags,
        );
        cache.topics_and_audiences = load_topics(
            &root.join("topics.toml"),
            default_lang,
            &mut cache.sources.topics,
            &mut shared_diags,
        );
        cache.channels = load_channels(
            &root.join("channels.toml"),
            &cache.languages,
            &mut cache.sources.channels,
            &mut shared_diags,
        );
        cache.links = load_links(
            &root.join("links.toml"),
            default_lang,
            &mut cache.sources.links,
            &mut shared_diags,
        );
        let folders = path_folders(&root.join("paths"), &mut shared_diags);
        let languages = cache.languages.clone();
        // Each folder is loaded as soon as it is listed (listing 10,000
        // folders that are not in the cache took a tenth of a second);
        // sorted when collected.
        let loaded: Vec<Result<_, Diagnostic>> = folders
            .into_iter()
            .flatten()
            .par_bridge()
            .filter_map(|entry| match entry {
                PathFolder::Folder(dir) => {
                    let loaded = load_path(&dir, &languages);
                    Some(Ok((dir, loaded)))
                }
                PathFolder::Refused(diag) => Some(Err(diag)),
                PathFolder::Skipped => None,
            })
            .collect();
        for entry in loaded {
            match entry {
                Ok((dir, loaded)) => {
                    cache.paths.insert(dir, loaded);
                }
                Err(diag) => shared_diags.push(diag),
            }
        }
        cache.shared_diags = shared_diags;
        cache
    }

    /// Re-reads the given path folders only (changed, added or removed).
    pub fn reload_paths(&mut self, dirs: &[PathBuf]) {
        for dir in dirs {
            let hidden = dir
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(['.', '_']));
            if dir.is_dir() && !hidden {
                let loaded = load_path(dir, &self.languages);
                self.paths.insert(dir.clone(), loaded);
            } else {
                self.paths.remove(dir);
            }
        }
    }

    /// The languages of site.toml as last read (the default pair when it
    /// could not be read).
    pub fn languages(&self) -> &[Lang] {
        &self.languages
    }

    /// The path folder a changed file belongs to, when it is inside one.
    pub fn path_dir_of(&self, file: &Path) -> Option<PathBuf> {
        let paths = self.root.join("paths");
        let rel = file.strip_prefix(&paths).ok()?;
        let first = rel.components().next()?;
        Some(paths.join(first.as_os_str()))
    }

    /// Runs the checks across files and assembles the site.
    pub fn finish(&self) -> Loaded {
        if self.missing_root {
            return Loaded {
                site: None,
                diagnostics: vec![Diagnostic::file_level(
                    Severity::Error,
                    Code::MissingContent,
                    display_path(&self.root),
                    "the content folder does not exist",
                )
                .with_hint(
                    "run polku in the project folder, or pass the folder with `--content DIR`",
                )],
            };
        }
        let mut diags = self.shared_diags.clone();
        let pending: Vec<&PendingPath> = self
            .paths
            .values()
            .filter_map(|(p, _)| p.as_ref())
            .collect();
        for (_, d) in self.paths.values() {
            diags.extend(d.iter().cloned());
        }
        let index = Index {
            segments: self
                .segments
                .as_ref()
                .map(|v| v.iter().map(|s| s.id.as_str()).collect()),
            topics: self
                .topics_and_audiences
                .as_ref()
                .map(|(t, _)| t.iter().map(|t| t.id.as_str()).collect()),
            audiences: self
                .topics_and_audiences
                .as_ref()
                .map(|(_, a)| a.iter().map(|a| a.id.as_str()).collect()),
            channels: self
                .channels
                .as_ref()
                .map(|v| v.iter().map(|c| c.id.as_str()).collect()),
            links: self
                .links
                .as_ref()
                .map(|v| v.iter().map(|l| l.id.as_str()).collect()),
            paths: pending.iter().map(|p| p.path.id.as_str()).collect(),
            phases: pending
                .iter()
                .map(|p| {
                    let ids = p.path.phases.iter().map(|ph| ph.id.as_str()).collect();
                    (p.path.id.as_str(), ids)
                })
                .collect(),
        };
        diags.par_extend(pending.par_iter().flat_map_iter(|p| {
            let mut found = Vec::new();
            check_references(p, &index, &mut found);
            found
        }));
        check_path_slugs(&pending, &self.languages, &mut diags);

        diagnostics::sort(&mut diags);
        let has_errors = diags.iter().any(Diagnostic::is_error);
        let site = match &self.config {
            Some(config) if !has_errors => {
                let (topics, audiences) = self.topics_and_audiences.clone().unwrap_or_default();
                Some(Site {
                    root: self.root.clone(),
                    config: config.clone(),
                    segments: self.segments.clone().unwrap_or_default(),
                    topics,
                    audiences,
                    channels: self.channels.clone().unwrap_or_default(),
                    links: self.links.clone().unwrap_or_default(),
                    paths: pending.iter().map(|p| p.path.clone()).collect(),
                    sources: self.sources.clone(),
                })
            }
            _ => None,
        };
        Loaded {
            site,
            diagnostics: diags,
        }
    }
}

// ---------------------------------------------------------------- helpers
