//! Loading `content/` into a validated [`Site`], collecting every problem.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;
use time::Date;
use toml::value::Datetime;
use toml::Spanned;
use walkdir::WalkDir;

use super::model::*;
use super::slug::{is_valid_slug, shorten, slugify, MAX_SLUG_BYTES};
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
pub fn load_site(root: &FsPath) -> Loaded {
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
    /// Each path folder with what loading it produced, sorted by folder.
    paths: BTreeMap<PathBuf, (Option<PendingPath>, Vec<Diagnostic>)>,
}

impl LoadCache {
    /// Reads every file of the content folder.
    pub fn load(root: &FsPath) -> LoadCache {
        let mut shared_diags = Vec::new();
        let mut cache = LoadCache {
            root: root.to_path_buf(),
            missing_root: !root.is_dir(),
            config: None,
            languages: Lang::ALL.to_vec(),
            shared_diags: Vec::new(),
            segments: None,
            topics_and_audiences: None,
            channels: None,
            links: None,
            paths: BTreeMap::new(),
        };
        if cache.missing_root {
            return cache;
        }
        cache.config = load_config(&root.join("site.toml"), &mut shared_diags);
        if let Some(c) = &cache.config {
            cache.languages = c.languages.clone();
        }
        let default_lang = cache.languages[0];
        cache.segments =
            load_segments(&root.join("segments.toml"), default_lang, &mut shared_diags);
        cache.topics_and_audiences =
            load_topics(&root.join("topics.toml"), default_lang, &mut shared_diags);
        cache.channels = load_channels(
            &root.join("channels.toml"),
            &cache.languages,
            &mut shared_diags,
        );
        cache.links = load_links(&root.join("links.toml"), default_lang, &mut shared_diags);
        let dirs = path_folders(&root.join("paths"), &mut shared_diags);
        cache.shared_diags = shared_diags;
        let languages = cache.languages.clone();
        cache.paths = dirs
            .par_iter()
            .map(|dir| (dir.clone(), load_path(dir, &languages)))
            .collect();
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

    /// The path folder a changed file belongs to, when it is inside one.
    pub fn path_dir_of(&self, file: &FsPath) -> Option<PathBuf> {
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
                    "missing-content",
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
            paths: Some(pending.iter().map(|p| p.path.id.as_str()).collect()),
        };
        for p in &pending {
            check_references(p, &index, &mut diags);
        }
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

/// Span of the first occurrence of `needle` in the file, for values whose
/// own span serde does not give us; falls back to `fallback`.
fn locate(file: &SourceFile, needle: &str, fallback: Range<usize>) -> Range<usize> {
    file.span_of(&format!("\"{needle}\""))
        .or_else(|| file.span_of(needle))
        .unwrap_or(fallback)
}

/// Reads and parses a TOML file, or records why not.
fn read_toml<T: serde::de::DeserializeOwned>(
    path: &FsPath,
    required: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<(SourceFile, T)> {
    if !path.exists() {
        if required {
            diags.push(
                Diagnostic::file_level(
                    Severity::Error,
                    "missing-file",
                    display_path(path),
                    "this required file is missing",
                )
                .with_hint("create it; docs/content-format.md shows a complete example"),
            );
        }
        return None;
    }
    let file = match read_source_noting(path) {
        Ok((f, warning)) => {
            diags.extend(warning);
            f
        }
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    match parse_toml::<T>(&file) {
        Ok(v) => Some((file, v)),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Checks the address a site is published at (`base_url` in site.toml, or
/// `--base-url`) and returns it with a trailing slash: http or https with a
/// host, no query or fragment, and no whitespace or control characters
/// (URL parsers drop a newline silently; robots.txt and the sitemap would not).
pub fn normalize_base_url(raw: &str) -> Result<String, (String, String)> {
    let hint =
        "write the address the site is published at, e.g. `https://palvelupolut.example.org/`"
            .to_string();
    let shown: String = raw.escape_debug().collect();
    let trimmed = raw.trim();
    if trimmed.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err((
            format!("`{shown}` contains spaces or control characters"),
            hint,
        ));
    }
    match url::Url::parse(trimmed) {
        Ok(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some_and(|h| !h.is_empty())
                && u.query().is_none()
                && u.fragment().is_none()
                && u.username().is_empty()
                && u.password().is_none() =>
        {
            let mut url = u.to_string();
            if !url.ends_with('/') {
                url.push('/');
            }
            Ok(url)
        }
        _ => Err((format!("`{shown}` is not a usable base URL"), hint)),
    }
}

/// Checks an address: only https, http, tel and mailto are allowed.
pub(crate) fn check_url(raw: &str) -> Result<(), (String, String)> {
    let s = raw.trim();
    if s.is_empty() {
        return Err((
            "the address is empty".into(),
            "write the full address, e.g. `https://www.terveyskyla.fi/`".into(),
        ));
    }
    let url = url::Url::parse(s).map_err(|_| {
        (
            format!("`{s}` is not a valid address"),
            "write the full address starting with `https://`, or a phone number as `tel:+358...`"
                .to_string(),
        )
    })?;
    match url.scheme() {
        "https" | "http" => {
            if url.host_str().is_none_or(|h| h.is_empty()) {
                return Err((
                    format!("`{s}` has no host name"),
                    "write the full address, e.g. `https://www.example.org/page`".into(),
                ));
            }
            Ok(())
        }
        "tel" => {
            if url.path().chars().filter(|c| c.is_ascii_digit()).count() < 3 {
                return Err((
                    format!("`{s}` is not a phone number"),
                    "write it as `tel:+358401234567`".into(),
                ));
            }
            Ok(())
        }
        "mailto" => {
            if !url.path().contains('@') {
                return Err((
                    format!("`{s}` is not an e-mail address"),
                    "write it as `mailto:name@example.org`".into(),
                ));
            }
            Ok(())
        }
        other => Err((
            format!("addresses starting with `{other}:` are not allowed"),
            "use an address starting with https://, http://, tel: or mailto:".into(),
        )),
    }
}

fn url_diag(file: &SourceFile, value: &str, fallback: Range<usize>) -> Option<Diagnostic> {
    check_url(value).err().map(|(msg, hint)| {
        file.error("invalid-url", locate(file, value, fallback), msg)
            .with_hint(hint)
    })
}

fn check_text_urls(
    file: &SourceFile,
    text: &Text,
    fallback: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) {
    for lang in Lang::ALL {
        if let Some(u) = text.get(lang) {
            diags.extend(url_diag(file, u, fallback.clone()));
        }
    }
}

fn check_phone(file: &SourceFile, phone: &Spanned<String>, diags: &mut Vec<Diagnostic>) {
    let p = phone.get_ref();
    let digits = p.chars().filter(|c| c.is_ascii_digit()).count();
    let allowed = p
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
    if digits < 3 || !allowed {
        diags.push(
            file.error("invalid-phone", phone.span(), format!("`{p}` is not a phone number"))
                .with_hint("write digits, spaces and an optional leading +, e.g. `+358 9 123 4567` or `116 117`"),
        );
    }
}

fn check_email(file: &SourceFile, email: &Spanned<String>, diags: &mut Vec<Diagnostic>) {
    let e = email.get_ref();
    let ok = e.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !e.contains(char::is_whitespace)
    });
    if !ok {
        diags.push(
            file.error(
                "invalid-email",
                email.span(),
                format!("`{e}` is not an e-mail address"),
            )
            .with_hint("write it as `name@example.org`"),
        );
    }
}

fn to_date(
    file: &SourceFile,
    value: &Spanned<Datetime>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Date> {
    let dt = value.get_ref();
    let bad = |msg: String| {
        file.error("invalid-date", value.span(), msg)
            .with_hint("write a date without quotes as YYYY-MM-DD, e.g. `2027-03-31`")
    };
    match (&dt.date, &dt.time) {
        (Some(d), None) => {
            let date = time::Month::try_from(d.month)
                .ok()
                .and_then(|m| Date::from_calendar_date(i32::from(d.year), m, d.day).ok());
            if date.is_none() {
                diags.push(bad(format!("{dt} is not a date in the calendar")));
            }
            date
        }
        _ => {
            diags.push(bad(format!("`{dt}` is not a plain date")));
            None
        }
    }
}

fn check_id(file: &SourceFile, id: &Spanned<String>, what: &str, diags: &mut Vec<Diagnostic>) {
    if !is_valid_slug(id.get_ref()) && !is_segment_id(id.get_ref()) {
        diags.push(
            file.error(
                "invalid-id",
                id.span(),
                format!("the {what} id `{}` is not a valid id", id.get_ref()),
            )
            .with_hint(format!(
                "use lower-case letters a-z, digits and single hyphens, e.g. `{}`",
                slugify(id.get_ref())
            )),
        );
    }
}

/// A slug too long to be a folder name is a content error here, not an I/O
/// failure when the site is written.
fn check_slug_length(
    file: &SourceFile,
    slug: &str,
    span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) {
    if slug.len() > MAX_SLUG_BYTES {
        diags.push(
            file.error(
                "slug-too-long",
                span,
                format!(
                    "the address would be {} bytes long; a folder name may have at most {MAX_SLUG_BYTES}",
                    slug.len()
                ),
            )
            .with_hint(format!(
                "set a short `slug = \"...\"` (short addresses are also easier to read and share), e.g. `slug = \"{}\"`",
                shorten(slug)
            )),
        );
    }
}

fn is_segment_id(id: &str) -> bool {
    id.len() == 2 && id.starts_with('S') && id.as_bytes()[1].is_ascii_digit()
}

/// Reports the second and later uses of an id in one file.
fn check_duplicates<'a>(
    file: &SourceFile,
    ids: impl Iterator<Item = &'a Spanned<String>>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
    for id in ids {
        if let Some(first) = seen.get(id.get_ref().as_str()) {
            let (line, _) = file.line_col(first.start);
            diags.push(
                file.error(
                    "duplicate-id",
                    id.span(),
                    format!("the {what} id `{}` is defined twice", id.get_ref()),
                )
                .with_hint(format!(
                    "it is first defined on line {line}; give this {what} another id or remove one"
                )),
            );
        } else {
            seen.insert(id.get_ref(), id.span());
        }
    }
}

fn require_text(
    file: &SourceFile,
    text: &Text,
    span: Range<usize>,
    lang: Lang,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if text.get(lang).is_none() {
        diags.push(
            file.error(
                "empty-title",
                span,
                format!("the {what} has no {} text", lang.english_name()),
            )
            .with_hint(format!(
                "add `{}.{} = \"...\"`",
                what_key(what),
                lang.code()
            )),
        );
    }
}

fn what_key(what: &str) -> &str {
    what.rsplit(' ').next().unwrap_or(what)
}

/// Span of the line where `key` (a key or a `[table]` header) first
/// appears at the start of a line; the start of the file otherwise.
fn key_span(file: &SourceFile, key: &str) -> Range<usize> {
    let mut offset = 0;
    for line in file.text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) {
            let start = offset + (line.len() - trimmed.len());
            return start..offset + line.trim_end().len();
        }
        offset += line.len();
    }
    0..0
}

// ---------------------------------------------------------------- site.toml

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    #[serde(default)]
    languages: Option<Spanned<Vec<String>>>,
    base_url: Spanned<String>,
    name: Text,
    #[serde(default)]
    description: Text,
    organisation: Organisation,
    #[serde(default)]
    contact: RawContact,
    feedback: RawFeedback,
    accessibility: RawAccessibility,
    #[serde(default)]
    plain_language: PlainLanguage,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawContact {
    #[serde(default)]
    phone: Option<Spanned<String>>,
    #[serde(default)]
    email: Option<Spanned<String>>,
    #[serde(default)]
    address: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeedback {
    #[serde(default)]
    url: Text,
    #[serde(default)]
    email: Option<Spanned<String>>,
    #[serde(default)]
    response_days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccessibility {
    compliance: Compliance,
    assessed_on: Spanned<Datetime>,
    method: Text,
    updated_on: Spanned<Datetime>,
    #[serde(default)]
    non_accessible: Vec<NonAccessible>,
    authority: Authority,
}

fn load_config(path: &FsPath, diags: &mut Vec<Diagnostic>) -> Option<SiteConfig> {
    let (file, raw) = read_toml::<RawSite>(path, true, diags)?;
    let before = diags.len();

    let languages = match &raw.languages {
        None => Lang::ALL.to_vec(),
        Some(list) => {
            let mut langs = Vec::new();
            for code in list.get_ref() {
                match Lang::from_code(code) {
                    Some(l) if !langs.contains(&l) => langs.push(l),
                    Some(_) => diags.push(
                        file.error("duplicate-id", list.span(), format!("language `{code}` is listed twice"))
                            .with_hint("list each language once, e.g. `languages = [\"fi\", \"sv\"]`"),
                    ),
                    None => diags.push(
                        file.error("invalid-value", locate(&file, code, list.span()), format!("unknown language `{code}`"))
                            .with_hint("polku publishes in `fi` and `sv`; write `languages = [\"fi\", \"sv\"]`"),
                    ),
                }
            }
            if langs.is_empty() {
                diags.push(
                    file.error("missing-field", list.span(), "no languages are listed")
                        .with_hint(
                            "write `languages = [\"fi\", \"sv\"]`; the first is the default",
                        ),
                );
                langs = Lang::ALL.to_vec();
            }
            langs
        }
    };
    let default_lang = languages[0];

    let base_url = match normalize_base_url(raw.base_url.get_ref()) {
        Ok(url) => url,
        Err((message, hint)) => {
            diags.push(
                file.error("invalid-url", raw.base_url.span(), message)
                    .with_hint(hint),
            );
            String::new()
        }
    };

    require_text(
        &file,
        &raw.name,
        key_span(&file, "name"),
        default_lang,
        "site name",
        diags,
    );
    let org_span = key_span(&file, "[organisation]");
    let feedback_span = key_span(&file, "[feedback]");
    let authority_span = key_span(&file, "[accessibility.authority]");
    require_text(
        &file,
        &raw.organisation.name,
        org_span.clone(),
        default_lang,
        "organisation name",
        diags,
    );
    check_text_urls(&file, &raw.organisation.url, org_span, diags);

    if let Some(p) = &raw.contact.phone {
        check_phone(&file, p, diags);
    }
    if let Some(e) = &raw.contact.email {
        check_email(&file, e, diags);
    }
    let feedback = &raw.feedback;
    check_text_urls(&file, &feedback.url, feedback_span.clone(), diags);
    if let Some(e) = &feedback.email {
        check_email(&file, e, diags);
    }
    if feedback.url.get(default_lang).is_none() && feedback.email.is_none() {
        diags.push(
            file.error("missing-field", feedback_span, "the feedback channel has neither a web form nor an e-mail address")
                .with_hint("add `url.fi = \"https://...\"` or `email = \"...\"` under [feedback]; the accessibility statement must name a feedback channel"),
        );
    }

    let acc = &raw.accessibility;
    let assessed_on = to_date(&file, &acc.assessed_on, diags);
    let updated_on = to_date(&file, &acc.updated_on, diags);
    require_text(
        &file,
        &acc.method,
        key_span(&file, "[accessibility]"),
        default_lang,
        "assessment method",
        diags,
    );
    let authority = &acc.authority;
    require_text(
        &file,
        &authority.name,
        authority_span.clone(),
        default_lang,
        "authority name",
        diags,
    );
    check_text_urls(&file, &authority.url, authority_span, diags);
    for item in &acc.non_accessible {
        if item.content.get(default_lang).is_none() {
            diags.push(
                file.error(
                    "empty-title",
                    locate(&file, "[[accessibility.non_accessible]]", 0..0),
                    "a non-accessible item has no description",
                )
                .with_hint(format!(
                    "add `content.{} = \"...\"` and `reason.{} = \"...\"`",
                    default_lang.code(),
                    default_lang.code()
                )),
            );
        }
    }

    if diags.len() > before {
        return None;
    }
    let raw_feedback = raw.feedback;
    Some(SiteConfig {
        languages,
        base_url,
        name: raw.name,
        description: raw.description,
        organisation: raw.organisation,
        contact: Contact {
            phone: raw.contact.phone.map(Spanned::into_inner),
            email: raw.contact.email.map(Spanned::into_inner),
            address: raw.contact.address,
        },
        feedback: Feedback {
            url: raw_feedback.url,
            email: raw_feedback.email.map(Spanned::into_inner),
            response_days: raw_feedback.response_days.unwrap_or(14),
        },
        accessibility: AccessibilityStatement {
            compliance: raw.accessibility.compliance,
            assessed_on: assessed_on?,
            method: raw.accessibility.method,
            updated_on: updated_on?,
            non_accessible: raw.accessibility.non_accessible,
            authority: raw.accessibility.authority,
        },
        plain_language: raw.plain_language,
    })
}

// ---------------------------------------------------------------- segments, topics

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSegments {
    #[serde(default)]
    segment: Vec<RawSegment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSegment {
    id: Spanned<String>,
    name: String,
    label: Text,
    #[serde(default)]
    description: Text,
}

fn load_segments(path: &FsPath, lang: Lang, diags: &mut Vec<Diagnostic>) -> Option<Vec<Segment>> {
    let (file, raw) = read_toml::<RawSegments>(path, true, diags)?;
    check_duplicates(&file, raw.segment.iter().map(|s| &s.id), "segment", diags);
    if raw.segment.is_empty() {
        diags.push(
            file.error("missing-field", 0..0, "no segments are defined")
                .with_hint("define the four segments S1–S4 as `[[segment]]` tables"),
        );
    }
    let segments = raw
        .segment
        .into_iter()
        .map(|s| {
            if !is_segment_id(s.id.get_ref()) {
                diags.push(
                    file.error(
                        "invalid-id",
                        s.id.span(),
                        format!("`{}` is not a segment id", s.id.get_ref()),
                    )
                    .with_hint("segment ids are S1, S2, S3 and S4"),
                );
            }
            require_text(&file, &s.label, s.id.span(), lang, "segment label", diags);
            Segment {
                id: s.id.into_inner(),
                name: s.name,
                label: s.label,
                description: s.description,
            }
        })
        .collect();
    Some(segments)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopics {
    #[serde(default)]
    topic: Vec<RawTopic>,
    #[serde(default)]
    audience: Vec<RawTopic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    id: Spanned<String>,
    name: Text,
    #[serde(default)]
    description: Text,
}

fn load_topics(
    path: &FsPath,
    lang: Lang,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Vec<Topic>, Vec<Audience>)> {
    let (file, raw) = read_toml::<RawTopics>(path, true, diags)?;
    check_duplicates(&file, raw.topic.iter().map(|s| &s.id), "topic", diags);
    check_duplicates(
        &file,
        raw.audience.iter().map(|s| &s.id),
        "target group",
        diags,
    );
    let mut check = |t: &RawTopic, what: &str| {
        check_id(&file, &t.id, what, diags);
        require_text(
            &file,
            &t.name,
            t.id.span(),
            lang,
            &format!("{what} name"),
            diags,
        );
    };
    raw.topic.iter().for_each(|t| check(t, "topic"));
    raw.audience.iter().for_each(|t| check(t, "target group"));
    let topics = raw
        .topic
        .into_iter()
        .map(|t| Topic {
            id: t.id.into_inner(),
            name: t.name,
            description: t.description,
        })
        .collect();
    let audiences = raw
        .audience
        .into_iter()
        .map(|t| Audience {
            id: t.id.into_inner(),
            name: t.name,
        })
        .collect();
    Some((topics, audiences))
}

// ---------------------------------------------------------------- channels

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannels {
    #[serde(default)]
    channel: Vec<RawChannel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannel {
    id: Spanned<String>,
    kind: ChannelKind,
    name: Text,
    #[serde(default)]
    description: Text,
    #[serde(default)]
    phone: Option<Spanned<String>>,
    #[serde(default)]
    email: Option<Spanned<String>>,
    #[serde(default)]
    url: Option<Text>,
    #[serde(default)]
    address: Text,
    #[serde(default)]
    hours: Vec<RawHours>,
    #[serde(default)]
    hours_note: Text,
    #[serde(default)]
    strong_auth: bool,
    #[serde(default)]
    anonymous: bool,
    #[serde(default)]
    response_time: Option<RawResponseTime>,
    #[serde(default)]
    languages: Vec<Spanned<String>>,
    #[serde(default)]
    accessibility: Text,
    #[serde(default)]
    slug: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHours {
    days: Spanned<String>,
    opens: Spanned<String>,
    closes: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResponseTime {
    amount: u32,
    unit: ResponseUnit,
}

fn parse_days(days: &str) -> Option<(Weekday, Weekday)> {
    match days.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (Weekday::from_key(a.trim())?, Weekday::from_key(b.trim())?);
            (a <= b).then_some((a, b))
        }
        None => Weekday::from_key(days.trim()).map(|d| (d, d)),
    }
}

fn parse_time(t: &str) -> Option<(u32, u32)> {
    let (h, m) = t.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && !(h == 24 && m > 0)).then_some((h, m))
}

fn load_channels(
    path: &FsPath,
    languages: &[Lang],
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Channel>> {
    let (file, raw) = read_toml::<RawChannels>(path, true, diags)?;
    if raw.channel.is_empty() {
        // One error here rather than an unknown channel at every reference.
        diags.push(
            file.error("missing-field", 0..0, "the file defines no channels")
                .with_hint("add one `[[channel]]` table per service channel, with `id`, `kind` and `name.fi`; docs/content-format.md shows an example"),
        );
        return None;
    }
    let default_lang = languages[0];
    check_duplicates(&file, raw.channel.iter().map(|c| &c.id), "channel", diags);
    let mut slugs: HashMap<(Lang, String), (String, Range<usize>)> = HashMap::new();
    let mut channels = Vec::new();
    for c in raw.channel {
        check_id(&file, &c.id, "channel", diags);
        require_text(
            &file,
            &c.name,
            c.id.span(),
            default_lang,
            "channel name",
            diags,
        );
        if let Some(p) = &c.phone {
            check_phone(&file, p, diags);
        }
        if let Some(e) = &c.email {
            check_email(&file, e, diags);
        }
        if let Some(u) = &c.url {
            check_text_urls(&file, u, c.id.span(), diags);
        }
        let needs_phone = matches!(
            c.kind,
            ChannelKind::Phone | ChannelKind::Callback | ChannelKind::Sms | ChannelKind::Emergency
        );
        if needs_phone && c.phone.is_none() {
            diags.push(
                file.error(
                    "missing-field",
                    c.id.span(),
                    format!(
                        "the {} channel `{}` has no phone number",
                        c.kind.key(),
                        c.id.get_ref()
                    ),
                )
                .with_hint("add `phone = \"...\"` to this channel"),
            );
        }
        let mut hours = Vec::new();
        for h in &c.hours {
            let days = parse_days(h.days.get_ref());
            if days.is_none() {
                diags.push(
                    file.error("invalid-value", h.days.span(), format!("`{}` is not a day or a range of days", h.days.get_ref()))
                        .with_hint("write a day (`mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`) or a range such as `mon-fri`"),
                );
            }
            let mut times_ok = true;
            for t in [&h.opens, &h.closes] {
                if parse_time(t.get_ref()).is_none() {
                    times_ok = false;
                    diags.push(
                        file.error(
                            "invalid-value",
                            t.span(),
                            format!("`{}` is not a time of day", t.get_ref()),
                        )
                        .with_hint(
                            "write the time as HH:MM on the 24-hour clock, e.g. `08:00` or `16:30`",
                        ),
                    );
                }
            }
            if times_ok && parse_time(h.opens.get_ref()) >= parse_time(h.closes.get_ref()) {
                diags.push(
                    file.error("invalid-value", h.closes.span(), "the closing time is not after the opening time")
                        .with_hint("check the times; for round-the-clock service write `opens = \"00:00\"` and `closes = \"24:00\"`"),
                );
            }
            if let Some((from, to)) = days {
                hours.push(OpeningHours {
                    from,
                    to,
                    opens: h.opens.get_ref().clone(),
                    closes: h.closes.get_ref().clone(),
                });
            }
        }
        for l in &c.languages {
            if l.get_ref().len() != 2 || !l.get_ref().chars().all(|c| c.is_ascii_lowercase()) {
                diags.push(
                    file.error(
                        "invalid-value",
                        l.span(),
                        format!("`{}` is not a two-letter language code", l.get_ref()),
                    )
                    .with_hint("use ISO 639-1 codes such as `fi`, `sv`, `en`"),
                );
            }
        }
        let mut slug = BTreeMap::new();
        for &lang in languages {
            let s = match c.slug.get(lang) {
                Some(given) => {
                    if !is_valid_slug(given) {
                        diags.push(
                            file.error(
                                "invalid-slug",
                                locate(&file, given, c.id.span()),
                                format!("`{given}` is not a valid slug"),
                            )
                            .with_hint(format!(
                                "use lower-case a-z, digits and single hyphens, e.g. `{}`",
                                slugify(given)
                            )),
                        );
                    }
                    given.to_string()
                }
                None => {
                    let from_name = c
                        .name
                        .resolve(lang)
                        .map(|(t, _)| slugify(t))
                        .unwrap_or_default();
                    if from_name.is_empty() {
                        c.id.get_ref().clone()
                    } else {
                        from_name
                    }
                }
            };
            let slug_span = c
                .slug
                .get(lang)
                .map(|given| locate(&file, given, c.id.span()))
                .unwrap_or_else(|| c.id.span());
            check_slug_length(&file, &s, slug_span, diags);
            if let Some((other, _)) = slugs.get(&(lang, s.clone())) {
                diags.push(
                    file.error(
                        "duplicate-slug",
                        c.id.span(),
                        format!(
                            "channels `{other}` and `{}` get the same {} address `{s}`",
                            c.id.get_ref(),
                            lang.english_name()
                        ),
                    )
                    .with_hint(format!(
                        "give one of them its own `slug.{} = \"...\"`",
                        lang.code()
                    )),
                );
            } else {
                slugs.insert((lang, s.clone()), (c.id.get_ref().clone(), c.id.span()));
            }
            slug.insert(lang, s);
        }
        channels.push(Channel {
            id: c.id.into_inner(),
            kind: c.kind,
            name: c.name,
            description: c.description,
            phone: c.phone.map(Spanned::into_inner),
            email: c.email.map(Spanned::into_inner),
            url: c.url.unwrap_or_default(),
            address: c.address,
            hours,
            hours_note: c.hours_note,
            strong_auth: c.strong_auth,
            anonymous: c.anonymous,
            response_time: c.response_time.map(|r| ResponseTime {
                amount: r.amount,
                unit: r.unit,
            }),
            languages: c.languages.into_iter().map(Spanned::into_inner).collect(),
            accessibility: c.accessibility,
            slug,
        });
    }
    Some(channels)
}

// ---------------------------------------------------------------- links

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLinks {
    #[serde(default)]
    link: Vec<RawLink>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLink {
    id: Spanned<String>,
    kind: LinkKind,
    title: Text,
    url: Text,
    #[serde(default)]
    publisher: Text,
}

fn load_links(path: &FsPath, lang: Lang, diags: &mut Vec<Diagnostic>) -> Option<Vec<Link>> {
    let (file, raw) = read_toml::<RawLinks>(path, true, diags)?;
    check_duplicates(&file, raw.link.iter().map(|l| &l.id), "link", diags);
    let links = raw
        .link
        .into_iter()
        .map(|l| {
            check_id(&file, &l.id, "link", diags);
            require_text(&file, &l.title, l.id.span(), lang, "link title", diags);
            require_text(&file, &l.url, l.id.span(), lang, "link url", diags);
            check_text_urls(&file, &l.url, l.id.span(), diags);
            Link {
                id: l.id.into_inner(),
                kind: l.kind,
                title: l.title,
                url: l.url,
                publisher: l.publisher,
            }
        })
        .collect();
    Some(links)
}

// ---------------------------------------------------------------- paths

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPath {
    topic: Spanned<String>,
    #[serde(default)]
    audiences: Vec<Spanned<String>>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    last_reviewed: Option<Spanned<Datetime>>,
    #[serde(default)]
    next_review: Option<Spanned<Datetime>>,
    #[serde(default)]
    emergency: bool,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    related: Vec<Spanned<String>>,
    #[serde(default, rename = "phase")]
    phases: Vec<RawPhase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhase {
    id: Spanned<String>,
    #[serde(default)]
    channels: Vec<Spanned<String>>,
    #[serde(default)]
    links: Vec<Spanned<String>>,
}

/// A path loaded on its own, with what cross-checks need.
struct PendingPath {
    path: Arc<Path>,
    toml: SourceFile,
    raw: RawPath,
    prose: Vec<(Lang, SourceFile, prose::ParsedProse)>,
}

fn path_folders(dir: &FsPath, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    if !dir.is_dir() {
        diags.push(
            Diagnostic::file_level(
                Severity::Error,
                "missing-file",
                display_path(dir),
                "the `paths` folder is missing",
            )
            .with_hint(
                "create `paths/` with one folder per path; `polku new path SLUG` scaffolds one",
            ),
        );
        return Vec::new();
    }
    let root = dir
        .parent()
        .and_then(|r| r.canonicalize().ok())
        .unwrap_or_default();
    let mut folders = Vec::new();
    for entry in WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e.path().unwrap_or(dir);
                diags.push(
                    Diagnostic::file_level(
                        Severity::Error,
                        "io",
                        display_path(at),
                        format!("cannot read the folder: {e}"),
                    )
                    .with_hint("check the folder's permissions"),
                );
                continue;
            }
        };
        if entry.file_name().to_string_lossy().starts_with(['.', '_']) {
            continue;
        }
        let kind = entry.file_type();
        if kind.is_dir() {
            folders.push(entry.into_path());
        } else if kind.is_symlink() {
            // A linked path folder is followed if it stays inside the
            // content folder, and reported otherwise; never skipped silently.
            let shown = display_path(entry.path());
            match entry.path().canonicalize() {
                Ok(real) if real.is_dir() && real.starts_with(&root) => {
                    folders.push(entry.into_path())
                }
                Ok(real) if real.is_dir() => diags.push(
                    Diagnostic::file_level(
                        Severity::Error,
                        "link-outside-content",
                        shown,
                        format!(
                            "this path folder is a link to {}, outside the content folder",
                            real.display()
                        ),
                    )
                    .with_hint("move the folder into the content folder (links are followed only inside it), or copy it here"),
                ),
                Ok(_) => {}
                Err(e) => diags.push(
                    Diagnostic::file_level(
                        Severity::Error,
                        "io",
                        shown,
                        format!("this link in the paths folder leads nowhere: {e}"),
                    )
                    .with_hint("remove the link, or point it at an existing path folder"),
                ),
            }
        }
    }
    folders
}

fn load_path(dir: &FsPath, languages: &[Lang]) -> (Option<PendingPath>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let toml_path = dir.join("path.toml");
    let Some((toml, raw)) = read_toml::<RawPath>(&toml_path, true, &mut diags) else {
        return (None, diags);
    };
    if !is_valid_slug(&id) {
        diags.push(
            toml.error(
                "invalid-id",
                0..0,
                format!("the folder name `{id}` is not a valid path id"),
            )
            .with_hint(format!(
                "rename the folder to `{}`: lower-case a-z, digits and single hyphens",
                slugify(&id)
            )),
        );
    }
    if raw.phases.is_empty() {
        diags.push(
            toml.error("missing-field", 0..0, "the path has no phases")
                .with_hint("add at least one `[[phase]]` table with an `id`"),
        );
    }
    check_duplicates(&toml, raw.phases.iter().map(|p| &p.id), "phase", &mut diags);
    for p in &raw.phases {
        check_id(&toml, &p.id, "phase", &mut diags);
    }
    let last_reviewed = raw
        .last_reviewed
        .as_ref()
        .and_then(|d| to_date(&toml, d, &mut diags));
    let next_review = raw
        .next_review
        .as_ref()
        .and_then(|d| to_date(&toml, d, &mut diags));

    let mut texts = BTreeMap::new();
    let mut prose_files = Vec::new();
    for &lang in languages {
        let md_path = dir.join(format!("{}.md", lang.code()));
        if !md_path.exists() {
            // Without the source-language text there is no page at all; a
            // missing translation falls back to it and is a warning.
            let severity = if lang == languages[0] {
                Severity::Error
            } else {
                Severity::Warning
            };
            diags.push(
                Diagnostic::file_level(
                    severity,
                    "missing-translation",
                    display_path(&md_path),
                    format!("the {} text of path `{id}` is missing", lang.english_name()),
                )
                .with_hint(format!(
                    "create {}.md with the same phase headings (`## Title {{#phase-id}}`) as the other language",
                    lang.code()
                )),
            );
            continue;
        }
        let file = match read_source_noting(&md_path) {
            Ok((f, warning)) => {
                diags.extend(warning);
                f
            }
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let (parsed, d) = prose::parse(&file);
        diags.extend(d);
        let Some(parsed) = parsed else { continue };

        // Phases: every phase in path.toml needs text, and no text may name an unknown phase.
        for p in &raw.phases {
            if !parsed
                .phases
                .iter()
                .any(|(pid, _, _)| pid == p.id.get_ref())
            {
                let end = file.text.len();
                diags.push(
                    file.error("missing-phase", end..end, format!("phase `{}` has no {} text", p.id.get_ref(), lang.english_name()))
                        .with_hint(format!(
                            "add a section `## Phase title {{#{}}}` to {}.md (phase `{}` is defined in path.toml line {})",
                            p.id.get_ref(),
                            lang.code(),
                            p.id.get_ref(),
                            toml.line_col(p.id.span().start).0
                        )),
                );
            }
        }
        for (pid, span, _) in &parsed.phases {
            if !raw.phases.iter().any(|p| p.id.get_ref() == pid) {
                diags.push(
                    file.error(
                        "unknown-reference",
                        span.clone(),
                        format!("phase `{pid}` is not defined in path.toml"),
                    )
                    .with_hint(format!(
                        "add `[[phase]]` with `id = \"{pid}\"` to path.toml, or correct the id{}",
                        suggest(pid, raw.phases.iter().map(|p| p.id.get_ref().as_str()))
                    )),
                );
            }
        }
        for (dest, span) in &parsed.links {
            if dest.starts_with('#') || dest.starts_with("path:") || dest.starts_with("channel:") {
                continue;
            }
            if let Err((msg, hint)) = check_url(dest) {
                diags.push(
                    file.error("invalid-url", span.clone(), msg)
                        .with_hint(format!(
                    "{hint}; link to another path with `path:ID` and to a channel with `channel:ID`"
                )),
                );
            }
        }

        let slug = match &parsed.slug {
            Some((given, span)) => {
                if !is_valid_slug(given) {
                    diags.push(
                        file.error(
                            "invalid-slug",
                            span.clone(),
                            format!("`{given}` is not a valid slug"),
                        )
                        .with_hint(format!(
                            "use lower-case a-z, digits and single hyphens, e.g. `{}`",
                            slugify(given)
                        )),
                    );
                }
                given.clone()
            }
            None => {
                let s = slugify(&parsed.title);
                if s.is_empty() {
                    id.clone()
                } else {
                    s
                }
            }
        };
        let slug_span = parsed
            .slug
            .as_ref()
            .map(|(_, span)| span.clone())
            .unwrap_or_else(|| parsed.title_span.clone());
        check_slug_length(&file, &slug, slug_span, &mut diags);
        texts.insert(
            lang,
            PathText {
                file: file.path.clone(),
                title: parsed.title.clone(),
                summary: parsed.summary.clone(),
                slug,
                intro: parsed.intro.clone(),
                translation_of: parsed.translation_of.clone(),
                phases: parsed
                    .phases
                    .iter()
                    .map(|(pid, _, t)| (pid.clone(), t.clone()))
                    .collect(),
            },
        );
        prose_files.push((lang, file, parsed));
    }

    let path = Path {
        id,
        dir: dir.to_path_buf(),
        topic: raw.topic.get_ref().clone(),
        audiences: raw.audiences.iter().map(|a| a.get_ref().clone()).collect(),
        owner: raw.owner.clone().filter(|o| !o.trim().is_empty()),
        last_reviewed,
        next_review,
        emergency: raw.emergency,
        draft: raw.draft,
        related: raw.related.iter().map(|r| r.get_ref().clone()).collect(),
        phases: raw
            .phases
            .iter()
            .map(|p| Phase {
                id: p.id.get_ref().clone(),
                channels: p.channels.iter().map(|c| c.get_ref().clone()).collect(),
                links: p.links.iter().map(|l| l.get_ref().clone()).collect(),
            })
            .collect(),
        texts,
    };
    (
        Some(PendingPath {
            path: Arc::new(path),
            toml,
            raw,
            prose: prose_files,
        }),
        diags,
    )
}

/// Known ids per kind; `None` when their file could not be read.
struct Index<'a> {
    segments: Option<Vec<&'a str>>,
    topics: Option<Vec<&'a str>>,
    audiences: Option<Vec<&'a str>>,
    channels: Option<Vec<&'a str>>,
    links: Option<Vec<&'a str>>,
    paths: Option<Vec<&'a str>>,
}

/// True when `id` is unknown in a list that could be read.
fn missing(known: &Option<Vec<&str>>, id: &str) -> bool {
    known.as_ref().is_some_and(|k| !k.contains(&id))
}

/// ", did you mean `x`?" for the closest known id, or nothing.
fn suggest<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> String {
    known
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!("; did you mean `{k}`?"))
        .unwrap_or_default()
}

fn reference_diag(
    file: &SourceFile,
    span: Range<usize>,
    what: &str,
    id: &str,
    defined_in: &str,
    known: &[&str],
) -> Diagnostic {
    file.error("unknown-reference", span, format!("unknown {what} `{id}`"))
        .with_hint(format!(
            "define it in {defined_in} or correct the id{}",
            suggest(id, known.iter().copied())
        ))
}

fn check_references(p: &PendingPath, index: &Index, diags: &mut Vec<Diagnostic>) {
    let f = &p.toml;
    let raw = &p.raw;
    if missing(&index.topics, raw.topic.get_ref()) {
        diags.push(reference_diag(
            f,
            raw.topic.span(),
            "topic",
            raw.topic.get_ref(),
            "topics.toml as [[topic]]",
            index.topics.as_deref().unwrap_or_default(),
        ));
    }
    for a in &raw.audiences {
        if missing(&index.audiences, a.get_ref()) {
            diags.push(reference_diag(
                f,
                a.span(),
                "target group",
                a.get_ref(),
                "topics.toml as [[audience]]",
                index.audiences.as_deref().unwrap_or_default(),
            ));
        }
    }
    for r in &raw.related {
        if missing(&index.paths, r.get_ref()) {
            diags.push(reference_diag(
                f,
                r.span(),
                "path",
                r.get_ref(),
                "paths/ as a folder",
                index.paths.as_deref().unwrap_or_default(),
            ));
        }
    }
    for phase in &raw.phases {
        for c in &phase.channels {
            if missing(&index.channels, c.get_ref()) {
                diags.push(reference_diag(
                    f,
                    c.span(),
                    "channel",
                    c.get_ref(),
                    "channels.toml",
                    index.channels.as_deref().unwrap_or_default(),
                ));
            }
        }
        for l in &phase.links {
            if missing(&index.links, l.get_ref()) {
                diags.push(reference_diag(
                    f,
                    l.span(),
                    "link",
                    l.get_ref(),
                    "links.toml",
                    index.links.as_deref().unwrap_or_default(),
                ));
            }
        }
    }
    for (_, file, parsed) in &p.prose {
        for (segment, span) in &parsed.guidance_refs {
            if missing(&index.segments, segment) {
                diags.push(reference_diag(
                    file,
                    span.clone(),
                    "segment",
                    segment,
                    "segments.toml",
                    index.segments.as_deref().unwrap_or_default(),
                ));
            }
        }
        for (dest, span) in &parsed.links {
            if let Some(target) = dest.strip_prefix("path:") {
                if missing(&index.paths, target) {
                    diags.push(reference_diag(
                        file,
                        span.clone(),
                        "path",
                        target,
                        "paths/ as a folder",
                        index.paths.as_deref().unwrap_or_default(),
                    ));
                }
            } else if let Some(target) = dest.strip_prefix("channel:") {
                if missing(&index.channels, target) {
                    diags.push(reference_diag(
                        file,
                        span.clone(),
                        "channel",
                        target,
                        "channels.toml",
                        index.channels.as_deref().unwrap_or_default(),
                    ));
                }
            }
        }
    }
}

/// Slugs of pages that are not paths, per language: a path may not take them.
pub(crate) fn reserved_slugs(lang: Lang) -> [&'static str; 3] {
    [
        crate::render::section_slug(lang, crate::render::Section::Channels),
        crate::render::section_slug(lang, crate::render::Section::Accessibility),
        "404",
    ]
}

fn check_path_slugs(paths: &[&PendingPath], languages: &[Lang], diags: &mut Vec<Diagnostic>) {
    for &lang in languages {
        let mut seen: HashMap<&str, (&str, &SourceFile)> = HashMap::new();
        for p in paths {
            if p.path.texts.is_empty() {
                continue;
            }
            let (text, _) = p.path.text(lang);
            let Some((_, file, parsed)) = p.prose.iter().find(|(l, _, _)| *l == lang) else {
                continue;
            };
            let span = parsed
                .slug
                .as_ref()
                .map(|(_, s)| s.clone())
                .unwrap_or_else(|| parsed.title_span.clone());
            if reserved_slugs(lang).contains(&text.slug.as_str()) {
                diags.push(
                    file.error(
                        "duplicate-slug",
                        span.clone(),
                        format!("the address `{}` is reserved for another page", text.slug),
                    )
                    .with_hint("give the path another `slug = \"...\"` in the front matter"),
                );
            }
            if let Some((other, other_file)) = seen.get(text.slug.as_str()) {
                diags.push(
                    file.error("duplicate-slug", span, format!("paths `{other}` and `{}` get the same address `{}`", p.path.id, text.slug))
                        .with_hint(format!("give one of them its own `slug = \"...\"` in the front matter (the other is {})", other_file.path.display())),
                );
            } else {
                seen.insert(&text.slug, (&p.path.id, file));
            }
        }
    }
}
