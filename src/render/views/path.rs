//! A path page: phases with their texts, channels, links and guidance.

use super::*;

#[derive(Serialize)]
pub(super) struct LinkView {
    pub(super) title: Txt,
    pub(super) href: String,
    pub(super) hreflang: Option<String>,
    publisher: Option<Txt>,
}

#[derive(Serialize)]
pub(super) struct LinkGroup {
    pub(super) kind: &'static str,
    pub(super) heading: String,
    pub(super) links: Vec<Value>,
}

#[derive(Serialize)]
pub(super) struct GuidanceView {
    /// The segment's `segment`, `label` and `description`, shared.
    pub(super) segment: Value,
    pub(super) label: Value,
    pub(super) description: Value,
    pub(super) html: String,
}

/// A customer segment as templates see it.
#[derive(Serialize)]
struct SegmentView {
    /// The id in lower case (`s1`), for `data-segment` and element ids.
    segment: String,
    label: Txt,
    description: Option<Txt>,
}

#[derive(Serialize)]
pub(super) struct PhaseView {
    pub(super) number: usize,
    pub(super) id: String,
    pub(super) title: String,
    pub(super) body_html: String,
    pub(super) instructions: Option<(String, String)>,
    pub(super) channels: Vec<Value>,
    pub(super) link_groups: Vec<LinkGroup>,
    pub(super) guidance: Vec<GuidanceView>,
}

#[derive(Serialize)]
pub(super) struct PathSummary {
    pub(super) title: Txt,
    pub(super) summary: Txt,
    pub(super) href: String,
    /// "(in Finnish)" in the page's language, when the path has no text
    /// in the page's language.
    pub(super) lang_note: Option<String>,
}

impl Views<'_> {
    /// Segment `k` as templates see it in `lang`, made once per build.
    fn segment_value(&self, k: usize, lang: Lang) -> Value {
        shared(&self.per_lang[&lang].segments[k], || {
            let s = &self.site.segments[k];
            Value::from_serialize(SegmentView {
                segment: s.id.to_ascii_lowercase(),
                label: self.txt(&s.label, lang),
                description: self.opt_txt(&s.description, lang),
            })
        })
    }

    /// Link `j` as templates see it in `lang`, made once per build.
    fn link_value(&self, j: usize, lang: Lang) -> Value {
        shared(&self.per_lang[&lang].links[j], || {
            let l = &self.site.links[j];
            let (href, href_lang) = l
                .url
                .resolve(lang, self.source())
                .map(|(u, ul)| (u.to_string(), ul))
                .unwrap_or((String::new(), lang));
            Value::from_serialize(LinkView {
                title: self.txt(&l.title, lang),
                href,
                hreflang: (href_lang != lang).then(|| href_lang.code().to_string()),
                publisher: self.opt_txt(&l.publisher, lang),
            })
        })
    }

    /// The title of path `i` as pages of `lang` show it (in the language
    /// it falls back to, when it has no text in `lang`).
    pub(super) fn path_title(&self, i: usize, lang: Lang) -> &str {
        &self.site.paths[i].text(lang).0.title
    }

    /// Path `i` as the listings of `lang` show it, made once per build and
    /// shared by the home page, the channel pages and related paths.
    pub(super) fn path_summary_value(&self, i: usize, lang: Lang) -> Value {
        shared(&self.per_lang[&lang].path_summaries[i], || {
            Value::from_serialize(self.path_summary(i, lang))
        })
    }

    pub(super) fn path_summary(&self, i: usize, lang: Lang) -> PathSummary {
        let (text, text_lang) = self.site.paths[i].text(lang);
        PathSummary {
            title: self.path_txt(&text.title, text_lang, lang),
            summary: self.path_txt(&text.summary, text_lang, lang),
            href: self.href(PageKey::Path(i), lang),
            lang_note: (text_lang != lang).then(|| {
                self.t
                    .get(lang, &format!("fallback.in_{}", text_lang.code()))
            }),
        }
    }

    /// The Markdown of path `i` in `lang`, rendered once for its page, its
    /// open data and its search entry.
    pub(crate) fn path_prose(&self, i: usize, lang: Lang) -> PathProse {
        let resolver = Resolver {
            views: self,
            lang,
            absolute: false,
        };
        PathProse::of(self.site, &self.site.paths[i], lang, |md| {
            to_prose(md, &resolver)
        })
    }

    pub(super) fn path_page(&self, i: usize, lang: Lang, prose: &PathProse) -> Value {
        let path: &crate::content::ServicePath = &self.site.paths[i];
        let (text, text_lang) = path.text(lang);
        if text_lang != lang {
            FELL_BACK.with(|f| f.set(true));
        }
        let phases: Vec<PhaseView> = path
            .phases
            .iter()
            .enumerate()
            .map(|(n, phase)| {
                let pt = &text.phases[&phase.id];
                let rendered = prose.phases[n].as_ref();
                let mut link_groups = Vec::new();
                for (k, kind) in LinkKind::ALL.into_iter().enumerate() {
                    let links: Vec<Value> = phase
                        .links
                        .iter()
                        .filter_map(|id| self.link_index.get(id.as_str()))
                        .filter(|&&j| self.site.links[j].kind == kind)
                        .map(|&j| self.link_value(j, lang))
                        .collect();
                    if !links.is_empty() {
                        link_groups.push(LinkGroup {
                            kind: kind.key(),
                            heading: self.per_lang[&lang].link_headings[k].clone(),
                            links,
                        });
                    }
                }
                let guidance = (0..self.site.segments.len())
                    .filter_map(|k| {
                        let g = rendered?.guidance[k].as_ref()?;
                        let segment = self.segment_value(k, lang);
                        let field = |name| segment.get_attr(name).unwrap_or_default();
                        Some(GuidanceView {
                            segment: field("segment"),
                            label: field("label"),
                            description: field("description"),
                            html: g.html.clone(),
                        })
                    })
                    .collect();
                PhaseView {
                    number: n + 1,
                    id: phase.id.clone(),
                    title: pt.title.clone(),
                    body_html: rendered.map(|r| r.body.html.clone()).unwrap_or_default(),
                    instructions: rendered
                        .and_then(|r| r.instructions.as_ref())
                        .map(|(h, p)| (h.clone(), p.html.clone())),
                    channels: phase
                        .channels
                        .iter()
                        .filter_map(|id| self.channel_value(id, lang))
                        .collect(),
                    link_groups,
                    guidance,
                }
            })
            .collect();
        let topic = self.site.topics.iter().find(|t| t.id == path.topic);
        let related: Vec<Value> = path
            .related
            .iter()
            .filter_map(|id| self.path_index.get(id.as_str()))
            .map(|&j| self.path_summary_value(j, lang))
            .collect();
        // Contacts to reach at once, in a box above the first phase.
        let urgent: Vec<Value> = path
            .urgent
            .iter()
            .filter_map(|id| self.channel_value(id, lang))
            .collect();
        // The segments some phase has guidance for, in the site's order.
        let segments: Vec<Value> = (0..self.site.segments.len())
            .filter(|&k| {
                prose
                    .phases
                    .iter()
                    .flatten()
                    .any(|p| p.guidance[k].is_some())
            })
            .map(|k| self.segment_value(k, lang))
            .collect();
        let audiences: Vec<Txt> = path
            .audiences
            .iter()
            .filter_map(|a| self.site.audiences.iter().find(|x| &x.id == a))
            .map(|a| self.txt(&a.name, lang))
            .collect();
        let description = if text.summary.is_empty() {
            prose.intro.text.clone()
        } else {
            text.summary.clone()
        };
        self.page(
            PageKey::Path(i),
            lang,
            &text.title,
            &description,
            context! {
                path => context! {
                    content_lang => (text_lang != lang).then(|| text_lang.code()),
                    id => path.id,
                    title => text.title,
                    summary => text.summary,
                    intro_html => prose.intro.html,
                    topic => topic.map(|t| self.txt(&t.name, lang)),
                    audiences => audiences,
                    owner => self.opt_txt(&path.owner, lang),
                    only_in => (text_lang != lang)
                        .then(|| self.t.get(lang, &format!("fallback.page_only_in_{}", text_lang.code()))),
                    last_reviewed => path.last_reviewed.map(format_date),
                    emergency => path.emergency,
                    urgent => urgent,
                    phases => phases,
                    segments => segments,
                    related => related,
                },
            },
        )
    }
}
