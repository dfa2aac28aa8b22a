//! `segments.toml`: the customer segments S1–S4 and their public labels.

use super::*;
use crate::code::Code;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSegments {
    #[serde(default)]
    segment: Vec<RawSegment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSegment {
    id: Spanned<String>,
    name: String,
    label: Text,
    #[serde(default)]
    description: Text,
}

pub(super) fn load_segments(
    path: &Path,
    lang: Lang,
    source: &mut Option<SourceFile>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Segment>> {
    let (file, raw) = read_toml::<RawSegments>(path, true, diags)?;
    *source = Some(file.clone());
    check_duplicates(&file, raw.segment.iter().map(|s| &s.id), "segment", diags);
    if raw.segment.is_empty() {
        diags.push(
            file.error(Code::MissingField, 0..0, "no segments are defined")
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
                        Code::InvalidId,
                        s.id.span(),
                        format!("`{}` is not a segment id", s.id.get_ref()),
                    )
                    .with_hint("segment ids are S1, S2, S3 and S4"),
                );
            }
            require_text(&file, &s.label, s.id.span(), lang, "segment label", diags);
            Segment {
                id_span: s.id.span(),
                id: s.id.into_inner(),
                name: s.name,
                label: s.label,
                description: s.description,
            }
        })
        .collect();
    Some(segments)
}
