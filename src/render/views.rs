//! What each template sees: the content resolved for one language, with
//! URLs, formatted hours and dates, and rendered Markdown.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use minijinja::value::ViaDeserialize;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};
use time::Date;

use super::markdown::{to_html, to_plain_text, LinkResolver};
use super::{section_slug, Job, PageInfo, Section, Translations};
use crate::content::{Channel, Lang, LinkKind, OpeningHours, Path, Site, Text};

/// A text resolved for a page's language; `lang` is set when the text is in
/// another language (a missing translation), so templates can mark it.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Txt {
    /// The text.
    pub text: String,
    /// Language code when it differs from the page's.
    pub lang: Option<String>,
}

/// Template filter: ` lang="xx"` when a [`Txt`] is in another language.
pub fn langattr(value: ViaDeserialize<Txt>) -> Value {
    match &value.0.lang {
        Some(l) => Value::from_safe_string(format!(" lang=\"{l}\"")),
        None => Value::from_safe_string(String::new()),
    }
}

/// Formats a date the Finnish and Finland-Swedish way: 31.5.2027.
pub fn format_date(date: Date) -> String {
    format!("{}.{}.{}", date.day(), u8::from(date.month()), date.year())
}

fn format_time(hhmm: &str) -> String {
    let (h, m) = hhmm.split_once(':').unwrap_or((hhmm, "00"));
    format!(
        "{}.{}",
        h.trim_start_matches('0').to_string().max("0".into()),
        m
    )
}

/// Digits and a leading plus, for `tel:` links.
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

/// Identifies a page independently of language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PageKey {
    Home,
    Path(usize),
    Channels,
    Channel(usize),
    Accessibility,
}

#[derive(Serialize)]
struct Alternate {
    lang: &'static str,
    href: String,
    abs: String,
    name: String,
    current: bool,
}

#[derive(Serialize)]
struct SiteView {
    name: Txt,
    description: Txt,
    organisation: Txt,
    organisation_url: Option<String>,
    feedback_url: Option<String>,
    feedback_email: Option<String>,
    feedback_days: u32,
    contact_phone: Option<String>,
    contact_tel: Option<String>,
    contact_email: Option<String>,
    home_href: String,
    channels_href: String,
    statement_href: String,
    static_href: String,
}

#[derive(Serialize)]
struct ChannelView {
    id: String,
    kind: &'static str,
    kind_label: String,
    name: Txt,
    description: Option<Txt>,
    href: String,
    phone: Option<String>,
    tel: Option<String>,
    email: Option<String>,
    url: Option<Txt>,
    address: Option<Txt>,
    hours: Vec<String>,
    hours_note: Option<Txt>,
    strong_auth: bool,
    anonymous: bool,
    response: Option<String>,
    languages: Vec<String>,
    accessibility: Option<Txt>,
}

#[derive(Serialize)]
struct LinkView {
    title: Txt,
    href: String,
    hreflang: Option<String>,
    publisher: Option<Txt>,
}

#[derive(Serialize)]
struct LinkGroup {
    kind: &'static str,
    heading: String,
    links: Vec<LinkView>,
}

#[derive(Serialize)]
struct GuidanceView {
    segment: String,
    label: Txt,
    description: Option<Txt>,
    html: String,
}

#[derive(Serialize)]
struct PhaseView {
    number: usize,
    id: String,
    title: String,
    body_html: String,
    instructions: Option<(String, String)>,
    channels: Vec<ChannelView>,
    link_groups: Vec<LinkGroup>,
    guidance: Vec<GuidanceView>,
}

#[derive(Serialize)]
struct PathSummary {
    title: String,
    summary: String,
    href: String,
}

#[derive(Serialize)]
struct TopicView {
    id: String,
    name: Txt,
    description: Option<Txt>,
    paths: Vec<PathSummary>,
}

thread_local! {
    /// Set when a text of the page being built on this thread fell back to
    /// another language. A page's context is built on one thread, start to end.
    static FELL_BACK: Cell<bool> = const { Cell::new(false) };
}

/// What a job renders with: a ready context, or a page whose context the
/// rendering thread builds (so that contexts are built in parallel too).
pub(super) enum JobContext {
    Ready(Value),
    Page(PageKey, Lang),
}

/// Which pages to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole site, with sitemap, robots.txt and static files.
    All,
    /// Only the pages that show these paths: their own pages and, when
    /// `listings` is set, the home pages, the paths that list them as
    /// related, and the pages of the given channels (those the paths use,
    /// before and after the change).
    Paths {
        /// Ids of the changed paths.
        paths: BTreeSet<String>,
        /// Ids of the channels whose pages list them.
        channels: BTreeSet<String>,
        /// Whether anything other pages show of the paths changed.
        listings: bool,
    },
}

/// Builds page contexts and URLs for one site.
pub(super) struct Views<'a> {
    site: &'a Site,
    preview: bool,
    t: &'a Translations,
    base_url: String,
    prefix: String,
    /// Path ids to their index in `site.paths`.
    path_index: BTreeMap<&'a str, usize>,
    channel_index: BTreeMap<&'a str, usize>,
}

struct Resolver<'v, 'a> {
    views: &'v Views<'a>,
    lang: Lang,
}

impl LinkResolver for Resolver<'_, '_> {
    fn path_url(&self, id: &str) -> Option<String> {
        let i = *self.views.path_index.get(id)?;
        Some(self.views.href(PageKey::Path(i), self.lang))
    }
    fn channel_url(&self, id: &str) -> Option<String> {
        let i = *self.views.channel_index.get(id)?;
        Some(self.views.href(PageKey::Channel(i), self.lang))
    }
}

impl<'a> Views<'a> {
    fn txt(&self, text: &Text, lang: Lang) -> Txt {
        match text.resolve(lang) {
            Some((t, l)) => {
                if l != lang {
                    FELL_BACK.with(|f| f.set(true));
                }
                Txt {
                    text: t.to_string(),
                    lang: (l != lang).then(|| l.code().to_string()),
                }
            }
            None => Txt::default(),
        }
    }

    fn opt_txt(&self, text: &Text, lang: Lang) -> Option<Txt> {
        text.resolve(lang).is_some().then(|| self.txt(text, lang))
    }

    pub(super) fn new(site: &'a Site, t: &'a Translations, base_url: &str, preview: bool) -> Self {
        let prefix = url::Url::parse(base_url)
            .map(|u| u.path().to_string())
            .unwrap_or_else(|_| "/".into());
        Views {
            site,
            preview,
            t,
            base_url: base_url.to_string(),
            prefix,
            path_index: site
                .paths
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.as_str(), i))
                .collect(),
            channel_index: site
                .channels
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.as_str(), i))
                .collect(),
        }
    }

    fn langs(&self) -> &[Lang] {
        &self.site.config.languages
    }

    /// URL path below the site root, e.g. `fi/palvelukanavat/chat/`.
    fn rel(&self, key: PageKey, lang: Lang) -> String {
        let l = lang.code();
        match key {
            PageKey::Home => format!("{l}/"),
            PageKey::Path(i) => format!("{l}/{}/", self.site.paths[i].text(lang).0.slug),
            PageKey::Channels => format!("{l}/{}/", section_slug(lang, Section::Channels)),
            PageKey::Channel(i) => format!(
                "{l}/{}/{}/",
                section_slug(lang, Section::Channels),
                self.site.channels[i].slug[&lang]
            ),
            PageKey::Accessibility => {
                format!("{l}/{}/", section_slug(lang, Section::Accessibility))
            }
        }
    }

    fn href(&self, key: PageKey, lang: Lang) -> String {
        format!("{}{}", self.prefix, self.rel(key, lang))
    }

    fn abs(&self, rel: &str) -> String {
        format!("{}{}", self.base_url, rel)
    }

    fn lang_name(&self, lang: Lang) -> String {
        self.t.get(lang, "meta.language_name")
    }

    fn alternates(&self, key: Option<PageKey>, lang: Lang) -> Vec<Alternate> {
        self.langs()
            .iter()
            .map(|&l| {
                let rel = key
                    .map(|k| self.rel(k, l))
                    .unwrap_or_else(|| format!("{}/404.html", l.code()));
                Alternate {
                    lang: l.code(),
                    href: format!("{}{}", self.prefix, rel),
                    abs: self.abs(&rel),
                    name: self.lang_name(l),
                    current: l == lang,
                }
            })
            .collect()
    }

    fn site_view(&self, lang: Lang) -> SiteView {
        let c = &self.site.config;
        SiteView {
            name: self.txt(&c.name, lang),
            description: self.txt(&c.description, lang),
            organisation: self.txt(&c.organisation.name, lang),
            organisation_url: c.organisation.url.resolve(lang).map(|(u, _)| u.to_string()),
            feedback_url: c.feedback.url.resolve(lang).map(|(u, _)| u.to_string()),
            feedback_email: c.feedback.email.clone(),
            feedback_days: c.feedback.response_days,
            contact_phone: c.contact.phone.clone(),
            contact_tel: c.contact.phone.as_deref().map(tel_href),
            contact_email: c.contact.email.clone(),
            home_href: self.href(PageKey::Home, lang),
            channels_href: self.href(PageKey::Channels, lang),
            statement_href: self.href(PageKey::Accessibility, lang),
            static_href: format!("{}static/", self.prefix),
        }
    }

    /// The context every page shares.
    fn base_ctx(&self, key: Option<PageKey>, lang: Lang, title: &str, description: &str) -> Value {
        let rel = key.map(|k| self.rel(k, lang));
        context! {
            lang => lang.code(),
            t => self.t.table(lang),
            preview => self.preview,
            site => self.site_view(lang),
            page => context! {
                title => title,
                description => description,
                canonical => rel.as_deref().map(|r| self.abs(r)),
                alternates => self.alternates(key, lang),
            },
        }
    }

    fn page(
        &self,
        key: PageKey,
        lang: Lang,
        title: &str,
        description: &str,
        extra: Value,
    ) -> Value {
        let draft = matches!(key, PageKey::Path(i) if self.site.paths[i].draft);
        let preview = context! {
            draft => self.preview && draft,
            missing_translations => self.preview && FELL_BACK.with(Cell::get),
        };
        let marks = context! { preview_page => preview };
        context! { ..marks, ..extra, ..self.base_ctx(Some(key), lang, title, description) }
    }

    fn format_hours(&self, h: &OpeningHours, lang: Lang) -> String {
        let days = if h.from == h.to {
            self.t.get(lang, &format!("days.{}", h.from.key()))
        } else {
            format!(
                "{}–{}",
                self.t.get(lang, &format!("days.{}", h.from.key())),
                self.t.get(lang, &format!("days.{}", h.to.key()))
            )
        };
        let range = if h.opens == "00:00" && h.closes == "24:00" {
            self.t.get(lang, "channel.around_the_clock")
        } else {
            format!(
                "{} {}–{}",
                self.t.get(lang, "channel.time_prefix"),
                format_time(&h.opens),
                format_time(&h.closes)
            )
        };
        format!("{days} {range}")
    }

    fn channel_view(&self, c: &Channel, lang: Lang) -> ChannelView {
        let i = self.channel_index[c.id.as_str()];
        ChannelView {
            id: c.id.clone(),
            kind: c.kind.key(),
            kind_label: self.t.get(lang, &format!("channel_kind.{}", c.kind.key())),
            name: self.txt(&c.name, lang),
            description: self.opt_txt(&c.description, lang),
            href: self.href(PageKey::Channel(i), lang),
            phone: c.phone.clone(),
            tel: c.phone.as_deref().map(tel_href),
            email: c.email.clone(),
            url: self.opt_txt(&c.url, lang),
            address: self.opt_txt(&c.address, lang),
            hours: c.hours.iter().map(|h| self.format_hours(h, lang)).collect(),
            hours_note: self.opt_txt(&c.hours_note, lang),
            strong_auth: c.strong_auth,
            anonymous: c.anonymous,
            response: c.response_time.map(|r| {
                let form = if r.amount == 1 { "one" } else { "other" };
                self.t
                    .get(lang, &format!("response.{}_{form}", r.unit.key()))
                    .replace("{n}", &r.amount.to_string())
            }),
            languages: c
                .languages
                .iter()
                .map(|code| {
                    let name = self.t.get(lang, &format!("language_names.{code}"));
                    if name.starts_with("language_names.") {
                        code.clone()
                    } else {
                        name
                    }
                })
                .collect(),
            accessibility: self.opt_txt(&c.accessibility, lang),
        }
    }

    fn path_summary(&self, i: usize, lang: Lang) -> PathSummary {
        let (text, _) = self.site.paths[i].text(lang);
        PathSummary {
            title: text.title.clone(),
            summary: text.summary.clone(),
            href: self.href(PageKey::Path(i), lang),
        }
    }

    fn path_page(&self, i: usize, lang: Lang) -> Value {
        let path: &Path = &self.site.paths[i];
        let (text, text_lang) = path.text(lang);
        if text_lang != lang {
            FELL_BACK.with(|f| f.set(true));
        }
        let resolver = Resolver { views: self, lang };
        let phases: Vec<PhaseView> = path
            .phases
            .iter()
            .enumerate()
            .map(|(n, phase)| {
                let pt = &text.phases[&phase.id];
                let mut link_groups = Vec::new();
                for kind in LinkKind::ALL {
                    let links: Vec<LinkView> = phase
                        .links
                        .iter()
                        .filter_map(|id| self.site.link(id))
                        .filter(|l| l.kind == kind)
                        .map(|l| {
                            let (href, href_lang) = l
                                .url
                                .resolve(lang)
                                .map(|(u, ul)| (u.to_string(), ul))
                                .unwrap_or((String::new(), lang));
                            LinkView {
                                title: self.txt(&l.title, lang),
                                href,
                                hreflang: (href_lang != lang).then(|| href_lang.code().to_string()),
                                publisher: self.opt_txt(&l.publisher, lang),
                            }
                        })
                        .collect();
                    if !links.is_empty() {
                        link_groups.push(LinkGroup {
                            kind: kind.key(),
                            heading: self.t.get(lang, &format!("link_kind.{}", kind.key())),
                            links,
                        });
                    }
                }
                let guidance = self
                    .site
                    .segments
                    .iter()
                    .filter_map(|s| {
                        pt.guidance.get(&s.id).map(|md| GuidanceView {
                            segment: s.id.to_ascii_lowercase(),
                            label: self.txt(&s.label, lang),
                            description: self.opt_txt(&s.description, lang),
                            html: to_html(md, &resolver),
                        })
                    })
                    .collect();
                PhaseView {
                    number: n + 1,
                    id: phase.id.clone(),
                    title: pt.title.clone(),
                    body_html: to_html(&pt.body, &resolver),
                    instructions: pt
                        .instructions
                        .as_ref()
                        .map(|(h, md)| (h.clone(), to_html(md, &resolver))),
                    channels: phase
                        .channels
                        .iter()
                        .filter_map(|id| self.site.channel(id))
                        .map(|c| self.channel_view(c, lang))
                        .collect(),
                    link_groups,
                    guidance,
                }
            })
            .collect();
        let topic = self.site.topics.iter().find(|t| t.id == path.topic);
        let related: Vec<PathSummary> = path
            .related
            .iter()
            .filter_map(|id| self.path_index.get(id.as_str()))
            .map(|&j| self.path_summary(j, lang))
            .collect();
        let segments: Vec<Value> = self
            .site
            .segments
            .iter()
            .filter(|s| phases.iter().any(|p| p.guidance.iter().any(|g| g.segment == s.id.to_ascii_lowercase())))
            .map(|s| context! { segment => s.id.to_ascii_lowercase(), label => self.txt(&s.label, lang), description => self.opt_txt(&s.description, lang) })
            .collect();
        let audiences: Vec<Txt> = path
            .audiences
            .iter()
            .filter_map(|a| self.site.audiences.iter().find(|x| &x.id == a))
            .map(|a| self.txt(&a.name, lang))
            .collect();
        let description = if text.summary.is_empty() {
            to_plain_text(&text.intro)
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
                    intro_html => to_html(&text.intro, &resolver),
                    topic => topic.map(|t| self.txt(&t.name, lang)),
                    audiences => audiences,
                    owner => path.owner,
                    last_reviewed => path.last_reviewed.map(format_date),
                    emergency => path.emergency,
                    phases => phases,
                    segments => segments,
                    related => related,
                },
            },
        )
    }

    fn home_page(&self, lang: Lang) -> Value {
        let topics: Vec<TopicView> = self
            .site
            .topics
            .iter()
            .map(|t| {
                let mut paths: Vec<PathSummary> = self
                    .site
                    .paths
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.topic == t.id)
                    .map(|(i, _)| self.path_summary(i, lang))
                    .collect();
                paths.sort_by_key(|p| p.title.to_lowercase());
                TopicView {
                    id: t.id.clone(),
                    name: self.txt(&t.name, lang),
                    description: self.opt_txt(&t.description, lang),
                    paths,
                }
            })
            .filter(|t| !t.paths.is_empty())
            .collect();
        let name = self.txt(&self.site.config.name, lang).text;
        let description = self.txt(&self.site.config.description, lang).text;
        self.page(
            PageKey::Home,
            lang,
            &name,
            &description,
            context! { topics => topics },
        )
    }

    fn channel_page(&self, i: usize, lang: Lang) -> Value {
        let c = &self.site.channels[i];
        let used_by: Vec<PathSummary> = {
            let mut v: Vec<PathSummary> = self
                .site
                .paths
                .iter()
                .enumerate()
                .filter(|(_, p)| p.phases.iter().any(|ph| ph.channels.contains(&c.id)))
                .map(|(j, _)| self.path_summary(j, lang))
                .collect();
            v.sort_by_key(|p| p.title.to_lowercase());
            v
        };
        let view = self.channel_view(c, lang);
        let title = view.name.text.clone();
        let description = view
            .description
            .as_ref()
            .map(|d| d.text.clone())
            .unwrap_or_else(|| view.kind_label.clone());
        self.page(
            PageKey::Channel(i),
            lang,
            &title,
            &description,
            context! { channel => view, used_by => used_by },
        )
    }

    fn channels_page(&self, lang: Lang) -> Value {
        let mut channels: Vec<ChannelView> = self
            .site
            .channels
            .iter()
            .map(|c| self.channel_view(c, lang))
            .collect();
        channels.sort_by_key(|c| c.name.text.to_lowercase());
        let title = self.t.get(lang, "channels.title");
        let description = self.t.get(lang, "channels.intro");
        self.page(
            PageKey::Channels,
            lang,
            &title,
            &description,
            context! { channels => channels },
        )
    }

    fn accessibility_page(&self, lang: Lang) -> Value {
        let a = &self.site.config.accessibility;
        let items: Vec<Value> = a
            .non_accessible
            .iter()
            .map(|n| context! { content => self.txt(&n.content, lang), reason => self.txt(&n.reason, lang), criteria => n.criteria })
            .collect();
        let title = self.t.get(lang, "statement.title");
        let description = self.t.get(lang, "statement.description");
        self.page(
            PageKey::Accessibility,
            lang,
            &title,
            &description,
            context! {
                statement => context! {
                    compliance => a.compliance.key(),
                    assessed_on => format_date(a.assessed_on),
                    updated_on => format_date(a.updated_on),
                    method => self.txt(&a.method, lang),
                    non_accessible => items,
                    authority => context! {
                        name => self.txt(&a.authority.name, lang),
                        url => a.authority.url.resolve(lang).map(|(u, _)| u),
                        email => a.authority.email,
                        phone => a.authority.phone,
                        tel => a.authority.phone.as_deref().map(tel_href),
                    },
                },
            },
        )
    }

    /// The pages of a scope, in sitemap order.
    fn keys(&self, scope: &Scope) -> Vec<PageKey> {
        match scope {
            Scope::All => {
                let mut keys = vec![PageKey::Home];
                keys.extend((0..self.site.paths.len()).map(PageKey::Path));
                keys.push(PageKey::Channels);
                keys.extend((0..self.site.channels.len()).map(PageKey::Channel));
                keys.push(PageKey::Accessibility);
                keys
            }
            Scope::Paths {
                paths: ids,
                listings: false,
                ..
            } => self
                .site
                .paths
                .iter()
                .enumerate()
                .filter(|(_, p)| ids.contains(&p.id))
                .map(|(i, _)| PageKey::Path(i))
                .collect(),
            Scope::Paths {
                paths: ids,
                channels,
                listings: true,
            } => {
                let mut keys = vec![PageKey::Home];
                keys.extend(
                    self.site
                        .paths
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| {
                            ids.contains(&p.id) || p.related.iter().any(|r| ids.contains(r))
                        })
                        .map(|(i, _)| PageKey::Path(i)),
                );
                keys.extend(
                    self.site
                        .channels
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| channels.contains(&c.id))
                        .map(|(i, _)| PageKey::Channel(i)),
                );
                keys
            }
        }
    }

    /// The pages to render for a scope, plus their sitemap entries.
    pub(super) fn jobs(&self, scope: &Scope) -> (Vec<Job>, Vec<PageInfo>) {
        let keys = self.keys(scope);
        let mut jobs = Vec::new();
        let mut pages = Vec::new();
        if *scope == Scope::All {
            self.site_wide_jobs(&mut jobs, &mut pages);
        }
        for &key in &keys {
            let alternates: Vec<(Lang, String)> = self
                .langs()
                .iter()
                .map(|&l| (l, self.rel(key, l)))
                .collect();
            for &lang in self.langs() {
                let template = match key {
                    PageKey::Home => "home.html",
                    PageKey::Path(_) => "path.html",
                    PageKey::Channels => "channels.html",
                    PageKey::Channel(_) => "channel.html",
                    PageKey::Accessibility => "accessibility.html",
                };
                let rel = self.rel(key, lang);
                let lastmod = match key {
                    PageKey::Path(i) => self.site.paths[i].last_reviewed.map(|d| d.to_string()),
                    PageKey::Accessibility => {
                        Some(self.site.config.accessibility.updated_on.to_string())
                    }
                    _ => None,
                };
                jobs.push(Job {
                    template,
                    file: format!("{rel}index.html"),
                    ctx: JobContext::Page(key, lang),
                });
                pages.push(PageInfo {
                    url: rel,
                    lang: Some(lang),
                    alternates: alternates.clone(),
                    lastmod,
                });
            }
        }
        (jobs, pages)
    }

    /// Builds the context of a job; called on the rendering threads.
    pub(super) fn context(&self, ctx: JobContext) -> Value {
        match ctx {
            JobContext::Ready(value) => value,
            JobContext::Page(key, lang) => {
                FELL_BACK.with(|f| f.set(false));
                match key {
                    PageKey::Home => self.home_page(lang),
                    PageKey::Path(i) => self.path_page(i, lang),
                    PageKey::Channels => self.channels_page(lang),
                    PageKey::Channel(i) => self.channel_page(i, lang),
                    PageKey::Accessibility => self.accessibility_page(lang),
                }
            }
        }
    }

    /// The landing page and the 404 pages.
    fn site_wide_jobs(&self, jobs: &mut Vec<Job>, pages: &mut Vec<PageInfo>) {
        let landing_alts: Vec<(Lang, String)> = self
            .langs()
            .iter()
            .map(|&l| (l, self.rel(PageKey::Home, l)))
            .collect();
        pages.push(PageInfo {
            url: String::new(),
            lang: None,
            alternates: landing_alts.clone(),
            lastmod: None,
        });
        let landing_langs: Vec<Value> = self
            .langs()
            .iter()
            .map(|&l| {
                context! {
                    lang => l.code(),
                    href => self.href(PageKey::Home, l),
                    name => self.lang_name(l),
                    site_name => self.txt(&self.site.config.name, l),
                    description => self.txt(&self.site.config.description, l),
                    site => self.site_view(l),
                    t => self.t.table(l),
                }
            })
            .collect();
        let default = self.site.config.default_lang();
        jobs.push(Job {
            template: "landing.html",
            file: "index.html".into(),
            ctx: JobContext::Ready(context! {
                languages => landing_langs,
                alternates => self.alternates(Some(PageKey::Home), default),
                canonical => self.abs(""),
                ..self.base_ctx(None, default, &self.txt(&self.site.config.name, default).text, &self.txt(&self.site.config.description, default).text)
            }),
        });
        jobs.push(Job {
            template: "404-root.html",
            file: "404.html".into(),
            ctx: JobContext::Ready(
                context! { languages => landing_langs, ..self.base_ctx(None, default, "404", "") },
            ),
        });

        for &lang in self.langs() {
            let title = self.t.get(lang, "not_found.title");
            jobs.push(Job {
                template: "404.html",
                file: format!("{}/404.html", lang.code()),
                ctx: JobContext::Ready(self.base_ctx(None, lang, &title, "")),
            });
        }
    }

    /// `sitemap.xml` with `hreflang` alternates for every page.
    pub(super) fn sitemap(&self, pages: &[PageInfo]) -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for page in pages {
            out.push_str("  <url>\n");
            out.push_str(&format!(
                "    <loc>{}</loc>\n",
                xml_escape(&self.abs(&page.url))
            ));
            if let Some(lastmod) = &page.lastmod {
                out.push_str(&format!("    <lastmod>{lastmod}</lastmod>\n"));
            }
            if page.lang.is_some() {
                for (lang, url) in &page.alternates {
                    out.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                        lang.code(),
                        xml_escape(&self.abs(url))
                    ));
                }
            }
            out.push_str("  </url>\n");
        }
        out.push_str("</urlset>\n");
        out
    }

    /// `robots.txt` pointing at the sitemap.
    pub(super) fn robots(&self) -> String {
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
            self.base_url
        )
    }
}

/// Escapes text for HTML and XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_phones_format_for_reading() {
        assert_eq!(format_time("08:00"), "8.00");
        assert_eq!(format_time("16:30"), "16.30");
        assert_eq!(format_time("00:00"), "0.00");
        assert_eq!(tel_href("+358 9 123 4567"), "tel:+35891234567");
        assert_eq!(tel_href("116 117"), "tel:116117");
    }

    #[test]
    fn dates_use_finnish_format() {
        let d = Date::from_calendar_date(2027, time::Month::March, 5).unwrap();
        assert_eq!(format_date(d), "5.3.2027");
    }
}
