//! `topics.toml`: the topics that group paths, and the target groups.

use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTopics {
    #[serde(default)]
    topic: Vec<RawTopic>,
    #[serde(default)]
    audience: Vec<RawTopic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTopic {
    id: Spanned<String>,
    name: Text,
    #[serde(default)]
    description: Text,
    #[serde(default)]
    icon: Option<String>,
}

pub(super) fn load_topics(
    path: &Path,
    lang: Lang,
    source: &mut Option<SourceFile>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Vec<Topic>, Vec<Audience>)> {
    let (file, raw) = read_toml::<RawTopics>(path, true, diags)?;
    *source = Some(file.clone());
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
            id_span: t.id.span(),
            id: t.id.into_inner(),
            name: t.name,
            description: t.description,
            icon: t.icon,
        })
        .collect();
    let audiences = raw
        .audience
        .into_iter()
        .map(|t| Audience {
            id_span: t.id.span(),
            id: t.id.into_inner(),
            name: t.name,
        })
        .collect();
    Some((topics, audiences))
}

// ---------------------------------------------------------------- channels
