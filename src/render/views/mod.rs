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

mod channels;
mod home;
mod path;
mod sitemap;
mod statement;

use channels::*;
use path::*;

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
    emergency: Vec<EmergencyView>,
}

/// An emergency number of the site-wide strip.
#[derive(Serialize)]
struct EmergencyView {
    label: Txt,
    number: String,
    tel: String,
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

    /// A path-level text (title, summary) in `text_lang`, marked when that
    /// is not the page's language.
    fn path_txt(&self, text: &str, text_lang: Lang, lang: Lang) -> Txt {
        if text_lang != lang {
            FELL_BACK.with(|f| f.set(true));
        }
        Txt {
            text: text.to_string(),
            lang: (text_lang != lang).then(|| text_lang.code().to_string()),
        }
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
            emergency: c
                .emergency
                .iter()
                .map(|e| EmergencyView {
                    label: self.txt(&e.label, lang),
                    number: e.number.clone(),
                    tel: tel_href(&e.number),
                })
                .collect(),
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
