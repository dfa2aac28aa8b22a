//! Cross-file references: every id a path names must be defined.

use super::*;
use crate::code::Code;

/// Known ids per kind; `None` when their file could not be read.
pub(super) struct Index<'a> {
    pub(super) segments: Option<Vec<&'a str>>,
    pub(super) topics: Option<Vec<&'a str>>,
    pub(super) audiences: Option<Vec<&'a str>>,
    pub(super) channels: Option<Vec<&'a str>>,
    pub(super) links: Option<Vec<&'a str>>,
    /// Path ids, hashed: a site can have thousands.
    pub(super) paths: HashSet<&'a str>,
    /// The phase ids of each path, for `path:ID#phase` and `#phase` links.
    pub(super) phases: HashMap<&'a str, Vec<&'a str>>,
}

impl Index<'_> {
    /// The path ids in order, for "did you mean" (only when one is unknown).
    fn path_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.paths.iter().copied().collect();
        ids.sort_unstable();
        ids
    }
}

/// A link's fragment that names no phase of the path it points into.
fn unknown_phase_diag(
    file: &SourceFile,
    span: Range<usize>,
    fragment: &str,
    path: &str,
    known: &[&str],
) -> Diagnostic {
    file.error(
        Code::UnknownReference,
        span,
        format!("`#{fragment}` is not a phase of path `{path}`"),
    )
    .with_hint(format!(
        "link to a phase by its id, e.g. `path:{path}#{}`{}",
        known.first().copied().unwrap_or("phase-id"),
        suggest(fragment, known.iter().copied())
    ))
}

/// True when `id` is unknown in a list that could be read.
pub(super) fn missing(known: &Option<Vec<&str>>, id: &str) -> bool {
    known.as_ref().is_some_and(|k| !k.contains(&id))
}

/// ", did you mean `x`?" for the closest known id, or nothing.
pub(super) fn suggest<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> String {
    known
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!("; did you mean `{k}`?"))
        .unwrap_or_default()
}

pub(super) fn reference_diag(
    file: &SourceFile,
    span: Range<usize>,
    what: &str,
    id: &str,
    defined_in: &str,
    known: &[&str],
) -> Diagnostic {
    file.error(
        Code::UnknownReference,
        span,
        format!("unknown {what} `{id}`"),
    )
    .with_hint(format!(
        "define it in {defined_in} or correct the id{}",
        suggest(id, known.iter().copied())
    ))
}

/// The error of a channel id (in a phase, `urgent` or a `channel:` link)
/// that channels.toml does not define, if it does not.
fn unknown_channel(
    file: &SourceFile,
    span: &Range<usize>,
    id: &str,
    index: &Index,
) -> Option<Diagnostic> {
    missing(&index.channels, id).then(|| {
        reference_diag(
            file,
            span.clone(),
            "channel",
            id,
            "channels.toml",
            index.channels.as_deref().unwrap_or_default(),
        )
    })
}

pub(super) fn check_references(p: &PendingPath, index: &Index, diags: &mut Vec<Diagnostic>) {
    let f = &p.toml;
    let (path, spans) = (&p.path, &p.spans);
    if missing(&index.topics, &path.topic) {
        diags.push(reference_diag(
            f,
            spans.topic.clone(),
            "topic",
            &path.topic,
            "topics.toml as [[topic]]",
            index.topics.as_deref().unwrap_or_default(),
        ));
    }
    for (a, span) in path.audiences.iter().zip(&spans.audiences) {
        if missing(&index.audiences, a) {
            diags.push(reference_diag(
                f,
                span.clone(),
                "target group",
                a,
                "topics.toml as [[audience]]",
                index.audiences.as_deref().unwrap_or_default(),
            ));
        }
    }
    for (r, span) in path.related.iter().zip(&spans.related) {
        if !index.paths.contains(r.as_str()) {
            diags.push(reference_diag(
                f,
                span.clone(),
                "path",
                r,
                "paths/ as a folder",
                &index.path_ids(),
            ));
        }
    }
    for (n, (c, span)) in path.urgent.iter().zip(&spans.urgent).enumerate() {
        if path.urgent[..n].contains(c) {
            diags.push(
                f.error(
                    Code::DuplicateId,
                    span.clone(),
                    format!("`{c}` is listed twice in `urgent`"),
                )
                .with_hint("list each urgent contact once"),
            );
        }
        diags.extend(unknown_channel(f, span, c, index));
    }
    for phase in &path.phases {
        for (c, span) in phase.channels.iter().zip(&phase.channel_spans) {
            diags.extend(unknown_channel(f, span, c, index));
        }
        for (l, span) in phase.links.iter().zip(&phase.link_spans) {
            if missing(&index.links, l) {
                diags.push(reference_diag(
                    f,
                    span.clone(),
                    "link",
                    l,
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
            // `#phase` on the same page, `path:ID#phase` on another.
            let (target_path, fragment) = match dest.split_once('#') {
                Some(("", frag)) => (Some(p.path.id.as_str()), Some(frag)),
                Some((before, frag)) => (before.strip_prefix("path:"), Some(frag)),
                None => (None, None),
            };
            if let (Some(path_id), Some(fragment)) = (target_path, fragment) {
                if let Some(known) = index.phases.get(path_id) {
                    if !known.contains(&fragment) {
                        diags.push(unknown_phase_diag(
                            file,
                            span.clone(),
                            fragment,
                            path_id,
                            known,
                        ));
                    }
                }
            }
            let dest = dest.split('#').next().unwrap_or("");
            if let Some(target) = dest.strip_prefix("path:") {
                if !index.paths.contains(target) {
                    diags.push(reference_diag(
                        file,
                        span.clone(),
                        "path",
                        target,
                        "paths/ as a folder",
                        &index.path_ids(),
                    ));
                }
            } else if let Some(target) = dest.strip_prefix("channel:") {
                diags.extend(unknown_channel(file, span, target, index));
            }
        }
    }
}
