//! polku: builds customer service paths of a Finnish wellbeing services
//! county into an accessible, bilingual Finnish/Swedish static website.
//!
//! The pipeline: [`content::load_site`] reads and validates `content/`,
//! [`render::render_site`] turns the model into files in memory, and
//! [`output::publish`] puts them on disk, replacing only what polku wrote.

pub mod check;
pub mod content;
pub mod diagnostics;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;

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
    pub base_url: Option<String>,
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

/// Loads, validates and renders the site into memory. On any error returns
/// every diagnostic found.
pub fn render(options: &BuildOptions) -> Result<Built, Vec<Diagnostic>> {
    let loaded = content::load_site(&options.content);
    let languages = loaded
        .site
        .as_ref()
        .map(|s| s.config.languages.clone())
        .unwrap_or_else(|| content::Lang::ALL.to_vec());
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
        Some(given) => content::normalize_base_url(given).map_err(|(message, hint)| {
            vec![
                Diagnostic::file_level(Severity::Error, "invalid-url", "--base-url", message)
                    .with_hint(hint),
            ]
        })?,
    };
    let icon_errors = topic_icons_in_theme(&site, &theme);
    if !icon_errors.is_empty() {
        return Err(icon_errors);
    }
    let published = without_drafts(site.clone());
    let rendered = render::render_site(&published, &theme, &options.theme, &base_url)?;
    Ok(Built {
        site,
        rendered,
        warnings: diagnostics,
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
                file.error("unknown-reference", span, format!("the theme has no icon `{icon}`"))
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

/// Loads, validates, renders in memory (to catch theme errors) and runs the
/// editorial checks, drafts included. Writes nothing.
pub fn check(options: &BuildOptions, today: time::Date) -> Checked {
    match render(options) {
        Ok(built) => check_built(&built, today),
        Err(diagnostics) => Checked {
            diagnostics,
            rows: Vec::new(),
        },
    }
}

/// The editorial checks of an already rendered site, with its warnings.
pub fn check_built(built: &Built, today: time::Date) -> Checked {
    let report = check::check_site(&built.site, today, None);
    let mut diagnostics = built.warnings.clone();
    diagnostics.extend(report.findings());
    diagnostics::sort(&mut diagnostics);
    let rows = check::summary_rows(&built.site, &report, &diagnostics);
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
    /// The output folder was refused, or writing it failed.
    Output(output::OutputError),
}

/// Renders the site and writes it to `out`, replacing the previous output
/// only when everything succeeded, and only if it is polku's.
pub fn build(options: &BuildOptions, out: &Path) -> Result<Built, BuildError> {
    let publish = output::PublishOptions {
        force: false,
        protected: output::Protected::for_build(&options.content, &options.theme),
    };
    build_with(options, out, &publish).map(|(built, _)| built)
}

/// [`build`] with explicit publishing options.
pub fn build_with(
    options: &BuildOptions,
    out: &Path,
    publish: &output::PublishOptions,
) -> Result<(Built, output::Published), BuildError> {
    let built = render(options).map_err(BuildError::Content)?;
    let published = output::publish(out, &built.rendered, publish).map_err(BuildError::Output)?;
    Ok((built, published))
}
