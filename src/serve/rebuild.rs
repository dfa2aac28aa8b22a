//! The rebuild loop's builder: reloads what a save touched, re-renders the
//! pages it affects and publishes the result (or the errors) to the server.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{ServeOptions, Shared};
use crate::content::{Lang, LoadCache, Site};
use crate::diagnostics::Diagnostic;
use crate::render::{self, RenderSettings, Scope, Theme};

/// Rebuilds the in-memory site from the content and theme folders.
pub(super) struct Builder {
    options: ServeOptions,
    base_url: String,
    cache: LoadCache,
    theme: Option<Theme>,
    site: Option<Arc<Site>>,
    /// Editorial findings per path id, re-checked only for changed paths.
    path_findings: BTreeMap<String, Vec<Diagnostic>>,
    /// Search-index entries of the paths, re-indexed only when they change.
    search_cache: Arc<std::sync::Mutex<render::search::SearchCache>>,
}

/// What one rebuild did, for the terminal.
pub struct RebuildReport {
    /// Pages rendered (0 when the content has errors).
    pub pages: usize,
    /// Whether only some pages were rendered.
    pub partial: bool,
    /// How long it took.
    pub elapsed: Duration,
    /// Errors and warnings of the content now.
    pub diagnostics: Vec<Diagnostic>,
}

impl Builder {
    pub(super) fn new(options: ServeOptions, base_url: String) -> Builder {
        let cache = LoadCache::load(&options.content);
        Builder {
            options,
            base_url,
            cache,
            theme: None,
            site: None,
            path_findings: BTreeMap::new(),
            search_cache: Arc::default(),
        }
    }

    /// The languages of site.toml as just read: the theme's UI strings
    /// must cover them.
    fn languages(&self) -> Vec<Lang> {
        self.cache.languages().to_vec()
    }

    /// Reloads what `changed` touches and re-renders the affected pages,
    /// publishing the result (or the errors) to `shared`.
    pub(super) fn rebuild(&mut self, changed: &[PathBuf], shared: &Shared) -> RebuildReport {
        let started = Instant::now();
        let theme_dir = &self.options.theme;
        let content_dir = &self.options.content;
        let first = self.theme.is_none() && changed.is_empty();
        let project = content_dir.parent().map(std::path::Path::to_path_buf);
        let in_overrides = |p: &std::path::Path| {
            project.as_ref().is_some_and(|r| {
                p.starts_with(r.join("templates")) || p.starts_with(r.join("static"))
            })
        };
        let theme_changed = first
            || changed
                .iter()
                .any(|p| p.starts_with(theme_dir) || in_overrides(p));
        let mut path_dirs = BTreeSet::new();
        let mut shared_changed = first;
        for p in changed.iter().filter(|p| p.starts_with(content_dir)) {
            match self.cache.path_dir_of(p) {
                Some(dir) => {
                    path_dirs.insert(dir);
                }
                None => shared_changed = true,
            }
        }
        if shared_changed && !first {
            self.cache = LoadCache::load(content_dir);
        } else if !path_dirs.is_empty() {
            self.cache
                .reload_paths(&path_dirs.iter().cloned().collect::<Vec<_>>());
        }
        // A language added to (or removed from) site.toml needs the theme's
        // UI strings for it.
        let mut wanted = self.languages();
        wanted.sort();
        let languages_changed = self
            .theme
            .as_ref()
            .is_some_and(|t| t.translations.languages() != wanted);
        let theme_changed = theme_changed || languages_changed;
        let mut theme_diags = Vec::new();
        if theme_changed {
            let overrides = render::override_dirs(&self.options.content);
            match Theme::load_with_overrides(theme_dir, overrides.as_deref(), &self.languages()) {
                Ok(theme) => {
                    *shared
                        .translations
                        .write()
                        .unwrap_or_else(|e| e.into_inner()) = Some(theme.translations.clone());
                    self.theme = Some(theme);
                }
                Err(d) => theme_diags = d,
            }
        }
        let loaded = self.cache.finish();
        let mut diagnostics = loaded.diagnostics;
        diagnostics.extend(theme_diags);
        crate::diagnostics::sort(&mut diagnostics);
        let report = |pages, partial, diagnostics: Vec<Diagnostic>| RebuildReport {
            pages,
            partial,
            elapsed: started.elapsed(),
            diagnostics,
        };
        let (Some(site), Some(theme)) = (loaded.site, self.theme.as_ref()) else {
            return self.publish_errors(diagnostics, shared, report);
        };
        if !diagnostics.iter().any(Diagnostic::is_error) {
            // Only with the theme's strings for every language (no errors).
            diagnostics.extend(render::section_slug_clashes(&site, &theme.translations));
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            return self.publish_errors(diagnostics, shared, report);
        }

        // Re-render one path's pages when only that path changed; anything
        // shared (or a changed address) re-renders everything.
        let changed_ids: BTreeSet<String> = path_dirs
            .iter()
            .filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let same_addresses = self.site.as_ref().is_some_and(|old| {
            old.paths.len() == site.paths.len()
                && old.paths.iter().zip(&site.paths).all(|(a, b)| {
                    a.id == b.id
                        && a.texts
                            .iter()
                            .map(|(l, t)| (l, &t.slug))
                            .eq(b.texts.iter().map(|(l, t)| (l, &t.slug)))
                })
        });
        let scope = if theme_changed || shared_changed || !same_addresses || changed_ids.is_empty()
        {
            Scope::All
        } else {
            let channels = [self.site.as_deref(), Some(&site)]
                .into_iter()
                .flatten()
                .flat_map(|s| s.paths.iter().filter(|p| changed_ids.contains(&p.id)))
                .flat_map(|p| p.phases.iter().flat_map(|ph| ph.channels.iter().cloned()))
                .collect();
            // Editing a phase text changes only the path's own pages; other
            // pages show its title, summary, address, topic and channels.
            let listings = changed_ids.iter().any(|id| {
                let old = self.site.as_deref().and_then(|s| s.path(id));
                let new = site.path(id);
                old.map(listing) != new.map(listing)
            });
            Scope::Paths {
                paths: changed_ids,
                channels,
                listings,
            }
        };
        let settings = RenderSettings {
            base_url: self.base_url.clone(),
            preview: true,
            scope: scope.clone(),
            search_cache: Some(self.search_cache.clone()),
        };
        match render::render_with(&site, theme, &settings) {
            Err(d) => {
                diagnostics.extend(d);
                self.publish_errors(diagnostics, shared, report)
            }
            Ok(rendered) => {
                let count = rendered
                    .files
                    .keys()
                    .filter(|f| f.ends_with(".html"))
                    .count();
                // The same editorial findings as `polku check`, for changed paths only.
                let only = match &scope {
                    Scope::All => None,
                    Scope::Paths { paths, .. } => Some(paths),
                };
                let checked = crate::check::check_site(&site, crate::today(), only);
                if only.is_none() {
                    self.path_findings.clear();
                }
                let ids: BTreeSet<&str> = site.paths.iter().map(|p| p.id.as_str()).collect();
                self.path_findings.retain(|id, _| ids.contains(id.as_str()));
                self.path_findings.extend(checked.per_path);
                diagnostics.extend(checked.global);
                diagnostics.extend(self.path_findings.values().flatten().cloned());
                crate::diagnostics::sort(&mut diagnostics);
                let page_findings = page_findings(&site, &diagnostics);
                let site = Arc::new(site);
                {
                    let mut snap = shared.snapshot.write().unwrap_or_else(|e| e.into_inner());
                    if scope == Scope::All {
                        snap.files.clear();
                        snap.pages = rendered.pages.iter().map(|p| p.url.clone()).collect();
                    }
                    for (name, bytes) in rendered.files {
                        snap.files.insert(name, Arc::new(bytes));
                    }
                    snap.generation += 1;
                    snap.diagnostics = diagnostics.clone();
                    snap.default_lang = site.config.default_lang();
                    snap.page_findings = page_findings;
                    snap.site = Some(site.clone());
                }
                self.site = Some(site);
                shared.bump();
                report(count, scope != Scope::All, diagnostics)
            }
        }
    }

    fn publish_errors(
        &self,
        diagnostics: Vec<Diagnostic>,
        shared: &Shared,
        report: impl Fn(usize, bool, Vec<Diagnostic>) -> RebuildReport,
    ) -> RebuildReport {
        {
            let mut snap = shared.snapshot.write().unwrap_or_else(|e| e.into_inner());
            snap.generation += 1;
            snap.diagnostics = diagnostics.clone();
        }
        shared.bump();
        report(0, false, diagnostics)
    }
}

/// Findings about each path page's own files, keyed by the page's output file.
fn page_findings(site: &Site, diagnostics: &[Diagnostic]) -> HashMap<String, Vec<Diagnostic>> {
    let mut map = HashMap::new();
    let findings = crate::check::FindingsByFile::new(diagnostics);
    for path in &site.paths {
        for &lang in &site.config.languages {
            let mine: Vec<Diagnostic> = findings.about(path, lang).into_iter().cloned().collect();
            if !mine.is_empty() {
                let (text, _) = path.text(lang);
                map.insert(format!("{}/{}/index.html", lang.code(), text.slug), mine);
            }
        }
    }
    map
}

/// What pages other than its own show of a path.
type Listing<'a> = (
    Vec<(Lang, &'a str, &'a str, &'a str)>,
    &'a str,
    bool,
    BTreeSet<&'a str>,
);

fn listing(p: &crate::content::ServicePath) -> Listing<'_> {
    let texts = p
        .texts
        .iter()
        .map(|(l, t)| (*l, t.title.as_str(), t.summary.as_str(), t.slug.as_str()))
        .collect();
    let channels = p
        .phases
        .iter()
        .flat_map(|ph| ph.channels.iter().map(String::as_str))
        .collect();
    (texts, p.topic.as_str(), p.draft, channels)
}
