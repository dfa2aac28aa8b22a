//! Channel cards (on path pages), the channel pages and the channel index.

use super::*;

#[derive(Serialize)]
pub(super) struct ChannelView {
    pub(super) id: String,
    pub(super) kind: &'static str,
    pub(super) kind_label: String,
    pub(super) name: Txt,
    pub(super) description: Option<Txt>,
    pub(super) href: String,
    pub(super) phone: Option<String>,
    pub(super) tel: Option<String>,
    pub(super) email: Option<String>,
    pub(super) url: Option<Txt>,
    pub(super) address: Option<Txt>,
    pub(super) hours: Vec<String>,
    pub(super) hours_note: Option<Txt>,
    pub(super) strong_auth: bool,
    pub(super) anonymous: bool,
    pub(super) response: Option<String>,
    pub(super) languages: Vec<String>,
    pub(super) accessibility: Option<Txt>,
}

impl Views<'_> {
    pub(super) fn format_hours(&self, h: &OpeningHours, lang: Lang) -> String {
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

    pub(super) fn channel_view(&self, c: &Channel, lang: Lang) -> ChannelView {
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

    pub(super) fn channel_page(&self, i: usize, lang: Lang) -> Value {
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

    pub(super) fn channels_page(&self, lang: Lang) -> Value {
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
}
