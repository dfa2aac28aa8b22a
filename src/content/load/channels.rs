//! `channels.toml`: the service channels, defined once and referenced by id.

use super::*;
use crate::code::Code;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChannels {
    #[serde(default)]
    channel: Vec<RawChannel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChannel {
    id: Spanned<String>,
    kind: ChannelKind,
    name: Text,
    #[serde(default)]
    description: Text,
    #[serde(default)]
    phone: Option<Spanned<String>>,
    #[serde(default)]
    email: Option<Spanned<String>>,
    #[serde(default)]
    url: Option<SpannedText>,
    #[serde(default)]
    address: Text,
    #[serde(default)]
    hours: Vec<RawHours>,
    #[serde(default)]
    hours_note: Text,
    #[serde(default)]
    strong_auth: bool,
    #[serde(default)]
    anonymous: bool,
    #[serde(default)]
    response_time: Option<RawResponseTime>,
    #[serde(default)]
    languages: Vec<Spanned<String>>,
    #[serde(default)]
    accessibility: Text,
    #[serde(default)]
    slug: SpannedText,
    #[serde(default)]
    primary: Option<Spanned<PrimaryAction>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHours {
    days: Spanned<String>,
    opens: Spanned<String>,
    closes: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawResponseTime {
    amount: u32,
    unit: ResponseUnit,
}

pub(super) fn parse_days(days: &str) -> Option<(Weekday, Weekday)> {
    match days.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (Weekday::from_key(a.trim())?, Weekday::from_key(b.trim())?);
            (a <= b).then_some((a, b))
        }
        None => Weekday::from_key(days.trim()).map(|d| (d, d)),
    }
}

pub(super) fn parse_time(t: &str) -> Option<(u32, u32)> {
    let (h, m) = t.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && !(h == 24 && m > 0)).then_some((h, m))
}

pub(super) fn load_channels(
    path: &Path,
    languages: &[Lang],
    source: &mut Option<SourceFile>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Channel>> {
    let (file, raw) = read_toml::<RawChannels>(path, true, diags)?;
    *source = Some(file.clone());
    if raw.channel.is_empty() {
        // One error here rather than an unknown channel at every reference.
        diags.push(
            file.error(Code::MissingField, 0..0, "the file defines no channels")
                .with_hint("add one `[[channel]]` table per service channel, with `id`, `kind` and `name.fi`; docs/content-format.md shows an example"),
        );
        return None;
    }
    let default_lang = languages[0];
    check_duplicates(&file, raw.channel.iter().map(|c| &c.id), "channel", diags);
    let mut slugs: HashMap<(Lang, String), (String, Range<usize>)> = HashMap::new();
    let mut channels = Vec::new();
    for c in raw.channel {
        check_id(&file, &c.id, "channel", diags);
        require_text(
            &file,
            &c.name,
            c.id.span(),
            default_lang,
            "channel name",
            diags,
        );
        if let Some(p) = &c.phone {
            check_phone(&file, p, diags);
        }
        if let Some(e) = &c.email {
            check_email(&file, e, diags);
        }
        if let Some(u) = &c.url {
            check_text_urls(&file, u, diags);
        }
        let needs_phone = matches!(
            c.kind,
            ChannelKind::Phone | ChannelKind::Callback | ChannelKind::Sms | ChannelKind::Emergency
        );
        if needs_phone && c.phone.is_none() {
            diags.push(
                file.error(
                    Code::MissingField,
                    c.id.span(),
                    format!(
                        "the {} channel `{}` has no phone number",
                        c.kind.key(),
                        c.id.get_ref()
                    ),
                )
                .with_hint("add `phone = \"...\"` to this channel"),
            );
        }
        if let Some(primary) = &c.primary {
            check_primary(&file, &c, primary, diags);
        }
        let mut hours = Vec::new();
        for h in &c.hours {
            let days = parse_days(h.days.get_ref());
            if days.is_none() {
                diags.push(
                    file.error(Code::InvalidValue, h.days.span(), format!("`{}` is not a day or a range of days", h.days.get_ref()))
                        .with_hint("write a day (`mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`) or a range such as `mon-fri`"),
                );
            }
            let mut times_ok = true;
            for t in [&h.opens, &h.closes] {
                if parse_time(t.get_ref()).is_none() {
                    times_ok = false;
                    diags.push(
                        file.error(
                            Code::InvalidValue,
                            t.span(),
                            format!("`{}` is not a time of day", t.get_ref()),
                        )
                        .with_hint(
                            "write the time as HH:MM on the 24-hour clock, e.g. `08:00` or `16:30`",
                        ),
                    );
                }
            }
            if times_ok && parse_time(h.opens.get_ref()) >= parse_time(h.closes.get_ref()) {
                diags.push(
                    file.error(Code::InvalidValue, h.closes.span(), "the closing time is not after the opening time")
                        .with_hint("check the times; for round-the-clock service write `opens = \"00:00\"` and `closes = \"24:00\"`"),
                );
            }
            if let Some((from, to)) = days {
                hours.push(OpeningHours {
                    from,
                    to,
                    opens: h.opens.get_ref().clone(),
                    closes: h.closes.get_ref().clone(),
                });
            }
        }
        for l in &c.languages {
            if l.get_ref().len() != 2 || !l.get_ref().chars().all(|c| c.is_ascii_lowercase()) {
                diags.push(
                    file.error(
                        Code::InvalidValue,
                        l.span(),
                        format!("`{}` is not a two-letter language code", l.get_ref()),
                    )
                    .with_hint("use ISO 639-1 codes such as `fi`, `sv`, `en`"),
                );
            }
        }
        let mut slug = BTreeMap::new();
        for &lang in languages {
            let s = match c.slug.text.get(lang) {
                Some(given) => {
                    if !is_valid_slug(given) {
                        diags.push(
                            file.error(
                                Code::InvalidSlug,
                                c.slug.span(lang).unwrap_or_else(|| c.id.span()),
                                format!("`{given}` is not a valid slug"),
                            )
                            .with_hint(format!(
                                "use lower-case a-z, digits and single hyphens, e.g. `{}`",
                                slugify(given)
                            )),
                        );
                    }
                    given.to_string()
                }
                None => {
                    let from_name = c
                        .name
                        .resolve(lang, default_lang)
                        .map(|(t, _)| slugify(t))
                        .unwrap_or_default();
                    if from_name.is_empty() {
                        c.id.get_ref().clone()
                    } else {
                        from_name
                    }
                }
            };
            let slug_span = c.slug.span(lang).unwrap_or_else(|| c.id.span());
            check_slug_length(&file, &s, slug_span, diags);
            if let Some((other, _)) = slugs.get(&(lang, s.clone())) {
                diags.push(
                    file.error(
                        Code::DuplicateSlug,
                        c.id.span(),
                        format!(
                            "channels `{other}` and `{}` get the same {} address `{s}`",
                            c.id.get_ref(),
                            lang.english_name()
                        ),
                    )
                    .with_hint(format!(
                        "give one of them its own `slug.{} = \"...\"`",
                        lang.code()
                    )),
                );
            } else {
                slugs.insert((lang, s.clone()), (c.id.get_ref().clone(), c.id.span()));
            }
            slug.insert(lang, s);
        }
        channels.push(Channel {
            id_span: c.id.span(),
            id: c.id.into_inner(),
            kind: c.kind,
            name: c.name,
            description: c.description,
            phone: c.phone.map(Spanned::into_inner),
            email: c.email.map(Spanned::into_inner),
            url_spans: c.url.as_ref().map(|u| u.spans.clone()).unwrap_or_default(),
            url: c.url.map(|u| u.text).unwrap_or_default(),
            address: c.address,
            hours,
            hours_note: c.hours_note,
            strong_auth: c.strong_auth,
            anonymous: c.anonymous,
            response_time: c.response_time.map(|r| ResponseTime {
                amount: r.amount,
                unit: r.unit,
            }),
            languages: c.languages.into_iter().map(Spanned::into_inner).collect(),
            accessibility: c.accessibility,
            slug,
            primary: c.primary.map(Spanned::into_inner),
        });
    }
    Some(channels)
}

/// `primary = "..."` needs what it names: a number to call or text, an
/// address, an e-mail address.
fn check_primary(
    file: &SourceFile,
    c: &RawChannel,
    primary: &Spanned<PrimaryAction>,
    diags: &mut Vec<Diagnostic>,
) {
    let (has, field) = match primary.get_ref() {
        PrimaryAction::Phone | PrimaryAction::Sms => (c.phone.is_some(), "phone = \"...\""),
        PrimaryAction::Web => (
            c.url
                .as_ref()
                .is_some_and(|u| u.text.values().next().is_some()),
            "url.fi = \"https://...\"",
        ),
        PrimaryAction::Email => (c.email.is_some(), "email = \"...\""),
    };
    if !has {
        diags.push(
            file.error(
                Code::MissingField,
                primary.span(),
                format!(
                    "the channel `{}` leads with `{}` but has nothing to reach it that way",
                    c.id.get_ref(),
                    primary.get_ref().key()
                ),
            )
            .with_hint(format!(
                "add `{field}` to this channel, or choose another `primary`"
            )),
        );
    }
}

// ---------------------------------------------------------------- links
