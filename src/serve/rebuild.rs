//! The rebuild loop's builder: reloads what a save touched, re-renders the
//! pages it affects and publishes the result (or the errors) to the server.
//!
//! A save that cannot be applied (the content or the theme has an error)
//! is not forgotten: its files stay in [`Builder::unapplied`] and are part
//! of every later rebuild until one publishes a site. Otherwise fixing an
//! error in one file would re-render only that file's pages, and a save
//! made to another file meanwhile would never reach the browser.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path as FsPath, PathBuf};
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
    /// The last site published (the one being served).
    site: Option<Arc<Site>>,
    /// Files changed since the last published site, not yet shown.
    unapplied: Vec<PathBuf>,
    /// Editorial findings per path id, re-checked only for changed paths.
    path_findings: BTreeMap<String, Vec<Diagnostic>>,
    /// Search-index entries of the paths, re-indexed only when they change.
    search_cache: Arc<std::sync::Mutex<render::search::SearchCache>>,
}

/// What one rebuild did, for the terminal.
pub struct RebuildReport {
    /// Pages rendered (0 when the content has errors).
    pub pages: usize,
    /// The output files of those pages (`fi/polku/index.html`), sorted.
    pub rendered: Vec<String>,
    /// Whether only some pages were rendered.
    pub partial: bool,
    /// How long it took.
    pub elapsed: Duration,
    /// Errors and warnings of the content now.
    pub diagnostics: Vec<Diagnostic>,
}

/// What a set of changed files touches.
struct Touched {
    /// The theme (or the project's template and static overrides).
    theme: bool,
    /// A file outside the path folders: everything may show it.
    shared: bool,
    /// The path folders with changed files.
    path_dirs: BTreeSet<PathBuf>,
}

/// A site rendered and published: what the report tells.
struct Published {
    rendered: Vec<String>,
    partial: bool,
    diagnostics: Vec<Diagnostic>,
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
            unapplied: Vec::new(),
            path_findings: BTreeMap::new(),
            search_cache: Arc::default(),
        }
    }

    /// The languages of site.toml as just read: the theme's UI strings
    /// must cover them.
    fn languages(&self) -> Vec<Lang> {
        self.cache.languages().to_vec()
    }

    /// Reloads what `changed` (and every change not yet applied) touches
    /// and re-renders the affected pages, publishing the result (or the
    /// errors) to `shared`.
    pub(super) fn rebuild(&mut self, changed: &[PathBuf], shared: &Shared) -> RebuildReport {
        let started = Instant::now();
        let mut pending = std::mem::take(&mut self.unapplied);
        pending.extend_from_slice(changed);
        pending.sort();
        pending.dedup();
        let report = |p: Published| RebuildReport {
            pages: p.rendered.len(),
            rendered: p.rendered,
            partial: p.partial,
            elapsed: started.elapsed(),
            diagnostics: p.diagnostics,
        };
        match self.apply(&pending, shared) {
            Ok(published) => report(published),
            Err(diagnostics) => {
                // Kept for the next rebuild, which may be of another file.
                self.unapplied = pending;
                publish_errors(&diagnostics, shared);
                report(Published {
                    rendered: Vec::new(),
                    partial: false,
                    diagnostics,
                })
            }
        }
    }

    /// Applies `changed`: reloads, renders and publishes the site, or
    /// returns the errors that keep it from being published.
    fn apply(
        &mut self,
        changed: &[PathBuf],
        shared: &Shared,
    ) -> Result<Published, Vec<Diagnostic>> {
        let first = self.theme.is_none() && changed.is_empty();
        let touched = self.touched(changed, first);
        if touched.shared && !first {
            self.cache = LoadCache::load(&self.options.content);
        } else if !touched.path_dirs.is_empty() {
            let dirs: Vec<PathBuf> = touched.path_dirs.iter().cloned().collect();
            self.cache.reload_paths(&dirs);
        }
        let (theme_changed, theme_diags) = self.reload_theme(touched.theme, shared);
        let loaded = self.cache.finish();
        let mut diagnostics = loaded.diagnostics;
        diagnostics.extend(theme_diags);
        crate::diagnostics::sort(&mut diagnostics);
        let (Some(site), Some(theme)) = (loaded.site, self.theme.as_ref()) else {
            return Err(diagnostics);
        };
        if !diagnostics.iter().any(Diagnostic::is_error) {
            // Only with the theme's strings for every language (no errors).
            diagnostics.extend(render::section_slug_clashes(&site, &theme.translations));
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(diagnostics);
        }
        let scope = self.scope(&site, &touched, theme_changed);
        let settings = RenderSettings {
            base_url: self.base_url.clone(),
            preview: true,
            scope,
            search_cache: Some(self.search_cache.clone()),
        };
        match render::render_with(&site, theme, &settings) {
            Err(d) => {
                diagnostics.extend(d);
                Err(diagnostics)
            }
            Ok(rendered) => Ok(self.publish(site, rendered, settings.scope, diagnostics, shared)),
        }
    }

    /// Which parts of the site `changed` touches; the first build touches
    /// everything.
    fn touched(&self, changed: &[PathBuf], first: bool) -> Touched {
        let project = self.options.content.parent().map(FsPath::to_path_buf);
        let in_overrides = |p: &FsPath| {
            project.as_ref().is_some_and(|r| {
                p.starts_with(r.join("templates")) || p.starts_with(r.join("static"))
            })
        };
        let mut touched = Touched {
            // A theme that never loaded is tried again on every save: the
            // save may be the fix (a language removed from site.toml).
            theme: self.theme.is_none()
                || changed
                    .iter()
                    .any(|p| p.starts_with(&self.options.theme) || in_overrides(p)),
            shared: first,
            path_dirs: BTreeSet::new(),
        };
        for p in changed
            .iter()
            .filter(|p| p.starts_with(&self.options.content))
        {
            match self.cache.path_dir_of(p) {
                Some(dir) => {
                    touched.path_dirs.insert(dir);
                }
                None => touched.shared = true,
            }
        }
        touched
    }

    /// Loads the theme again when it changed, or when site.toml's languages
    /// no longer match its UI strings. Returns whether it changed, and its
    /// errors (the last good theme is kept).
    fn reload_theme(&mut self, touched: bool, shared: &Shared) -> (bool, Vec<Diagnostic>) {
        let mut wanted = self.languages();
        wanted.sort();
        let languages_changed = self
            .theme
            .as_ref()
            .is_some_and(|t| t.translations.languages() != wanted);
        if !touched && !languages_changed {
            return (false, Vec::new());
        }
        let overrides = render::override_dirs(&self.options.content);
        let theme_dir = &self.options.theme;
        match Theme::load_with_overrides(theme_dir, overrides.as_deref(), &self.languages()) {
            Ok(theme) => {
                *shared
                    .translations
                    .write()
                    .unwrap_or_else(|e| e.into_inner()) = Some(theme.translations.clone());
                self.theme = Some(theme);
                (true, Vec::new())
            }
            Err(d) => (true, d),
        }
    }

    /// The pages to render: one path's pages when only that path changed;
    /// anything shared (or a changed address or review date) re-renders
    /// everything.
    fn scope(&self, site: &Site, touched: &Touched, theme_changed: bool) -> Scope {
        let changed_ids: BTreeSet<String> = touched
            .path_dirs
            .iter()
            .filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        // The sitemap (made with the whole site only) shows every path's
        // addresses and review date.
        let same_sitemap = self.site.as_ref().is_some_and(|old| {
            old.paths.len() == site.paths.len()
                && old.paths.iter().zip(&site.paths).all(|(a, b)| {
                    a.id == b.id
                        && a.last_reviewed == b.last_reviewed
                        && a.texts
                            .iter()
                            .map(|(l, t)| (l, &t.slug))
                            .eq(b.texts.iter().map(|(l, t)| (l, &t.slug)))
                })
        });
        if theme_changed || touched.shared || !same_sitemap || changed_ids.is_empty() {
            return Scope::All;
        }
        let channels = [self.site.as_deref(), Some(site)]
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
    }

    /// Runs the editorial checks of the changed paths and serves the
    /// rendered files.
    fn publish(
        &mut self,
        site: Site,
        rendered: render::Rendered,
        scope: Scope,
        mut diagnostics: Vec<Diagnostic>,
        shared: &Shared,
    ) -> Published {
        let pages: Vec<String> = rendered
            .files
            .keys()
            .filter(|f| f.ends_with(".html"))
            .cloned()
            .collect();
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
        Published {
            rendered: pages,
            partial: scope != Scope::All,
            diagnostics,
        }
    }
}

/// Serves the errors (over the last good site's files, kept as they are).
fn publish_errors(diagnostics: &[Diagnostic], shared: &Shared) {
    {
        let mut snap = shared.snapshot.write().unwrap_or_else(|e| e.into_inner());
        snap.generation += 1;
        snap.diagnostics = diagnostics.to_vec();
    }
    shared.bump();
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
