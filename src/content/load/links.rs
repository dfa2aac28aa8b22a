//! `links.toml`: the curated links, defined once and referenced by id.

use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLinks {
    #[serde(default)]
    link: Vec<RawLink>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLink {
    id: Spanned<String>,
    kind: LinkKind,
    title: SpannedText,
    url: SpannedText,
    #[serde(default)]
    publisher: Text,
}

pub(super) fn load_links(
    path: &Path,
    lang: Lang,
    source: &mut Option<SourceFile>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Link>> {
    let (file, raw) = read_toml::<RawLinks>(path, true, diags)?;
    *source = Some(file.clone());
    check_duplicates(&file, raw.link.iter().map(|l| &l.id), "link", diags);
    let links = raw
        .link
        .into_iter()
        .map(|l| {
            check_id(&file, &l.id, "link", diags);
            require_text(&file, &l.title.text, l.id.span(), lang, "link title", diags);
            require_text(&file, &l.url.text, l.id.span(), lang, "link url", diags);
            check_text_urls(&file, &l.url, diags);
            Link {
                id_span: l.id.span(),
                id: l.id.into_inner(),
                kind: l.kind,
                title: l.title.text,
                title_spans: l.title.spans,
                url: l.url.text,
                url_spans: l.url.spans,
                publisher: l.publisher,
            }
        })
        .collect();
    Some(links)
}

// ---------------------------------------------------------------- paths
