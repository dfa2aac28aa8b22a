//! Channel cards (on path pages), the channel pages and the channel index.

use super::*;
use crate::content::{ChannelKind, PrimaryAction};

#[derive(Serialize)]
pub(super) struct ChannelView {
    pub(super) id: String,
    pub(super) kind: &'static str,
    pub(super) kind_label: String,
    pub(super) name: Txt,
    pub(super) description: Option<Txt>,
    pub(super) href: String,
    /// The contact action: the loudest element of a card.
    pub(super) action: Option<ActionView>,
    pub(super) phone: Option<String>,
    /// `tel:` or, for text-message services, `sms:`.
    pub(super) phone_href: Option<String>,
    /// What the number is: "Puhelin", or "Tekstiviestinumero" for SMS.
    pub(super) phone_label: String,
    /// The number is already in the action, so the details leave it out.
    pub(super) phone_in_action: bool,
    /// The e-mail address is the action.
    pub(super) email_in_action: bool,
    pub(super) email: Option<String>,
    pub(super) url: Option<Txt>,
    pub(super) address: Option<Txt>,
    pub(super) hours: Vec<String>,
    /// The opening hours for the "open now" line the script adds:
    /// `[[first day, last day, "HH:MM", "HH:MM"], ...]`, Monday = 0.
    pub(super) hours_data: String,
    pub(super) hours_note: Option<Txt>,
    pub(super) strong_auth: bool,
    pub(super) anonymous: bool,
    pub(super) response: Option<String>,
    pub(super) languages: Vec<String>,
    pub(super) accessibility: Option<Txt>,
}

/// What a channel card invites people to do, and how.
#[derive(Serialize)]
pub(super) struct ActionView {
    /// Says what happens: "Soita 010 000 3030", "Avaa chat".
    pub(super) text: String,
    pub(super) href: String,
    /// "Avautuu toisella sivustolla: chat.example.org" for web addresses.
    pub(super) external: Option<String>,
}

/// How a kind of channel is used: by calling, by text message, by e-mail
/// or on the web. Every kind is listed: none falls through to a guess.
#[derive(Clone, Copy, PartialEq)]
enum Reach {
    Call,
    TextMessage,
    Mail,
    Web(&'static str),
}

/// The way a kind is used when the editor has not chosen (`primary`):
/// the most direct way to reach a person. A line for peer support or a
/// place to walk in leads with its number when it has one: calling the
/// crisis line is the help, its web site is background.
fn reach(c: &Channel) -> Reach {
    let callable = c.phone.is_some();
    match c.primary {
        Some(PrimaryAction::Phone) => return Reach::Call,
        Some(PrimaryAction::Sms) => return Reach::TextMessage,
        Some(PrimaryAction::Email) => return Reach::Mail,
        Some(PrimaryAction::Web) => return Reach::Web(web_key(c.kind)),
        None => {}
    }
    match c.kind {
        ChannelKind::Phone | ChannelKind::Callback | ChannelKind::Emergency => Reach::Call,
        ChannelKind::Sms => Reach::TextMessage,
        ChannelKind::Email => Reach::Mail,
        ChannelKind::PeerSupport
        | ChannelKind::WalkIn
        | ChannelKind::Location
        | ChannelKind::Mobile
            if callable =>
        {
            Reach::Call
        }
        kind => Reach::Web(web_key(kind)),
    }
}

/// The UI string of a kind's web action: "Avaa chat", "Siirry palveluun".
fn web_key(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Chat => "chat",
        ChannelKind::Message => "message",
        ChannelKind::Form => "form",
        ChannelKind::Platform => "platform",
        ChannelKind::Video => "video",
        ChannelKind::Booking => "booking",
        ChannelKind::SelfAssessment => "self_assessment",
        ChannelKind::SelfCare => "self_care",
        ChannelKind::PeerSupport => "peer_support",
        ChannelKind::Phone
        | ChannelKind::Callback
        | ChannelKind::Emergency
        | ChannelKind::Sms
        | ChannelKind::Email
        | ChannelKind::WalkIn
        | ChannelKind::Location
        | ChannelKind::Mobile => "website",
    }
}

/// `sms:` with digits and a leading plus.
pub fn sms_href(phone: &str) -> String {
    tel_href(phone).replacen("tel:", "sms:", 1)
}

impl Views<'_> {
    /// The action of a card: the kind's own way to reach it, or the
    /// channel's phone number, web address or e-mail if it has only that.
    fn action(&self, c: &Channel, lang: Lang) -> Option<ActionView> {
        // A name in another language would sit unmarked in the sentence.
        let name = self.txt(&c.name, lang);
        let platform_name_fits = name.lang.is_none();
        let name = name.text;
        let call = |phone: &str, key: &str, href: String| ActionView {
            text: self
                .t
                .get(lang, &format!("action.{key}"))
                .replace("{number}", phone),
            href,
            external: None,
        };
        let web = |key: &str| {
            let key = if key == "platform" && !platform_name_fits {
                "platform_generic"
            } else {
                key
            };
            let (url, _) = c.url.resolve(lang, self.source())?;
            let host = url::Url::parse(url).ok()?.host_str()?.to_string();
            Some(ActionView {
                text: self
                    .t
                    .get(lang, &format!("action.{key}"))
                    .replace("{name}", &name),
                href: url.to_string(),
                external: Some(self.t.get(lang, "action.external").replace("{host}", &host)),
            })
        };
        let mail = || {
            c.email.as_ref().map(|e| ActionView {
                text: self.t.get(lang, "action.email"),
                href: format!("mailto:{e}"),
                external: None,
            })
        };
        let phone = c.phone.as_deref();
        match reach(c) {
            Reach::Call => phone
                .map(|p| call(p, "call", tel_href(p)))
                .or_else(|| web("callback_web")),
            Reach::TextMessage => phone.map(|p| call(p, "sms", sms_href(p))),
            Reach::Mail => mail(),
            Reach::Web(key) => web(key)
                .or_else(|| phone.map(|p| call(p, "call", tel_href(p))))
                .or_else(mail),
        }
    }

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
            // "klo 8.00–16.00"; a language without a word before times
            // (`time_prefix = ""`) gets none, and no stray space.
            let prefix = self.t.get(lang, "channel.time_prefix");
            let separator = self.t.get(lang, "channel.time_separator");
            let times = format!(
                "{}–{}",
                format_time(&h.opens, &separator),
                format_time(&h.closes, &separator)
            );
            if prefix.is_empty() {
                times
            } else {
                format!("{prefix} {times}")
            }
        };
        format!("{days} {range}")
    }

    /// A channel's view as a template value, made once per language.
    pub(super) fn channel_value(&self, id: &str, lang: Lang) -> Option<Value> {
        let &i = self.channel_index.get(id)?;
        Some(shared(&self.per_lang[&lang].channels[i], || {
            Value::from_serialize(self.channel_view(&self.site.channels[i], lang))
        }))
    }

    pub(super) fn channel_view(&self, c: &Channel, lang: Lang) -> ChannelView {
        let i = self.channel_index[c.id.as_str()];
        let action = self.action(c, lang);
        let phone_in_action = action
            .as_ref()
            .is_some_and(|a| a.href.starts_with("tel:") || a.href.starts_with("sms:"));
        let email_in_action = action
            .as_ref()
            .is_some_and(|a| a.href.starts_with("mailto:"));
        ChannelView {
            id: c.id.clone(),
            kind: c.kind.key(),
            kind_label: self.t.get(lang, &format!("channel_kind.{}", c.kind.key())),
            name: self.txt(&c.name, lang),
            description: self.opt_txt(&c.description, lang),
            href: self.href(PageKey::Channel(i), lang),
            action,
            phone: c.phone.clone(),
            phone_href: c.phone.as_deref().map(|p| match reach(c) {
                Reach::TextMessage => sms_href(p),
                _ => tel_href(p),
            }),
            phone_label: self.t.get(
                lang,
                if reach(c) == Reach::TextMessage {
                    "channel.sms_number"
                } else {
                    "channel.phone"
                },
            ),
            phone_in_action,
            email_in_action,
            email: c.email.clone(),
            url: self.opt_txt(&c.url, lang),
            address: self.opt_txt(&c.address, lang),
            hours: c.hours.iter().map(|h| self.format_hours(h, lang)).collect(),
            hours_data: serde_json::to_string(
                &c.hours
                    .iter()
                    .map(|h| (h.from as u8, h.to as u8, &h.opens, &h.closes))
                    .collect::<Vec<_>>(),
            )
            .unwrap_or_default(),
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
        let used_by: Vec<Value> = {
            let mut v: Vec<usize> = self
                .site
                .paths
                .iter()
                .enumerate()
                .filter(|(_, p)| p.phases.iter().any(|ph| ph.channels.contains(&c.id)))
                .map(|(j, _)| j)
                .collect();
            v.sort_by_cached_key(|&j| self.path_title(j, lang).to_lowercase());
            v.into_iter()
                .map(|j| self.path_summary_value(j, lang))
                .collect()
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

    /// The channel index: every channel, grouped by kind in a fixed order,
    /// each with its action, number or address and hours in view.
    pub(super) fn channels_page(&self, lang: Lang) -> Value {
        let groups: Vec<Value> = ChannelKind::ALL
            .iter()
            .filter_map(|&kind| {
                let mut channels: Vec<(String, Value)> = self
                    .site
                    .channels
                    .iter()
                    .filter(|c| c.kind == kind)
                    .filter_map(|c| {
                        let name = self.txt(&c.name, lang).text.to_lowercase();
                        Some((name, self.channel_value(&c.id, lang)?))
                    })
                    .collect();
                channels.sort_by(|a, b| a.0.cmp(&b.0));
                let channels: Vec<Value> = channels.into_iter().map(|(_, c)| c).collect();
                (!channels.is_empty()).then(|| {
                    context! {
                        kind => kind.key(),
                        label => self.t.get(lang, &format!("channel_kind.{}", kind.key())),
                        channels => channels,
                    }
                })
            })
            .collect();
        let title = self.t.get(lang, "channels.title");
        let description = self.t.get(lang, "channels.intro");
        self.page(
            PageKey::Channels,
            lang,
            &title,
            &description,
            context! { groups => groups },
        )
    }
}
