//! `site.toml`: the site's name, organisation, base URL, languages,
//! feedback channel and accessibility statement.

use super::*;
use crate::code::Code;
use crate::content::Crisis;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSite {
    #[serde(default)]
    languages: Option<Spanned<Vec<Spanned<String>>>>,
    base_url: Spanned<String>,
    name: Text,
    #[serde(default)]
    description: Text,
    organisation: Organisation,
    #[serde(default)]
    contact: RawContact,
    feedback: RawFeedback,
    accessibility: RawAccessibility,
    #[serde(default)]
    plain_language: PlainLanguage,
    #[serde(default)]
    emergency: Vec<Spanned<EmergencyNumber>>,
    #[serde(default)]
    brand: RawBrand,
    #[serde(default)]
    footer_link: Vec<FooterLink>,
    #[serde(default)]
    search: ExternalSearch,
    #[serde(default)]
    crisis: Option<Spanned<RawCrisis>>,
}

/// `[crisis]`: the county's crisis words per language and the numbers the
/// search page shows for them; each part optional (crisis.rs has the
/// defaults).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCrisis {
    #[serde(default)]
    terms: BTreeMap<Lang, Vec<Spanned<String>>>,
    #[serde(default)]
    contact: Vec<Spanned<EmergencyNumber>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBrand {
    #[serde(default)]
    logo: Option<Spanned<String>>,
    #[serde(default)]
    logo_alt: Text,
    #[serde(default)]
    color: Option<Spanned<String>>,
    #[serde(default)]
    accent: Option<Spanned<String>>,
    #[serde(default)]
    favicon: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawContact {
    #[serde(default)]
    phone: Option<Spanned<String>>,
    #[serde(default)]
    email: Option<Spanned<String>>,
    #[serde(default)]
    address: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeedback {
    #[serde(default)]
    url: Text,
    #[serde(default)]
    email: Option<Spanned<String>>,
    #[serde(default)]
    response_days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAccessibility {
    compliance: Compliance,
    prepared_on: Spanned<Datetime>,
    assessed_on: Spanned<Datetime>,
    method: Text,
    updated_on: Spanned<Datetime>,
    #[serde(default)]
    non_accessible: Vec<NonAccessible>,
    #[serde(default)]
    out_of_scope: Vec<NonAccessible>,
    #[serde(default)]
    disproportionate_burden: Vec<NonAccessible>,
    authority: Authority,
}

pub(super) fn load_config(
    path: &Path,
    source: &mut Option<SourceFile>,
    diags: &mut Vec<Diagnostic>,
) -> Option<SiteConfig> {
    let (file, raw) = read_toml::<RawSite>(path, true, diags)?;
    *source = Some(file.clone());
    let keys = TomlKeys::parse(&file);
    let before = diags.len();

    let languages = match &raw.languages {
        None => Lang::DEFAULT.to_vec(),
        Some(list) => {
            let mut langs = Vec::new();
            for spanned in list.get_ref() {
                let code = spanned.get_ref();
                match Lang::new(code) {
                    Some(l) if !langs.contains(&l) => langs.push(l),
                    Some(_) => diags.push(
                        file.error(Code::DuplicateId, spanned.span(), format!("language `{code}` is listed twice"))
                            .with_hint("list each language once, e.g. `languages = [\"fi\", \"sv\"]`"),
                    ),
                    None => diags.push(
                        file.error(Code::InvalidValue, spanned.span(), format!("`{code}` is not a language code"))
                            .with_hint("use ISO 639 codes of two or three lower-case letters, e.g. `languages = [\"fi\", \"sv\", \"en\"]`; the first is the source language"),
                    ),
                }
            }
            if langs.is_empty() {
                diags.push(
                    file.error(Code::MissingField, list.span(), "no languages are listed")
                        .with_hint(
                            "write `languages = [\"fi\", \"sv\"]`; the first is the default",
                        ),
                );
                langs = Lang::DEFAULT.to_vec();
            }
            langs
        }
    };
    let default_lang = languages[0];

    let base_url = match normalize_base_url(raw.base_url.get_ref()) {
        Ok(url) => url,
        Err(e) => {
            diags.push(
                file.error(Code::InvalidUrl, raw.base_url.span(), e.to_string())
                    .with_hint(crate::error::Advice::hint(&e)),
            );
            String::new()
        }
    };

    require_text(
        &file,
        &raw.name,
        keys.span(&["name"]),
        default_lang,
        "site name",
        diags,
    );
    let org_span = keys.span(&["organisation"]);
    let feedback_span = keys.span(&["feedback"]);
    let authority_span = keys.span(&["accessibility", "authority"]);
    require_text(
        &file,
        &raw.organisation.name,
        org_span.clone(),
        default_lang,
        "organisation name",
        diags,
    );
    check_table_urls(&file, &raw.organisation.url, org_span, diags);

    if let Some(p) = &raw.contact.phone {
        check_phone(&file, p, diags);
    }
    if let Some(e) = &raw.contact.email {
        check_email(&file, e, diags);
    }
    let feedback = &raw.feedback;
    check_table_urls(&file, &feedback.url, feedback_span.clone(), diags);
    if let Some(e) = &feedback.email {
        check_email(&file, e, diags);
    }
    if feedback.url.get(default_lang).is_none() && feedback.email.is_none() {
        diags.push(
            file.error(Code::MissingField, feedback_span, "the feedback channel has neither a web form nor an e-mail address")
                .with_hint("add `url.fi = \"https://...\"` or `email = \"...\"` under [feedback]; the accessibility statement must name a feedback channel"),
        );
    }

    let acc = &raw.accessibility;
    let prepared_on = to_date(&file, &acc.prepared_on, diags);
    let assessed_on = to_date(&file, &acc.assessed_on, diags);
    let updated_on = to_date(&file, &acc.updated_on, diags);
    require_text(
        &file,
        &acc.method,
        keys.span(&["accessibility"]),
        default_lang,
        "assessment method",
        diags,
    );
    let authority = &acc.authority;
    require_text(
        &file,
        &authority.name,
        authority_span.clone(),
        default_lang,
        "authority name",
        diags,
    );
    check_table_urls(&file, &authority.url, authority_span.clone(), diags);
    // The EU model statement names how to reach the authority, not only a web page.
    for (field, value) in [("email", &authority.email), ("phone", &authority.phone)] {
        if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
            diags.push(
                file.error(Code::MissingField, authority_span.clone(), format!("the supervisory authority has no {field}"))
                    .with_hint(format!("add `{field} = \"...\"` under [accessibility.authority]; the statement must say how to reach it")),
            );
        }
    }
    for (i, item) in acc.non_accessible.iter().enumerate() {
        if item.content.get(default_lang).is_none() {
            diags.push(
                file.error(
                    Code::EmptyTitle,
                    keys.item_span(&["accessibility", "non_accessible"], i),
                    "a non-accessible item has no description",
                )
                .with_hint(format!(
                    "add `content.{} = \"...\"` and `reason.{} = \"...\"`",
                    default_lang.code(),
                    default_lang.code()
                )),
            );
        }
    }

    if diags.len() > before {
        return None;
    }
    let raw_feedback = raw.feedback;
    let crisis = crisis(&file, raw.crisis, &languages, diags);
    Some(SiteConfig {
        languages,
        base_url,
        name: raw.name,
        description: raw.description,
        organisation: raw.organisation,
        contact: Contact {
            phone: raw.contact.phone.map(Spanned::into_inner),
            email: raw.contact.email.map(Spanned::into_inner),
            address: raw.contact.address,
        },
        feedback: Feedback {
            url: raw_feedback.url,
            email: raw_feedback.email.map(Spanned::into_inner),
            response_days: raw_feedback.response_days.unwrap_or(14),
        },
        accessibility: AccessibilityStatement {
            compliance: raw.accessibility.compliance,
            prepared_on: prepared_on?,
            assessed_on: assessed_on?,
            method: raw.accessibility.method,
            updated_on: updated_on?,
            non_accessible: raw.accessibility.non_accessible,
            out_of_scope: raw.accessibility.out_of_scope,
            disproportionate_burden: raw.accessibility.disproportionate_burden,
            authority: raw.accessibility.authority,
        },
        plain_language: {
            // Jargon is matched case-insensitively: lower-cased once here.
            let mut plain = raw.plain_language;
            for terms in plain.jargon.values_mut() {
                *terms = std::mem::take(terms)
                    .into_iter()
                    .map(|(term, instead)| (term.to_lowercase(), instead))
                    .collect();
            }
            plain
        },
        emergency: emergency_numbers(&file, raw.emergency, default_lang, diags),
        crisis,
        brand: brand(&file, path, raw.brand, default_lang, diags),
        search: {
            let span = keys.span(&["search"]);
            check_table_urls(&file, &raw.search.url, span.clone(), diags);
            if raw.search.url.get(default_lang).is_some()
                && raw.search.label.get(default_lang).is_none()
            {
                diags.push(
                    file.error(
                        Code::EmptyTitle,
                        span,
                        "the external search has no button text",
                    )
                    .with_hint(format!(
                        "add `label.{} = \"...\"`, e.g. \"Hae hyvinvointialueen sivustolta\"",
                        default_lang.code()
                    )),
                );
            }
            raw.search
        },
        footer_links: {
            for (i, link) in raw.footer_link.iter().enumerate() {
                let span = keys.item_span(&["footer_link"], i);
                check_table_urls(&file, &link.url, span.clone(), diags);
                require_text(
                    &file,
                    &link.text,
                    span.clone(),
                    default_lang,
                    "footer link text",
                    diags,
                );
            }
            raw.footer_link
        },
    })
}

// ---------------------------------------------------------------- segments, topics

/// `[[emergency]]`: every number must be dialable and named in the default
/// language.
fn emergency_numbers(
    file: &SourceFile,
    raw: Vec<Spanned<EmergencyNumber>>,
    default_lang: Lang,
    diags: &mut Vec<Diagnostic>,
) -> Vec<EmergencyNumber> {
    raw.into_iter()
        .map(|entry| {
            let span = entry.span();
            let number = entry.into_inner();
            let digits = number.number.chars().filter(char::is_ascii_digit).count();
            let dialable = number
                .number
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-'));
            if digits < 3 || !dialable {
                diags.push(
                    file.error(Code::InvalidPhone, span.clone(), format!("`{}` is not a number to dial", number.number))
                        .with_hint("write the number as people dial it, e.g. `number = \"112\"` or `number = \"116 117\"`"),
                );
            }
            if number.label.get(default_lang).is_none() {
                diags.push(
                    file.error(Code::EmptyTitle, span, format!("the emergency number {} has no label", number.number))
                        .with_hint(format!("add `label.{} = \"...\"`: what the number is for", default_lang.code())),
                );
            }
            number
        })
        .collect()
}

/// `[crisis]`: words for the site's languages that are real words (a
/// blank or one-letter word would show the crisis numbers for everything,
/// an empty list for nothing), and numbers as `[[emergency]]` has them;
/// the national defaults for what is not given.
fn crisis(
    file: &SourceFile,
    raw: Option<Spanned<RawCrisis>>,
    languages: &[Lang],
    diags: &mut Vec<Diagnostic>,
) -> Crisis {
    let Some(raw) = raw else {
        return Crisis::default();
    };
    let span = raw.span();
    let raw = raw.into_inner();
    let mut terms = BTreeMap::new();
    for (lang, words) in raw.terms {
        if !languages.contains(&lang) {
            diags.push(
                file.error(
                    Code::InvalidValue,
                    span.clone(),
                    format!("crisis words for `{lang}`, which is not a language of the site"),
                )
                .with_hint(format!(
                    "write them for a language of `languages` ({}), or add `{lang}` there",
                    codes(languages)
                )),
            );
            continue;
        }
        if words.is_empty() {
            diags.push(
                file.error(Code::InvalidValue, span.clone(), format!("`terms.{lang}` is empty: no query in this language would show the crisis numbers"))
                    .with_hint(format!("remove `terms.{lang}` to use polku's national crisis words, or list the words people type")),
            );
        }
        terms.insert(lang, crisis_words(file, words, diags));
    }
    let contacts = if raw.contact.is_empty() {
        Crisis::default().contacts
    } else {
        emergency_numbers(file, raw.contact, languages[0], diags)
    };
    Crisis { terms, contacts }
}

/// The crisis words of one language, each checked where it is written.
fn crisis_words(
    file: &SourceFile,
    words: Vec<Spanned<String>>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut kept = Vec::new();
    for word in words {
        let text = word.get_ref().trim();
        if text.is_empty() {
            diags.push(
                file.error(Code::EmptyTitle, word.span(), "an empty crisis word")
                    .with_hint(
                        "remove the empty string from the list, or write the word people type",
                    ),
            );
        } else if !text.contains(' ') && text.chars().count() < 3 {
            diags.push(
                file.error(Code::InvalidValue, word.span(), format!("the crisis word `{text}` is too short: every word that begins with it would show the crisis numbers"))
                    .with_hint("write the whole word, or a phrase such as \"vill dö\""),
            );
        } else {
            kept.push(text.to_string());
        }
    }
    kept
}

/// "fi, sv, en".
fn codes(languages: &[Lang]) -> String {
    languages
        .iter()
        .map(|l| l.code())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `[brand]`: colours that keep text readable, and files that exist.
fn brand(
    file: &SourceFile,
    site_toml: &Path,
    raw: RawBrand,
    default_lang: Lang,
    diags: &mut Vec<Diagnostic>,
) -> Brand {
    let root = site_toml.parent().unwrap_or(Path::new("."));
    let colour = |value: &Option<Spanned<String>>,
                  against_white: f64,
                  role: &str,
                  diags: &mut Vec<Diagnostic>| {
        let value = value.as_ref()?;
        let Some(rgb) = parse_hex_colour(value.get_ref()) else {
            diags.push(
                file.error(
                    Code::InvalidValue,
                    value.span(),
                    format!("`{}` is not a colour", value.get_ref()),
                )
                .with_hint("write the colour as `#rrggbb`, e.g. `\"#00527a\"`"),
            );
            return None;
        };
        let ratio = contrast_ratio(rgb, (255, 255, 255));
        if ratio < against_white {
            diags.push(
                file.error(Code::LowContrast, value.span(), format!("the {role} {} has a contrast of {ratio:.2}:1 with white; WCAG AA needs {against_white}:1", value.get_ref()))
                    .with_hint(format!("choose a darker shade, e.g. {}", darken_until(rgb, against_white))),
            );
            return None;
        }
        Some(value.get_ref().to_ascii_lowercase())
    };
    let color = colour(&raw.color, 4.5, "brand colour", diags);
    let accent = colour(&raw.accent, 3.0, "accent colour", diags);
    let asset = |value: &Option<Spanned<String>>, kinds: &[&str], diags: &mut Vec<Diagnostic>| {
        let value = value.as_ref()?;
        let rel = value.get_ref().trim_start_matches("./");
        let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        let inside = !rel.starts_with('/') && !rel.split(['/', '\\']).any(|p| p == "..");
        if !inside || !kinds.contains(&ext.as_str()) {
            diags.push(
                file.error(
                    Code::InvalidValue,
                    value.span(),
                    format!("`{rel}` cannot be used here"),
                )
                .with_hint(format!(
                    "give a file inside the content folder, of type {}",
                    kinds.join(", ")
                )),
            );
            return None;
        }
        match crate::content::read_bytes(&root.join(rel)) {
            Ok(bytes) => Some(BrandFile {
                url: rel.replace('\\', "/"),
                bytes: Arc::new(bytes),
            }),
            Err(d) => {
                diags.push(
                    file.error(
                        Code::MissingFile,
                        value.span(),
                        format!("`{rel}` cannot be read: {}", d.message),
                    )
                    .with_hint("put the file in the content folder, at the path given here"),
                );
                None
            }
        }
    };
    let logo = asset(&raw.logo, &["svg", "png", "webp"], diags);
    let favicon = asset(&raw.favicon, &["svg", "png", "ico"], diags);
    if logo.is_some() && raw.logo_alt.get(default_lang).is_none() {
        diags.push(
            file.error(
                Code::EmptyTitle,
                raw.logo.as_ref().map_or(0..0, Spanned::span),
                "the logo has no alternative text",
            )
            .with_hint(format!(
                "add `logo_alt.{} = \"...\"`: what the logo says, usually the organisation's name",
                default_lang.code()
            )),
        );
    }
    Brand {
        logo,
        logo_alt: raw.logo_alt,
        color,
        accent,
        favicon,
    }
}

/// `#rgb` or `#rrggbb`.
pub(crate) fn parse_hex_colour(value: &str) -> Option<(u8, u8, u8)> {
    let hex = value.trim().strip_prefix('#')?;
    let full: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => return None,
    };
    let byte = |i: usize| u8::from_str_radix(full.get(i..i + 2)?, 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// WCAG 2 contrast ratio of two sRGB colours.
pub(crate) fn contrast_ratio(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The colour darkened in steps until it reaches `ratio` against white.
fn darken_until(mut rgb: (u8, u8, u8), ratio: f64) -> String {
    while contrast_ratio(rgb, (255, 255, 255)) < ratio {
        rgb = (
            (f64::from(rgb.0) * 0.95) as u8,
            (f64::from(rgb.1) * 0.95) as u8,
            (f64::from(rgb.2) * 0.95) as u8,
        );
    }
    format!("#{:02x}{:02x}{:02x}", rgb.0, rgb.1, rgb.2)
}
