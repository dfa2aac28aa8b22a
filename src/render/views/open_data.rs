//! Open data: the published paths as JSON under `api/v1/`, one file per
//! path and language and an index, so that other services (the county's
//! main site, a chatbot, Suomi.fi descriptions) can reuse the same content.
//! The format is described by the JSON Schemas in `docs/open-data/` and in
//! docs/open-data.md; a test validates every written file against them.

use serde_json::value::RawValue;
use serde_json::{json, Value as Json};

use rayon::prelude::*;

use super::*;
use crate::content::OpeningHours;

/// The version in the addresses; a breaking change gets a new one.
pub const API: &str = "api/v1";

impl Views<'_> {
    /// Every channel's data per language, each serialised once and
    /// embedded in every phase that offers it.
    pub(crate) fn open_data_channels(&self) -> BTreeMap<Lang, Vec<Box<RawValue>>> {
        self.langs()
            .iter()
            .map(|&lang| {
                let channels = self
                    .site
                    .channels
                    .iter()
                    .map(|ch| self.channel_json(ch, lang))
                    .collect();
                (lang, channels)
            })
            .collect()
    }

    /// The open-data file of path `i` in `lang`, from the prose its page
    /// was rendered with (links made absolute).
    pub(crate) fn path_open_data(
        &self,
        i: usize,
        lang: Lang,
        channels: &[Box<RawValue>],
        prose: &PathProse,
    ) -> (String, Vec<u8>) {
        let file = format!("{API}/{}/paths/{}.json", lang.code(), self.site.paths[i].id);
        (file, compact(&self.path_json(i, lang, channels, prose)))
    }

    /// `api/v1/index.json`: every path, with its title, summary and
    /// addresses per language.
    pub(crate) fn open_data_index(&self) -> (String, Vec<u8>) {
        // Typed records with their fields in alphabetical order, as the
        // format has always had them; the paths are made in parallel.
        #[derive(Serialize)]
        struct Index<'a> {
            generator: String,
            languages: Vec<&'static str>,
            organisation: String,
            paths: Vec<IndexPath<'a>>,
            site: IndexSite,
            version: u32,
        }
        #[derive(Serialize)]
        struct IndexSite {
            name: BTreeMap<&'static str, String>,
            url: String,
        }
        #[derive(Serialize)]
        struct IndexPath<'a> {
            id: &'a str,
            languages: BTreeMap<&'static str, IndexEntry<'a>>,
            topic: &'a str,
        }
        #[derive(Serialize)]
        struct IndexEntry<'a> {
            data: String,
            page: String,
            summary: &'a str,
            title: &'a str,
        }
        let paths = self
            .site
            .paths
            .par_iter()
            .enumerate()
            .map(|(i, path)| IndexPath {
                id: &path.id,
                languages: self
                    .langs()
                    .iter()
                    .map(|&lang| {
                        let (text, _) = path.text(lang);
                        let file = format!("{API}/{}/paths/{}.json", lang.code(), path.id);
                        let entry = IndexEntry {
                            data: self.abs(&file),
                            page: self.abs(&self.rel(PageKey::Path(i), lang)),
                            summary: &text.summary,
                            title: &text.title,
                        };
                        (lang.code(), entry)
                    })
                    .collect(),
                topic: &path.topic,
            })
            .collect();
        let c = &self.site.config;
        let index = Index {
            generator: format!("polku {}", env!("CARGO_PKG_VERSION")),
            languages: self.langs().iter().map(|l| l.code()).collect(),
            organisation: self.txt(&c.organisation.name, c.default_lang()).text,
            paths,
            site: IndexSite {
                name: self
                    .langs()
                    .iter()
                    .map(|&l| (l.code(), self.txt(&c.name, l).text))
                    .collect(),
                url: self.abs(""),
            },
            version: 1,
        };
        (format!("{API}/index.json"), compact(&index))
    }

    /// A channel's data in one language, serialised once per build and
    /// embedded in every phase that offers the channel.
    fn channel_json(&self, ch: &Channel, lang: Lang) -> Box<RawValue> {
        fn opt(t: &Text, lang: Lang, source: Lang) -> Option<&str> {
            t.resolve(lang, source).map(|(s, _)| s)
        }
        let source = self.source();
        let data = ChannelData {
            address: opt(&ch.address, lang, source),
            anonymous: ch.anonymous,
            description: opt(&ch.description, lang, source),
            email: ch.email.as_deref(),
            hours: ch.hours.iter().map(hours_json).collect(),
            id: &ch.id,
            kind: ch.kind.key(),
            name: opt(&ch.name, lang, source),
            page: self.abs(&self.rel(PageKey::Channel(self.channel_index[ch.id.as_str()]), lang)),
            phone: ch.phone.as_deref(),
            response_time: ch
                .response_time
                .map(|r| json!({ "amount": r.amount, "unit": r.unit.key() })),
            strong_authentication: ch.strong_auth,
            url: opt(&ch.url, lang, source),
        };
        serde_json::value::to_raw_value(&data).unwrap_or_else(|_| RawValue::NULL.to_owned())
    }

    /// The open data of path `i` in `lang`, with the channels' data
    /// (`channels[lang index][channel index]`) made beforehand.
    fn path_json(
        &self,
        i: usize,
        lang: Lang,
        channels: &[Box<RawValue>],
        rendered: &PathProse,
    ) -> PathData<'_> {
        let path = &self.site.paths[i];
        let (text, text_lang) = path.text(lang);
        let opt = |t: &Text| t.resolve(lang, self.source()).map(|(s, _)| s.to_string());
        let prose = |p: &crate::render::markdown::Prose| Prose {
            html: absolutize(&p.html, &self.prefix, &self.base_url),
            text: p.text.clone(),
        };
        let page = self.abs(&self.rel(PageKey::Path(i), lang));
        let phases = path
            .phases
            .iter()
            .enumerate()
            .map(|(n, phase)| {
                let pt = &text.phases[&phase.id];
                let empty = PhaseProse::default();
                let r = rendered.phases[n].as_ref().unwrap_or(&empty);
                let body = prose(&r.body);
                PhaseData {
                    channels: phase
                        .channels
                        .iter()
                        .filter_map(|id| self.channel_index.get(id.as_str()))
                        .map(|&c| channels[c].clone())
                        .collect(),
                    guidance: self
                        .site
                        .segments
                        .iter()
                        .enumerate()
                        .filter_map(|(k, s)| {
                            let prose = prose(r.guidance.get(k)?.as_ref()?);
                            Some(GuidanceData {
                                html: prose.html,
                                label: opt(&s.label),
                                text: prose.text,
                            })
                        })
                        .collect(),
                    html: body.html,
                    id: phase.id.clone(),
                    instructions: r.instructions.as_ref().map(|(heading, p)| {
                        let prose = prose(p);
                        InstructionsData {
                            heading: heading.clone(),
                            html: prose.html,
                            text: prose.text,
                        }
                    }),
                    links: phase
                        .links
                        .iter()
                        .filter_map(|id| self.site.link(id))
                        .map(|l| LinkData {
                            id: l.id.clone(),
                            kind: l.kind.key(),
                            publisher: opt(&l.publisher),
                            title: opt(&l.title),
                            url: opt(&l.url),
                        })
                        .collect(),
                    number: n + 1,
                    page: format!("{page}#{}", phase.id),
                    text: body.text,
                    title: pt.title.clone(),
                }
            })
            .collect();
        let topic = self.site.topics.iter().find(|t| t.id == path.topic);
        PathData {
            audiences: path
                .audiences
                .iter()
                .filter_map(|a| self.site.audiences.iter().find(|x| &x.id == a))
                .map(|a| opt(&a.name))
                .collect(),
            content_lang: text_lang.code(),
            emergency: path.emergency,
            id: &path.id,
            intro: prose(&rendered.intro),
            lang: lang.code(),
            last_reviewed: path.last_reviewed.map(|d| d.to_string()),
            next_review: path.next_review.map(|d| d.to_string()),
            owner: opt(&path.owner),
            page,
            phases,
            related: path
                .related
                .iter()
                .filter_map(|id| self.path_index.get(id.as_str()))
                .map(|&j| RelatedData {
                    id: &self.site.paths[j].id,
                    page: self.abs(&self.rel(PageKey::Path(j), lang)),
                })
                .collect(),
            summary: &text.summary,
            title: &text.title,
            topic: TopicData {
                id: &path.topic,
                name: topic.and_then(|t| opt(&t.name)),
            },
            version: 1,
        }
    }
}

// The file formats, field by field in alphabetical order (as they were
// written when the files were built as JSON values). docs/open-data/ has
// their JSON Schemas.

#[derive(Serialize)]
struct PathData<'a> {
    audiences: Vec<Option<String>>,
    content_lang: &'static str,
    emergency: bool,
    id: &'a str,
    intro: Prose,
    lang: &'static str,
    last_reviewed: Option<String>,
    next_review: Option<String>,
    owner: Option<String>,
    page: String,
    phases: Vec<PhaseData>,
    related: Vec<RelatedData<'a>>,
    summary: &'a str,
    title: &'a str,
    topic: TopicData<'a>,
    version: u32,
}

#[derive(Serialize)]
struct Prose {
    html: String,
    text: String,
}

#[derive(Serialize)]
struct PhaseData {
    channels: Vec<Box<RawValue>>,
    guidance: Vec<GuidanceData>,
    html: String,
    id: String,
    instructions: Option<InstructionsData>,
    links: Vec<LinkData>,
    number: usize,
    page: String,
    text: String,
    title: String,
}

#[derive(Serialize)]
struct GuidanceData {
    html: String,
    label: Option<String>,
    text: String,
}

#[derive(Serialize)]
struct InstructionsData {
    heading: String,
    html: String,
    text: String,
}

#[derive(Serialize)]
struct LinkData {
    id: String,
    kind: &'static str,
    publisher: Option<String>,
    title: Option<String>,
    url: Option<String>,
}

#[derive(Serialize)]
struct RelatedData<'a> {
    id: &'a str,
    page: String,
}

#[derive(Serialize)]
struct TopicData<'a> {
    id: &'a str,
    name: Option<String>,
}

#[derive(Serialize)]
struct ChannelData<'a> {
    address: Option<&'a str>,
    anonymous: bool,
    description: Option<&'a str>,
    email: Option<&'a str>,
    hours: Vec<Json>,
    id: &'a str,
    kind: &'static str,
    name: Option<&'a str>,
    page: String,
    phone: Option<&'a str>,
    response_time: Option<Json>,
    strong_authentication: bool,
    url: Option<&'a str>,
}

/// Opening hours as data: days as `mon`…`sun`, times as `HH:MM`.
fn hours_json(h: &OpeningHours) -> Json {
    json!({ "from": h.from.key(), "to": h.to.key(), "opens": h.opens, "closes": h.closes })
}

/// Compact JSON: at 1,000 paths pretty-printing made the open data a
/// quarter larger, in memory during the build and on every download.
fn compact(value: &impl Serialize) -> Vec<u8> {
    let mut out = serde_json::to_vec(value).unwrap_or_default();
    out.push(b'\n');
    out
}
