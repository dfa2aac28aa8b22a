//! `paths/<id>/`: one path's `path.toml` and its language files, and the
//! addresses of all paths.

use super::*;
use crate::code::Code;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPath {
    pub(super) topic: Spanned<String>,
    #[serde(default)]
    pub(super) audiences: Vec<Spanned<String>>,
    /// A plain string (in the source language) or `owner.fi`, `owner.sv`.
    #[serde(default)]
    pub(super) owner: Option<toml::Value>,
    #[serde(default)]
    pub(super) last_reviewed: Option<Spanned<Datetime>>,
    #[serde(default)]
    pub(super) next_review: Option<Spanned<Datetime>>,
    #[serde(default)]
    pub(super) emergency: bool,
    #[serde(default)]
    pub(super) draft: bool,
    #[serde(default)]
    pub(super) related: Vec<Spanned<String>>,
    /// Channels to reach at once, shown above the first phase.
    #[serde(default)]
    pub(super) urgent: Vec<Spanned<String>>,
    #[serde(default, rename = "phase")]
    pub(super) phases: Vec<RawPhase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPhase {
    pub(super) id: Spanned<String>,
    #[serde(default)]
    pub(super) channels: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) links: Vec<Spanned<String>>,
}

/// A path loaded on its own, with what cross-checks need.
pub(super) struct PendingPath {
    pub(super) path: Arc<ServicePath>,
    pub(super) toml: SourceFile,
    /// Where path.toml names the ids the model holds.
    pub(super) spans: RefSpans,
    pub(super) prose: Vec<(Lang, SourceFile, prose::ParsedProse)>,
}

/// Positions in path.toml of the ids a path refers to, in the model's order.
pub(super) struct RefSpans {
    pub(super) topic: Range<usize>,
    pub(super) audiences: Vec<Range<usize>>,
    pub(super) related: Vec<Range<usize>>,
    pub(super) urgent: Vec<Range<usize>>,
}

/// What one entry of the `paths` folder is.
pub(super) enum PathFolder {
    /// A path folder (or a link to one inside the content folder).
    Folder(PathBuf),
    /// A link that cannot be followed, or an entry that cannot be read.
    Refused(Diagnostic),
    /// A file, or a hidden entry (`.git`, `_drafts`): not a path.
    Skipped,
}

/// The entries of the `paths` folder, in the order the system lists them
/// (callers sort): read one by one, so that the folders listed first are
/// loaded while the rest are listed. `None` with a diagnostic when the
/// folder itself cannot be read.
pub(super) fn path_folders(
    dir: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<impl Iterator<Item = PathFolder> + Send> {
    if !dir.is_dir() {
        diags.push(
            Diagnostic::file_level(
                Severity::Error,
                Code::MissingFile,
                display_path(dir),
                "the `paths` folder is missing",
            )
            .with_hint(
                "create `paths/` with one folder per path; `polku new path SLUG` scaffolds one",
            ),
        );
        return None;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            diags.push(unreadable_folder(dir, &e));
            return None;
        }
    };
    let root = dir
        .parent()
        .and_then(|r| r.canonicalize().ok())
        .unwrap_or_default();
    let dir = dir.to_path_buf();
    Some(entries.map(move |entry| match entry {
        Ok(entry) => path_folder(&entry, &root),
        Err(e) => PathFolder::Refused(unreadable_folder(&dir, &e)),
    }))
}

/// The error of a folder (or an entry of it) that cannot be read.
fn unreadable_folder(dir: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::file_level(
        Severity::Error,
        Code::Io,
        display_path(dir),
        format!("cannot read the folder: {e}"),
    )
    .with_hint("check the folder's permissions")
}

/// What the entry `entry` of the `paths` folder is; `root` is the content
/// folder, canonical.
fn path_folder(entry: &std::fs::DirEntry, root: &Path) -> PathFolder {
    if entry.file_name().to_string_lossy().starts_with(['.', '_']) {
        return PathFolder::Skipped;
    }
    let path = entry.path();
    let kind = match entry.file_type() {
        Ok(kind) => kind,
        Err(e) => return PathFolder::Refused(unreadable_folder(&path, &e)),
    };
    if kind.is_dir() {
        return PathFolder::Folder(path);
    }
    if !kind.is_symlink() {
        return PathFolder::Skipped;
    }
    // A linked path folder is followed if it stays inside the content
    // folder, and reported otherwise; never skipped silently.
    let shown = display_path(&path);
    match path.canonicalize() {
        Ok(real) if real.is_dir() && real.starts_with(root) => PathFolder::Folder(path),
        Ok(real) if real.is_dir() => PathFolder::Refused(
            Diagnostic::file_level(
                Severity::Error,
                Code::LinkOutsideContent,
                shown,
                format!(
                    "this path folder is a link to {}, outside the content folder",
                    real.display()
                ),
            )
            .with_hint("move the folder into the content folder (links are followed only inside it), or copy it here"),
        ),
        Ok(_) => PathFolder::Skipped,
        Err(e) => PathFolder::Refused(
            Diagnostic::file_level(
                Severity::Error,
                Code::Io,
                shown,
                format!("this link in the paths folder leads nowhere: {e}"),
            )
            .with_hint("remove the link, or point it at an existing path folder"),
        ),
    }
}

pub(super) fn load_path(dir: &Path, languages: &[Lang]) -> (Option<PendingPath>, Vec<Diagnostic>) {
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
                Code::InvalidId,
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
            toml.error(Code::MissingField, 0..0, "the path has no phases")
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

    let mut texts = VecMap::new();
    let mut sources = VecMap::new();
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
                    Code::MissingTranslation,
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
        let Some(mut parsed) = parsed else { continue };

        // Phases: every phase in path.toml needs text, and no text may name an unknown phase.
        for p in &raw.phases {
            if !parsed
                .phases
                .iter()
                .any(|(pid, _, _)| pid == p.id.get_ref())
            {
                let end = file.text.len();
                diags.push(
                    file.error(Code::MissingPhase, end..end, format!("phase `{}` has no {} text", p.id.get_ref(), lang.english_name()))
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
                        Code::UnknownReference,
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
                    file.error(Code::InvalidUrl, span.clone(), msg)
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
                            Code::InvalidSlug,
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
        // The texts move into the model; what stays with the parse is what
        // the cross-file checks need (spans, references), not a second copy.
        texts.insert(
            lang,
            PathText {
                file: file.path.clone(),
                title: std::mem::take(&mut parsed.title),
                summary: std::mem::take(&mut parsed.summary),
                slug,
                intro: std::mem::take(&mut parsed.intro),
                translation_of: parsed.translation_of.take(),
                spans: std::mem::take(&mut parsed.spans),
                keywords: std::mem::take(&mut parsed.keywords),
                phases: std::mem::take(&mut parsed.phases)
                    .into_iter()
                    .map(|(pid, _, t)| (pid, t))
                    .collect(),
            },
        );
        sources.insert(lang, file.clone());
        prose_files.push((lang, file, parsed));
    }

    // The ids move into the model; their positions stay for the cross-file
    // reference checks (one copy of each id, not two).
    let owner = owner_text(&toml, raw.owner.as_ref(), languages[0], &mut diags);
    let split = |v: Vec<Spanned<String>>| -> (Vec<String>, Vec<Range<usize>>) {
        v.into_iter()
            .map(|s| {
                let span = s.span();
                (s.into_inner(), span)
            })
            .unzip()
    };
    let topic_span = raw.topic.span();
    let (audiences, audience_spans) = split(raw.audiences);
    let (related, related_spans) = split(raw.related);
    let (urgent, urgent_spans) = split(raw.urgent);
    let phases = raw
        .phases
        .into_iter()
        .map(|p| {
            let (channels, channel_spans) = split(p.channels);
            let (links, link_spans) = split(p.links);
            Phase {
                id_span: p.id.span(),
                id: p.id.into_inner(),
                channels,
                channel_spans,
                link_spans,
                links,
            }
        })
        .collect();
    let path = ServicePath {
        id,
        dir: dir.to_path_buf(),
        topic: raw.topic.into_inner(),
        audiences,
        owner,
        last_reviewed,
        next_review,
        emergency: raw.emergency,
        draft: raw.draft,
        related,
        urgent,
        phases,
        texts,
        source_lang: languages[0],
        next_review_span: raw.next_review.as_ref().map(Spanned::span),
        sources: PathSources {
            toml: toml.clone(),
            texts: sources,
        },
    };
    (
        Some(PendingPath {
            path: Arc::new(path),
            toml,
            spans: RefSpans {
                topic: topic_span,
                audiences: audience_spans,
                related: related_spans,
                urgent: urgent_spans,
            },
            prose: prose_files,
        }),
        diags,
    )
}

/// Slugs of pages that are not paths, per language: a path may not take them.
/// Addresses no path may take in any language. The sections' own
/// addresses (`haku`, `sok`, …) come from the theme and are checked with it
/// (`render::section_slug_clashes`).
const RESERVED_SLUGS: [&str; 2] = ["search", "404"];

pub(super) fn check_path_slugs(
    paths: &[&PendingPath],
    languages: &[Lang],
    diags: &mut Vec<Diagnostic>,
) {
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
            if RESERVED_SLUGS.contains(&text.slug.as_str()) {
                diags.push(
                    file.error(
                        Code::DuplicateSlug,
                        span.clone(),
                        format!("the address `{}` is reserved for another page", text.slug),
                    )
                    .with_hint("give the path another `slug = \"...\"` in the front matter"),
                );
            }
            if let Some((other, other_file)) = seen.get(text.slug.as_str()) {
                diags.push(
                    file.error(Code::DuplicateSlug, span, format!("paths `{other}` and `{}` get the same address `{}`", p.path.id, text.slug))
                        .with_hint(format!("give one of them its own `slug = \"...\"` in the front matter (the other is {})", other_file.path.display())),
                );
            } else {
                seen.insert(&text.slug, (&p.path.id, file));
            }
        }
    }
}

/// `owner` as a per-language text: a plain string is in the source language
/// (and marked so where another language's page shows it).
fn owner_text(
    file: &SourceFile,
    raw: Option<&toml::Value>,
    source: Lang,
    diags: &mut Vec<Diagnostic>,
) -> Text {
    let Some(raw) = raw else {
        return Text::default();
    };
    match raw {
        toml::Value::String(s) => {
            let mut text = Text::default();
            text.set(source, s.clone());
            text
        }
        value => match Text::deserialize(value.clone()) {
            Ok(text) => text,
            Err(e) => {
                diags.push(
                    file.error(Code::InvalidValue, TomlKeys::parse(file).span(&["owner"]), format!("`owner` cannot be read: {}", e.message()))
                        .with_hint("write `owner = \"unit, role\"`, or per language `owner.fi = \"...\"` and `owner.sv = \"...\"`"),
                );
                Text::default()
            }
        },
    }
}
