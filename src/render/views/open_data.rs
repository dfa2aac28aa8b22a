//! Open data: the published paths as JSON under `api/v1/`, one file per
//! path and language and an index, so that other services (the county's
//! main site, a chatbot, Suomi.fi descriptions) can reuse the same content.
//! The format is described by the JSON Schemas in `docs/open-data/` and in
//! docs/open-data.md; a test validates every written file against them.

use serde_json::{json, Value as Json};

use super::*;
use crate::render::{Sink, Stop};
use crate::content::OpeningHours;

/// The version in the addresses; a breaking change gets a new one.
pub const API: &str = "api/v1";

impl Views<'_> {
    /// Every file of the open data, into `sink`: the paths' files in
    /// parallel as they are made, then the index.
    pub(crate) fn open_data(&self, sink: &dyn Sink) -> Result<(), Stop> {
        use rayon::prelude::*;
        let index_paths = self
            .site
            .paths
            .par_iter()
            .enumerate()
            .map(|(i, path)| {
                let mut languages = serde_json::Map::new();
                for &lang in self.langs() {
                    let file = format!("{API}/{}/paths/{}.json", lang.code(), path.id);
                    let data = self.path_json(i, lang);
                    languages.insert(
                        lang.code().into(),
                        json!({
                            "title": data["title"],
                            "summary": data["summary"],
                            "page": data["page"],
                            "data": self.abs(&file),
                        }),
                    );
                    sink.put(file, compact(&data))?;
                }
                Ok(json!({ "id": path.id, "topic": path.topic, "languages": languages }))
            })
            .collect::<Result<Vec<Json>, Stop>>()?;
        let c = &self.site.config;
        let names: serde_json::Map<String, Json> = self
            .langs()
            .iter()
            .map(|&l| (l.code().to_string(), Json::from(self.txt(&c.name, l).text)))
            .collect();
        let index = json!({
            "version": 1,
            "generator": format!("polku {}", env!("CARGO_PKG_VERSION")),
            "site": { "name": names, "url": self.abs("") },
            "organisation": self.txt(&c.organisation.name, c.default_lang()).text,
            "languages": self.langs().iter().map(|l| l.code()).collect::<Vec<_>>(),
            "paths": index_paths,
        });
        sink.put(format!("{API}/index.json"), compact(&index))
    }

    fn path_json(&self, i: usize, lang: Lang) -> Json {
        let path = &self.site.paths[i];
        let (text, text_lang) = path.text(lang);
        let resolver = Resolver {
            views: self,
            lang,
            absolute: true,
        };
        let opt = |t: &Text| t.resolve(lang).map(|(s, _)| s.to_string());
        let phases: Vec<Json> = path
            .phases
            .iter()
            .enumerate()
            .map(|(n, phase)| {
                let pt = &text.phases[&phase.id];
                let channels: Vec<Json> = phase
                    .channels
                    .iter()
                    .filter_map(|id| self.site.channel(id))
                    .map(|ch| {
                        json!({
                            "id": ch.id,
                            "kind": ch.kind.key(),
                            "name": opt(&ch.name),
                            "description": opt(&ch.description),
                            "phone": ch.phone,
                            "email": ch.email,
                            "url": opt(&ch.url),
                            "address": opt(&ch.address),
                            "hours": ch.hours.iter().map(hours_json).collect::<Vec<_>>(),
                            "response_time": ch.response_time.map(|r| json!({ "amount": r.amount, "unit": r.unit.key() })),
                            "strong_authentication": ch.strong_auth,
                            "anonymous": ch.anonymous,
                            "page": self.abs(&self.rel(PageKey::Channel(self.channel_index[ch.id.as_str()]), lang)),
                        })
                    })
                    .collect();
                let links: Vec<Json> = phase
                    .links
                    .iter()
                    .filter_map(|id| self.site.link(id))
                    .map(|l| {
                        json!({
                            "id": l.id,
                            "kind": l.kind.key(),
                            "title": opt(&l.title),
                            "url": opt(&l.url),
                            "publisher": opt(&l.publisher),
                        })
                    })
                    .collect();
                let guidance: Vec<Json> = self
                    .site
                    .segments
                    .iter()
                    .filter_map(|s| {
                        let md = pt.guidance.get(&s.id)?;
                        Some(json!({
                            "label": opt(&s.label),
                            "text": to_plain_text(md),
                            "html": to_html(md, &resolver),
                        }))
                    })
                    .collect();
                json!({
                    "id": phase.id,
                    "number": n + 1,
                    "title": pt.title,
                    "text": to_plain_text(&pt.body),
                    "html": to_html(&pt.body, &resolver),
                    "instructions": pt.instructions.as_ref().map(|(heading, md)| json!({
                        "heading": heading,
                        "text": to_plain_text(md),
                        "html": to_html(md, &resolver),
                    })),
                    "channels": channels,
                    "links": links,
                    "guidance": guidance,
                    "page": format!("{}#{}", self.abs(&self.rel(PageKey::Path(i), lang)), phase.id),
                })
            })
            .collect();
        let topic = self.site.topics.iter().find(|t| t.id == path.topic);
        json!({
            "version": 1,
            "id": path.id,
            "lang": lang.code(),
            "content_lang": text_lang.code(),
            "page": self.abs(&self.rel(PageKey::Path(i), lang)),
            "title": text.title,
            "summary": text.summary,
            "intro": { "text": to_plain_text(&text.intro), "html": to_html(&text.intro, &resolver) },
            "topic": { "id": path.topic, "name": topic.and_then(|t| opt(&t.name)) },
            "audiences": path.audiences.iter()
                .filter_map(|a| self.site.audiences.iter().find(|x| &x.id == a))
                .map(|a| opt(&a.name))
                .collect::<Vec<_>>(),
            "owner": opt(&path.owner),
            "last_reviewed": path.last_reviewed.map(|d| d.to_string()),
            "next_review": path.next_review.map(|d| d.to_string()),
            "emergency": path.emergency,
            "phases": phases,
            "related": path.related.iter()
                .filter_map(|id| self.path_index.get(id.as_str()))
                .map(|&j| json!({ "id": self.site.paths[j].id, "page": self.abs(&self.rel(PageKey::Path(j), lang)) }))
                .collect::<Vec<_>>(),
        })
    }
}

/// Opening hours as data: days as `mon`…`sun`, times as `HH:MM`.
fn hours_json(h: &OpeningHours) -> Json {
    json!({ "from": h.from.key(), "to": h.to.key(), "opens": h.opens, "closes": h.closes })
}

/// Compact JSON: at 1,000 paths pretty-printing made the open data a
/// quarter larger, in memory during the build and on every download.
fn compact(value: &Json) -> Vec<u8> {
    let mut out = serde_json::to_vec(value).unwrap_or_default();
    out.push(b'\n');
    out
}
