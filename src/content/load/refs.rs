//! Cross-file references: every id a path names must be defined.

use super::*;

/// Known ids per kind; `None` when their file could not be read.
pub(super) struct Index<'a> {
    pub(super) segments: Option<Vec<&'a str>>,
    pub(super) topics: Option<Vec<&'a str>>,
    pub(super) audiences: Option<Vec<&'a str>>,
    pub(super) channels: Option<Vec<&'a str>>,
    pub(super) links: Option<Vec<&'a str>>,
    pub(super) paths: Option<Vec<&'a str>>,
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
    file.error("unknown-reference", span, format!("unknown {what} `{id}`"))
        .with_hint(format!(
            "define it in {defined_in} or correct the id{}",
            suggest(id, known.iter().copied())
        ))
}

pub(super) fn check_references(p: &PendingPath, index: &Index, diags: &mut Vec<Diagnostic>) {
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
