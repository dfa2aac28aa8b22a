//! polku: builds customer service paths of a Finnish wellbeing services
//! county into an accessible static website in Finnish, Swedish and any
//! other language the county adds.
//!
//! The pipeline: [`content::load_site`] reads and validates `content/`,
//! [`render::render_site`] turns the model into files in memory, and
//! [`output::publish`] puts them on disk, replacing only what polku wrote.

pub mod check;
pub mod code;
pub mod content;
pub mod diagnostics;
pub mod error;

use crate::code::Code;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod translate;

use std::path::{Path, PathBuf};

pub use content::load_site;
pub use diagnostics::{Diagnostic, Severity};
pub use render::{PageInfo, Rendered, Theme};

/// Where to read from and write to.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The content folder.
    pub content: PathBuf,
    /// The theme folder.
    pub theme: PathBuf,
    /// Overrides `base_url` from site.toml.
    pub base_url: Option<content::BaseUrl>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            content: PathBuf::from("content"),
            theme: PathBuf::from("themes/default"),
            base_url: None,
        }
    }
}

/// The result of a successful render.
#[derive(Debug)]
pub struct Built {
    /// The site as loaded, drafts included; the rendered pages leave drafts out.
    pub site: content::Site,
    /// The files, in memory.
    pub rendered: Rendered,
    /// Warnings found on the way (errors stop the build).
    pub warnings: Vec<Diagnostic>,
}

/// Content and theme, loaded and validated: what rendering needs.
pub struct Prepared {
    /// The site as loaded, drafts included (the checks see drafts).
    pub site: content::Site,
    /// The site as published: drafts, and links to them, left out.
    pub published: content::Site,
    /// The theme, overrides applied.
    pub theme: Theme,
    /// The absolute base URL, ending in `/`.
    pub base_url: String,
    /// Warnings found on the way (errors stop before this point).
    pub warnings: Vec<Diagnostic>,
}

/// Loads and validates the content and the theme. On any error returns
/// every diagnostic found.
pub fn prepare(options: &BuildOptions) -> Result<Prepared, Vec<Diagnostic>> {
    let loaded = content::load_site(&options.content);
    let languages = loaded
        .site
        .as_ref()
        .map(|s| s.config.languages.clone())
        .unwrap_or_else(|| content::Lang::DEFAULT.to_vec());
    let overrides = render::override_dirs(&options.content);
    let theme = Theme::load_with_overrides(&options.theme, overrides.as_deref(), &languages);
    let mut diagnostics = loaded.diagnostics;
    let (site, theme) = match (loaded.site, theme) {
        (Some(site), Ok(theme)) => (site, theme),
        (_, Err(theme_diags)) => {
            diagnostics.extend(theme_diags);
            diagnostics::sort(&mut diagnostics);
            return Err(diagnostics);
        }
        (None, Ok(_)) => return Err(diagnostics),
    };
    let base_url = match &options.base_url {
        None => site.config.base_url.clone(),
        Some(given) => given.as_str().to_string(),
    };
    let mut errors = topic_icons_in_theme(&site, &theme);
    errors.extend(render::section_slug_clashes(&site, &theme.translations));
    if !errors.is_empty() {
        return Err(errors);
    }
    let published = without_drafts(site.clone());
    Ok(Prepared {
        site,
        published,
        theme,
        base_url,
        warnings: diagnostics,
    })
}

impl Prepared {
    fn settings(&self) -> render::RenderSettings {
        render::RenderSettings {
            base_url: self.base_url.clone(),
            preview: false,
            scope: render::Scope::All,
            search_cache: None,
        }
    }

    /// Renders the whole site into `sink` while the editorial checks run
    /// beside it, on the same threads.
    fn render_and_check(
        &self,
        sink: &dyn render::Sink,
        today: time::Date,
        timings: &mut Timings,
    ) -> (Result<Vec<PageInfo>, render::RenderError>, Checked) {
        let settings = self.settings();
        let ((rendered, render_time), (checked, check_time)) = rayon::join(
            || timed(|| render::render_into(&self.published, &self.theme, &settings, sink)),
            || timed(|| check_loaded(&self.site, &self.warnings, today)),
        );
        timings.push(
            "render and write (in parallel with the checks)",
            render_time,
        );
        timings.push("editorial checks", check_time);
        (rendered, checked)
    }
}

/// Stage durations and the process's peak memory after each (Linux), for
/// `polku build --timings`.
#[derive(Debug, Default)]
pub struct Timings(pub Vec<Stage>);

/// One stage of a build.
#[derive(Debug)]
pub struct Stage {
    /// What was done.
    pub name: &'static str,
    /// How long it took.
    pub took: std::time::Duration,
    /// The process's peak resident memory so far, in KiB, where known.
    pub peak_kib: Option<u64>,
}

impl Timings {
    fn push(&mut self, name: &'static str, took: std::time::Duration) {
        self.0.push(Stage {
            name,
            took,
            peak_kib: peak_memory_kib(),
        });
    }
}

/// `VmHWM` of `/proc/self/status`: the peak resident memory so far.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, std::time::Duration) {
    let started = std::time::Instant::now();
    let value = f();
    (value, started.elapsed())
}

/// Loads, validates and renders the site into memory. On any error returns
/// every diagnostic found.
pub fn render(options: &BuildOptions) -> Result<Built, Vec<Diagnostic>> {
    let prepared = prepare(options)?;
    let rendered = render::render_site(&prepared.published, &prepared.theme, &prepared.base_url)?;
    Ok(Built {
        site: prepared.site,
        rendered,
        warnings: prepared.warnings,
    })
}

/// Every topic icon must be a symbol of the theme's `static/icons.svg`.
fn topic_icons_in_theme(site: &content::Site, theme: &Theme) -> Vec<Diagnostic> {
    let sprite = theme.static_file("static/icons.svg").unwrap_or_default();
    let sprite = String::from_utf8_lossy(sprite);
    let topics_toml = site.root.join("topics.toml");
    site.topics
        .iter()
        .filter_map(|t| {
            let icon = t.icon.as_deref()?;
            if sprite.contains(&format!("<symbol id=\"{icon}\"")) {
                return None;
            }
            let file = content::read_source(&topics_toml).ok()?;
            let span = file
                .span_of(&format!("icon = \"{icon}\""))
                .unwrap_or(0..0);
            Some(
                file.error(Code::UnknownReference, span, format!("the theme has no icon `{icon}`"))
                    .with_hint("use a symbol id of the theme's static/icons.svg, e.g. `topic-health`, or leave `icon` out"),
            )
        })
        .collect()
}

/// The outcome of `polku check`.
#[derive(Debug)]
pub struct Checked {
    /// Every error and warning: content, theme and editorial findings.
    pub diagnostics: Vec<Diagnostic>,
    /// One row per path and language.
    pub rows: Vec<check::SummaryRow>,
}

impl Checked {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Today, or `POLKU_TODAY` (YYYY-MM-DD) for reproducible review-date checks.
pub fn today() -> time::Date {
    std::env::var("POLKU_TODAY")
        .ok()
        .and_then(|s| {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(s.trim(), &format).ok()
        })
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date())
}

/// Loads, validates, renders (to catch theme errors, keeping nothing) and
/// runs the editorial checks, drafts included. Writes nothing.
pub fn check(options: &BuildOptions, today: time::Date) -> Checked {
    let prepared = match prepare(options) {
        Ok(prepared) => prepared,
        Err(diagnostics) => {
            return Checked {
                diagnostics,
                rows: Vec::new(),
            }
        }
    };
    let discard = render::Discard::default();
    let (rendered, checked) = prepared.render_and_check(&discard, today, &mut Timings::default());
    match rendered {
        Ok(_) => checked,
        Err(render::RenderError::Template(diagnostics)) => Checked {
            diagnostics,
            rows: Vec::new(),
        },
        Err(render::RenderError::Stopped) => unreachable!("discarding never stops"),
    }
}

/// The editorial checks of a loaded site, after its loading warnings.
fn check_loaded(site: &content::Site, warnings: &[Diagnostic], today: time::Date) -> Checked {
    let report = check::check_site(site, today, None);
    let mut diagnostics = warnings.to_vec();
    diagnostics.extend(report.findings());
    diagnostics::sort(&mut diagnostics);
    let rows = check::summary_rows(site, &report, &diagnostics);
    Checked { diagnostics, rows }
}

/// Leaves draft paths, and links to them, out of a published site.
pub fn without_drafts(mut site: content::Site) -> content::Site {
    let drafts: Vec<String> = site
        .paths
        .iter()
        .filter(|p| p.draft)
        .map(|p| p.id.clone())
        .collect();
    if !drafts.is_empty() {
        site.paths.retain(|p| !p.draft);
        for path in &mut site.paths {
            if path.related.iter().any(|r| drafts.contains(r)) {
                std::sync::Arc::make_mut(path)
                    .related
                    .retain(|r| !drafts.contains(r));
            }
        }
    }
    site
}

/// Why a build wrote nothing.
#[derive(Debug)]
pub enum BuildError {
    /// Content or theme errors.
    Content(Vec<Diagnostic>),
    /// `--strict`, and the checks found something.
    Strict(Checked),
    /// The output folder was refused, or writing it failed.
    Output(output::OutputError),
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    /// The site as loaded, drafts included.
    pub site: content::Site,
    /// Pages written (HTML pages of the sitemap).
    pub pages: usize,
    /// Files written, pages included.
    pub files: usize,
    /// Files whose bytes were the previous build's, left untouched.
    pub unchanged: usize,
    /// The editorial findings, with the loading warnings.
    pub checked: Checked,
    /// What publishing did besides writing.
    pub published: output::Published,
    /// How long each stage took.
    pub timings: Timings,
}

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildSettings {
    /// Publishing options (`--force`, the protected folders).
    pub publish: output::PublishOptions,
    /// Warnings stop the build (`--strict`).
    pub strict: bool,
    /// The day the review dates are checked against.
    pub today: Option<time::Date>,
}

/// Renders the site and writes it to `out`, replacing the previous output
/// only when everything succeeded, and only if it is polku's.
pub fn build(options: &BuildOptions, out: &Path) -> Result<BuildReport, BuildError> {
    let settings = BuildSettings {
        publish: output::PublishOptions {
            force: false,
            protected: output::Protected::for_build(&options.content, &options.theme),
        },
        ..BuildSettings::default()
    };
    build_with(options, out, &settings)
}

/// [`build`] with explicit settings. Pages go to disk as they are rendered
/// (into a staging folder, put in place at the end), so memory does not
/// grow with the size of the site; the checks run beside the rendering.
pub fn build_with(
    options: &BuildOptions,
    out: &Path,
    settings: &BuildSettings,
) -> Result<BuildReport, BuildError> {
    let mut timings = Timings::default();
    let (prepared, took) = timed(|| prepare(options));
    timings.push("load and validate content and theme", took);
    let prepared = prepared.map_err(BuildError::Content)?;
    let publisher = output::Publisher::open(out, &settings.publish).map_err(BuildError::Output)?;
    let today = settings.today.unwrap_or_else(today);
    let (rendered, checked) = prepared.render_and_check(&publisher, today, &mut timings);
    let pages = match rendered {
        Ok(pages) => pages.len(),
        Err(render::RenderError::Template(diagnostics)) => {
            return Err(BuildError::Content(diagnostics))
        }
        Err(render::RenderError::Stopped) => {
            return Err(BuildError::Output(publisher.into_error()))
        }
    };
    if settings.strict && !checked.diagnostics.is_empty() {
        return Err(BuildError::Strict(checked));
    }
    let unchanged = publisher.unchanged();
    let (published, took) = timed(|| publisher.finish());
    timings.push("put the new site in place", took);
    let published = published.map_err(BuildError::Output)?;
    Ok(BuildReport {
        site: prepared.site,
        pages,
        files: published.files,
        unchanged,
        checked,
        published,
        timings,
    })
}
