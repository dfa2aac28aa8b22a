//! `site.toml`: the site's name, organisation, base URL, languages,
//! feedback channel and accessibility statement.

use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSite {
    #[serde(default)]
    languages: Option<Spanned<Vec<String>>>,
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
    assessed_on: Spanned<Datetime>,
    method: Text,
    updated_on: Spanned<Datetime>,
    #[serde(default)]
    non_accessible: Vec<NonAccessible>,
    authority: Authority,
}

pub(super) fn load_config(path: &FsPath, diags: &mut Vec<Diagnostic>) -> Option<SiteConfig> {
    let (file, raw) = read_toml::<RawSite>(path, true, diags)?;
    let before = diags.len();

    let languages = match &raw.languages {
        None => Lang::ALL.to_vec(),
        Some(list) => {
            let mut langs = Vec::new();
            for code in list.get_ref() {
                match Lang::from_code(code) {
                    Some(l) if !langs.contains(&l) => langs.push(l),
                    Some(_) => diags.push(
                        file.error("duplicate-id", list.span(), format!("language `{code}` is listed twice"))
                            .with_hint("list each language once, e.g. `languages = [\"fi\", \"sv\"]`"),
                    ),
                    None => diags.push(
                        file.error("invalid-value", locate(&file, code, list.span()), format!("unknown language `{code}`"))
                            .with_hint("polku publishes in `fi` and `sv`; write `languages = [\"fi\", \"sv\"]`"),
                    ),
                }
            }
            if langs.is_empty() {
                diags.push(
                    file.error("missing-field", list.span(), "no languages are listed")
                        .with_hint(
                            "write `languages = [\"fi\", \"sv\"]`; the first is the default",
                        ),
                );
                langs = Lang::ALL.to_vec();
            }
            langs
        }
    };
    let default_lang = languages[0];

    let base_url = match normalize_base_url(raw.base_url.get_ref()) {
        Ok(url) => url,
        Err((message, hint)) => {
            diags.push(
                file.error("invalid-url", raw.base_url.span(), message)
                    .with_hint(hint),
            );
            String::new()
        }
    };

    require_text(
        &file,
        &raw.name,
        key_span(&file, "name"),
        default_lang,
        "site name",
        diags,
    );
    let org_span = key_span(&file, "[organisation]");
    let feedback_span = key_span(&file, "[feedback]");
    let authority_span = key_span(&file, "[accessibility.authority]");
    require_text(
        &file,
        &raw.organisation.name,
        org_span.clone(),
        default_lang,
        "organisation name",
        diags,
    );
    check_text_urls(&file, &raw.organisation.url, org_span, diags);

    if let Some(p) = &raw.contact.phone {
        check_phone(&file, p, diags);
    }
    if let Some(e) = &raw.contact.email {
        check_email(&file, e, diags);
    }
    let feedback = &raw.feedback;
    check_text_urls(&file, &feedback.url, feedback_span.clone(), diags);
    if let Some(e) = &feedback.email {
        check_email(&file, e, diags);
    }
    if feedback.url.get(default_lang).is_none() && feedback.email.is_none() {
        diags.push(
            file.error("missing-field", feedback_span, "the feedback channel has neither a web form nor an e-mail address")
                .with_hint("add `url.fi = \"https://...\"` or `email = \"...\"` under [feedback]; the accessibility statement must name a feedback channel"),
        );
    }

    let acc = &raw.accessibility;
    let assessed_on = to_date(&file, &acc.assessed_on, diags);
    let updated_on = to_date(&file, &acc.updated_on, diags);
    require_text(
        &file,
        &acc.method,
        key_span(&file, "[accessibility]"),
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
    check_text_urls(&file, &authority.url, authority_span, diags);
    for item in &acc.non_accessible {
        if item.content.get(default_lang).is_none() {
            diags.push(
                file.error(
                    "empty-title",
                    locate(&file, "[[accessibility.non_accessible]]", 0..0),
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
            assessed_on: assessed_on?,
            method: raw.accessibility.method,
            updated_on: updated_on?,
            non_accessible: raw.accessibility.non_accessible,
            authority: raw.accessibility.authority,
        },
        plain_language: raw.plain_language,
        emergency: emergency_numbers(&file, raw.emergency, default_lang, diags),
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
                    file.error("invalid-phone", span.clone(), format!("`{}` is not a number to dial", number.number))
                        .with_hint("write the number as people dial it, e.g. `number = \"112\"` or `number = \"116 117\"`"),
                );
            }
            if number.label.get(default_lang).is_none() {
                diags.push(
                    file.error("empty-title", span, format!("the emergency number {} has no label", number.number))
                        .with_hint(format!("add `label.{} = \"...\"`: what the number is for", default_lang.code())),
                );
            }
            number
        })
        .collect()
}
