//! Rendering a validated site to files in memory: one function per page kind.

use crate::code::Code;
pub mod hosting;
pub mod i18n;
pub mod markdown;
pub mod search;
mod views;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::content::{Lang, Site};
use crate::diagnostics::{display_path, Diagnostic, Severity, SourceFile};
pub use i18n::Translations;
use views::Views;
pub use views::{xml_escape as escape_markup, Scope};

/// Sections of the site whose address is fixed per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The list of service channels and the channel pages below it.
    Channels,
    /// The accessibility statement.
    Accessibility,
    /// The search page.
    Search,
}

impl Section {
    /// Every section.
    pub const ALL: [Section; 3] = [Section::Channels, Section::Accessibility, Section::Search];

    /// The key of its address in the theme's `i18n/<lang>.toml`, under
    /// `[sections]`.
    pub fn key(self) -> &'static str {
        match self {
            Section::Channels => "channels",
            Section::Accessibility => "accessibility",
            Section::Search => "search",
        }
    }
}

/// Paths whose address in a language is a section's (`/fi/haku/`): an
/// error at the path's text, since both pages cannot be published.
pub fn section_slug_clashes(site: &Site, translations: &Translations) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for &lang in &site.config.languages {
        let sections: Vec<String> = Section::ALL
            .iter()
            .map(|&s| translations.section(lang, s))
            .collect();
        for path in &site.paths {
            let Some(text) = path.texts.get(&lang) else {
                continue;
            };
            if !sections.contains(&text.slug) {
                continue;
            }
            let span = path.sources.texts.get(&lang).and_then(|f| {
                f.span_of(&format!("slug = \"{}\"", text.slug))
                    .or_else(|| f.span_of(&text.title))
                    .map(|span| (f.clone(), span))
            });
            let message = format!("the address `{}` is reserved for another page", text.slug);
            let diag = match span {
                Some((file, span)) => file.error(Code::DuplicateSlug, span, message),
                None => Diagnostic::file_level(
                    Severity::Error,
                    Code::DuplicateSlug,
                    display_path(&text.file),
                    message,
                ),
            };
            diags
                .push(diag.with_hint("give the path another `slug = \"...\"` in the front matter"));
        }
    }
    diags
}

/// A loaded theme: compiled templates, UI strings and static files.
pub struct Theme {
    env: Environment<'static>,
    /// UI strings per language.
    pub translations: Translations,
    static_files: Vec<(String, Vec<u8>)>,
    /// Each template's name and the file it came from (the theme's, or an
    /// override's), for error messages.
    template_files: BTreeMap<String, std::path::PathBuf>,
    /// The partials the templates name in `shared_include("...")`, whose
    /// errors get the shared include's hint.
    shared_includes: BTreeSet<String>,
    /// Static files published under content-hashed names: name to hashed name.
    assets: BTreeMap<String, String>,
}

/// Whether a static file is published under a content-hashed name.
fn is_hashed_asset(name: &str) -> bool {
    [".css", ".js", ".svg"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// `style.css` → `style.3f9a1c2e.css`: the first 8 hex digits of the
/// SHA-256 of the bytes before the extension.
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

/// Templates every theme must provide.
const REQUIRED_TEMPLATES: [&str; 8] = [
    "landing.html",
    "home.html",
    "path.html",
    "channel.html",
    "channels.html",
    "accessibility.html",
    "404.html",
    "404-root.html",
];

/// The folders that override single theme files: `templates/` and
/// `static/` beside the content folder (as in Zola and Hugo).
pub fn override_dirs(content: &Path) -> Option<std::path::PathBuf> {
    let root = content.parent()?;
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    (root.join("templates").is_dir() || root.join("static").is_dir()).then(|| root.to_path_buf())
}

/// The files of `sub` (e.g. `templates`) below each root, the first root
/// winning where two have the same file: `(relative name, path)`.
fn layered(
    roots: &[&Path],
    sub: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, std::path::PathBuf)> {
    let mut files: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
    for root in roots {
        let dir = root.join(sub);
        for entry in theme_files(&dir, root, diags) {
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let name = rel.to_string_lossy().replace('\\', "/");
            files.entry(name).or_insert_with(|| entry.into_path());
        }
    }
    files.into_iter().collect()
}

impl Theme {
    /// A static file of the theme (`static/...`), overrides applied.
    pub fn static_file(&self, path: &str) -> Option<&[u8]> {
        self.static_files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| b.as_slice())
    }

    /// Loads templates, translations and static files from a theme folder.
    pub fn load(dir: &Path, languages: &[Lang]) -> Result<Theme, Vec<Diagnostic>> {
        Theme::load_with_overrides(dir, None, languages)
    }

    /// Like [`Theme::load`], with `templates/` and `static/` of `overrides`
    /// (the project folder) replacing single files of the theme.
    pub fn load_with_overrides(
        dir: &Path,
        overrides: Option<&Path>,
        languages: &[Lang],
    ) -> Result<Theme, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        if !dir.is_dir() {
            return Err(vec![Diagnostic::file_level(
                Severity::Error,
                Code::MissingTheme,
                display_path(dir),
                "the theme folder does not exist",
            )
            .with_hint(
                "pass the theme with `--theme DIR`; the default is `themes/default`",
            )]);
        }
        let translations = Translations::load(&dir.join("i18n"), languages);
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.add_filter("langattr", views::langattr);
        env.add_function("channel_card", views::channel_card);
        env.add_function("link_item", views::link_item);
        env.add_function("shared_include", views::shared_include);
        env.set_formatter(html_formatter);
        let templates = dir.join("templates");
        let roots: Vec<&Path> = overrides.into_iter().chain([dir]).collect();
        let mut template_files = BTreeMap::new();
        let mut shared_includes = BTreeSet::new();
        for (name, path) in layered(&roots, "templates", &mut diags) {
            if name.starts_with('.') || !name.ends_with(".html") && !name.ends_with(".xml") {
                continue;
            }
            template_files.insert(name.clone(), path.clone());
            let file = match crate::content::read_source_noting(&path) {
                Ok((f, warning)) => {
                    diags.extend(warning);
                    f
                }
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            shared_includes.extend(views::shared_include_names(&file.text));
            if let Err(e) = env.add_template_owned(name.clone(), file.text.to_string()) {
                diags.push(template_diag(&file, &e));
            }
        }
        for required in REQUIRED_TEMPLATES {
            if env.get_template(required).is_err()
                && !diags.iter().any(|d| d.file.ends_with(required))
            {
                diags.push(
                    Diagnostic::file_level(
                        Severity::Error,
                        Code::MissingFile,
                        display_path(&templates.join(required)),
                        "the theme lacks this template",
                    )
                    .with_hint("copy it from themes/default/templates"),
                );
            }
        }
        let mut static_files = Vec::new();
        for (rel, path) in layered(&roots, "static", &mut diags) {
            if rel.rsplit('/').next().is_some_and(|n| n.starts_with('.')) {
                continue;
            }
            match crate::content::read_bytes(&path) {
                Ok(bytes) => static_files.push((format!("static/{rel}"), bytes)),
                Err(d) => diags.push(d),
            }
        }
        // Stylesheets, scripts and the icon sprite get content-hashed names,
        // so that hosting can cache them for a year; templates ask for them
        // with `{{ site.static_href }}{{ asset("style.css") }}`.
        let assets: BTreeMap<String, String> = static_files
            .iter()
            .filter_map(|(path, bytes)| {
                let name = path.strip_prefix("static/")?;
                is_hashed_asset(name).then(|| (name.to_string(), hashed_name(name, bytes)))
            })
            .collect();
        let lookup = assets.clone();
        env.add_function("asset", move |name: String| {
            lookup.get(&name).cloned().ok_or_else(|| {
                minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("asset(\"{name}\"): the theme has no static/{name} to hash"),
                )
            })
        });
        let translations = match translations {
            Ok(t) => Some(t),
            Err(d) => {
                diags.extend(d);
                None
            }
        };
        match translations {
            Some(translations) if diags.is_empty() => Ok(Theme {
                env,
                translations,
                static_files,
                template_files,
                shared_includes,
                assets,
            }),
            _ => Err(diags),
        }
    }
}

/// The files below a theme folder, links followed while they stay inside
/// `boundary` (the theme, or the project's override folder): a link to a
/// file outside it (`static/county.css -> /proc/self/environ`) would
/// publish that file, and is refused. Anything that is not a folder or a
/// regular file (a FIFO, a device, a link to `/dev/zero`) and any folder
/// that cannot be read is reported, never read or skipped silently.
fn theme_files(dir: &Path, boundary: &Path, diags: &mut Vec<Diagnostic>) -> Vec<walkdir::DirEntry> {
    let mut files = Vec::new();
    if !dir.exists() {
        return files;
    }
    let inside = boundary
        .canonicalize()
        .unwrap_or_else(|_| boundary.to_path_buf());
    for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => match crate::content::check_regular_file(e.path()) {
                Err(d) => diags.push(d),
                Ok(_) => match outside(e.path(), &inside) {
                    Some(real) => diags.push(link_outside_theme(e.path(), &real, boundary)),
                    None => files.push(e),
                },
            },
            Err(e) => {
                let at = e.path().unwrap_or(dir).to_path_buf();
                diags.push(
                    Diagnostic::file_level(
                        Severity::Error,
                        Code::Io,
                        display_path(&at),
                        format!("cannot read the theme here: {e}"),
                    )
                    .with_hint(
                        "remove the broken or looping link, or fix the folder's permissions",
                    ),
                );
            }
        }
    }
    files
}

/// Where `path` really is, if that is outside `inside` (a canonical folder).
fn outside(path: &Path, inside: &Path) -> Option<std::path::PathBuf> {
    let real = path.canonicalize().ok()?;
    (!real.starts_with(inside)).then_some(real)
}

fn link_outside_theme(link: &Path, real: &Path, boundary: &Path) -> Diagnostic {
    Diagnostic::file_level(
        Severity::Error,
        Code::LinkOutsideTheme,
        display_path(link),
        format!(
            "this theme file is a link to {}, outside {}: it would be published",
            real.display(),
            display_path(boundary).display()
        ),
    )
    .with_hint(
        "copy the file into the theme (links are followed only inside it), or remove the link",
    )
}

/// Escapes `& < > " '` only: minijinja's default also escapes `/`, which
/// is valid but makes every URL in the page source unreadable.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    if value.is_safe() || matches!(state.auto_escape(), AutoEscape::None) {
        return write!(out, "{value}").map_err(minijinja::Error::from);
    }
    if value.is_none() {
        return Ok(());
    }
    match value.as_str() {
        Some(text) => write_escaped(out, text),
        None => write_escaped(out, &value.to_string()),
    }
}

/// Writes `text` HTML-escaped, in runs between the characters that need it.
fn write_escaped(out: &mut minijinja::Output, text: &str) -> Result<(), minijinja::Error> {
    escape_into(out, text).map_err(minijinja::Error::from)
}

/// HTML-escapes `text` into any writer: `& < > " '` become entities, and
/// stray control characters are left out.
fn escape_into<W: std::fmt::Write>(out: &mut W, text: &str) -> std::fmt::Result {
    let mut rest = text;
    while let Some(i) = rest.find(|c: char| {
        matches!(c, '&' | '<' | '>' | '"' | '\'') || crate::content::is_stray_control(c)
    }) {
        out.write_str(&rest[..i])?;
        let c = rest[i..].chars().next().unwrap_or(' ');
        match c {
            '&' => out.write_str("&amp;")?,
            '<' => out.write_str("&lt;")?,
            '>' => out.write_str("&gt;")?,
            '"' => out.write_str("&quot;")?,
            '\'' => out.write_str("&#39;")?,
            // A control character from a TOML escape (`\u0000`) is invisible
            // at best; it never reaches a page.
            _ => {}
        }
        rest = &rest[i + c.len_utf8()..];
    }
    out.write_str(rest)
}

fn template_diag(file: &SourceFile, err: &minijinja::Error) -> Diagnostic {
    let line = err.line().unwrap_or(1);
    let start = file.line_offset(line);
    let end = file.text[start..]
        .find('\n')
        .map_or(file.text.len(), |i| start + i);
    file.error(
        Code::Template,
        start..end,
        err.detail().unwrap_or("template error").to_string(),
    )
    .with_hint("fix the template syntax; see the minijinja documentation for tags and filters")
}

fn render_error(theme: &Theme, err: &minijinja::Error) -> Diagnostic {
    let name = err.name().unwrap_or("template");
    let file = match theme.template_files.get(name) {
        Some(file) => file.clone(),
        None => Path::new("templates").join(name),
    };
    let mut msg = err
        .detail()
        .map(str::to_string)
        .unwrap_or_else(|| err.kind().to_string());
    if let Some(source) = std::error::Error::source(err) {
        msg.push_str(&format!(": {source}"));
    }
    let mut diag = Diagnostic::file_level(
        Severity::Error,
        Code::Template,
        display_path(&file),
        msg,
    )
    .with_hint(views::shared_partial_hint(name, &theme.shared_includes).unwrap_or(
        "a template uses a value or UI string that does not exist; check the name against i18n/*.toml and the documented template variables",
    ));
    diag.line = err.line().unwrap_or(1);
    diag
}

/// A page of the built site, for the sitemap and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageInfo {
    /// URL path below the site root, e.g. `fi/palvelukanavat/chat/`.
    pub url: String,
    /// Language of the page; `None` for the bilingual landing page.
    pub lang: Option<Lang>,
    /// The same page in every language (language, URL path).
    pub alternates: Vec<(Lang, String)>,
    /// Last modification, for the sitemap.
    pub lastmod: Option<String>,
}

/// Everything a build writes, in memory.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Output path (relative, `/`-separated) to file contents.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Every listed page, in sitemap order.
    pub pages: Vec<PageInfo>,
}

/// One page to render: its template, output file and context.
struct Job {
    template: &'static str,
    file: String,
    ctx: views::JobContext,
}

/// How to render.
#[derive(Debug, Clone)]
pub struct RenderSettings {
    /// Absolute base URL ending in `/`.
    pub base_url: String,
    /// Preview (`polku serve`): drafts with a badge, banners for missing
    /// translations. Never set for `polku build`.
    pub preview: bool,
    /// Which pages to render.
    pub scope: Scope,
    /// Search-index entries kept between rebuilds (the preview), so that a
    /// save indexes only the paths it changed.
    pub search_cache: Option<std::sync::Arc<std::sync::Mutex<search::SearchCache>>>,
}

/// Where the stylesheet with the county's colours is published.
pub fn brand_css_path(css: &str) -> String {
    format!("static/{}", hashed_name("brand.css", css.as_bytes()))
}

/// Renders the whole site with a theme. `base_url` must end with `/`.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    base_url: &str,
) -> Result<Rendered, Vec<Diagnostic>> {
    let settings = RenderSettings {
        base_url: base_url.to_string(),
        preview: false,
        scope: Scope::All,
        search_cache: None,
    };
    render_with(site, theme, &settings)
}

/// Where rendered files go, one at a time, from the rendering threads: into
/// memory ([`Rendered`], for the preview and tests), to disk as they are
/// made (`polku build`, so that memory stays flat however large the site),
/// or nowhere (`polku check`).
pub trait Sink: Sync {
    /// Takes one file, `name` being its `/`-separated output path.
    /// `Err(Stop)` ends rendering; the sink keeps the reason.
    fn put(&self, name: String, bytes: Vec<u8>) -> Result<(), Stop>;
}

/// A sink's request to stop rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stop;

/// Collects files in memory.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<BTreeMap<String, Vec<u8>>>);

impl Sink for Collect {
    fn put(&self, name: String, bytes: Vec<u8>) -> Result<(), Stop> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name, bytes);
        Ok(())
    }
}

/// Counts files and drops them: rendering as a check.
#[derive(Default)]
pub struct Discard(std::sync::atomic::AtomicUsize);

impl Discard {
    /// How many files were rendered.
    pub fn count(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Sink for Discard {
    fn put(&self, _name: String, _bytes: Vec<u8>) -> Result<(), Stop> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

/// Why rendering ended early.
#[derive(Debug)]
pub enum RenderError {
    /// Template errors, each once.
    Template(Vec<Diagnostic>),
    /// The sink asked to stop (it knows why).
    Stopped,
}

/// Renders the pages of `settings.scope` into memory. With [`Scope::All`]
/// the result also has the static files, `sitemap.xml` and `robots.txt`.
pub fn render_with(
    site: &Site,
    theme: &Theme,
    settings: &RenderSettings,
) -> Result<Rendered, Vec<Diagnostic>> {
    let sink = Collect::default();
    match render_into(site, theme, settings, &sink) {
        Ok(pages) => Ok(Rendered {
            files: sink.0.into_inner().unwrap_or_else(|e| e.into_inner()),
            pages,
        }),
        Err(RenderError::Template(diags)) => Err(diags),
        Err(RenderError::Stopped) => unreachable!("collecting in memory never stops"),
    }
}

/// Renders the pages of `settings.scope` into `sink`, page by page on all
/// cores, and returns the sitemap entries. Nothing per page depends on the
/// size of the site, and no file is kept after the sink took it.
pub fn render_into(
    site: &Site,
    theme: &Theme,
    settings: &RenderSettings,
    sink: &dyn Sink,
) -> Result<Vec<PageInfo>, RenderError> {
    let views = Views::new(
        site,
        &theme.translations,
        &settings.base_url,
        settings.preview,
    );
    let (jobs, pages) = views.jobs(&settings.scope);
    let search = search::Collector::new(site, settings.search_cache.is_some());
    // Open data comes from the same rendered prose as the pages, so the
    // preview's partial rebuilds write the files of the paths they render.
    let channels_data = views.open_data_channels();
    let errors = std::sync::Mutex::new(Vec::<Diagnostic>::new());
    let note = |d: Diagnostic| note_once(&errors, d);
    let rendered = jobs.into_par_iter().try_for_each(|job| {
        let template = match theme.env.get_template(job.template) {
            Ok(template) => template,
            Err(e) => {
                note(render_error(theme, &e));
                return Ok(());
            }
        };
        let (ctx, path) = views.context(job.ctx);
        match template.render(ctx) {
            Ok(html) => sink.put(job.file, html.into_bytes())?,
            Err(e) => {
                note(render_error(theme, &e));
                return Ok(());
            }
        }
        if let Some((i, lang, prose)) = path {
            let (file, bytes) = views.path_open_data(i, lang, &channels_data[&lang], &prose);
            sink.put(file, bytes)?;
            let entry = search::path_entry(site, i, lang, &views.path_href(i, lang), &prose);
            search.add(site, i, lang, entry);
        }
        Ok(())
    });
    rendered.map_err(|Stop| RenderError::Stopped)?;
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if !errors.is_empty() {
        return Err(RenderError::Template(errors));
    }
    let put =
        |name: String, bytes: Vec<u8>| sink.put(name, bytes).map_err(|Stop| RenderError::Stopped);
    // The search index follows every change, partial preview rebuilds too.
    let changed = match &settings.scope {
        Scope::All => None,
        Scope::Paths { paths, .. } => Some(paths),
    };
    let whole_site = settings.scope == Scope::All;
    // The open-data index shows what the listings show.
    let listed = matches!(
        settings.scope,
        Scope::All | Scope::Paths { listings: true, .. }
    );
    // The search index (one language on each core) and the whole site's
    // listings are made side by side: at 10,000 paths each is a tenth of a
    // second that would otherwise run alone at the end.
    let (index, listings) = rayon::join(
        || {
            let mut cache = settings
                .search_cache
                .as_ref()
                .map(|c| c.lock().unwrap_or_else(|e| e.into_inner()));
            search.finish(
                site,
                |i, lang| views.path_href(i, lang),
                cache.as_deref_mut(),
                changed,
            )
        },
        || {
            (
                listed.then(|| views.open_data_index()),
                whole_site.then(|| views.sitemap(&pages)),
            )
        },
    );
    for (name, bytes) in index {
        put(name, bytes)?;
    }
    let (open_data_index, sitemap) = listings;
    if let Some((index_file, open_data_index)) = open_data_index {
        put(index_file, open_data_index)?;
    }
    let Some(sitemap) = sitemap else {
        return Ok(pages);
    };
    whole_site_files(site, theme, &views, sitemap, &put)?;
    Ok(pages)
}

/// Keeps a template error once, however many pages it broke.
fn note_once(errors: &std::sync::Mutex<Vec<Diagnostic>>, d: Diagnostic) {
    let mut errors = errors.lock().unwrap_or_else(|e| e.into_inner());
    if !errors
        .iter()
        .any(|x| x.file == d.file && x.line == d.line && x.message == d.message)
    {
        errors.push(d);
    }
}

/// The files only a whole-site render writes: the theme's static files, the
/// brand's files, `_headers`, the sitemap and `robots.txt`.
fn whole_site_files(
    site: &Site,
    theme: &Theme,
    views: &Views,
    sitemap: String,
    put: &dyn Fn(String, Vec<u8>) -> Result<(), RenderError>,
) -> Result<(), RenderError> {
    for (path, bytes) in &theme.static_files {
        let published = path
            .strip_prefix("static/")
            .and_then(|name| theme.assets.get(name))
            .map(|hashed| format!("static/{hashed}"))
            .unwrap_or_else(|| path.clone());
        put(published, bytes.clone())?;
    }
    let brand = &site.config.brand;
    for file in [&brand.logo, &brand.favicon].into_iter().flatten() {
        put(file.url.clone(), file.bytes.as_ref().clone())?;
    }
    if let Some(css) = views::brand_css(brand) {
        put(brand_css_path(&css), css.into_bytes())?;
    }
    put("_headers".into(), hosting::headers_file().into_bytes())?;
    put("sitemap.xml".into(), sitemap.into_bytes())?;
    put("robots.txt".into(), views.robots().into_bytes())
}
