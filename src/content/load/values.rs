//! Field values checked the same way wherever they appear: addresses,
//! phone numbers, e-mail addresses.

use super::*;
use crate::code::Code;

/// Checks the address a site is published at (`base_url` in site.toml, or
/// `--base-url`) and returns it with a trailing slash: http or https with a
/// host, no query or fragment, and no whitespace or control characters
/// (URL parsers drop a newline silently; robots.txt and the sitemap would not).
pub fn normalize_base_url(raw: &str) -> Result<String, BaseUrlError> {
    let error = |whitespace| BaseUrlError {
        given: raw.escape_debug().collect(),
        whitespace,
    };
    let trimmed = raw.trim();
    if trimmed.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(error(true));
    }
    match url::Url::parse(trimmed) {
        Ok(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some_and(|h| !h.is_empty())
                && u.query().is_none()
                && u.fragment().is_none()
                && u.username().is_empty()
                && u.password().is_none() =>
        {
            let mut url = u.to_string();
            if !url.ends_with('/') {
                url.push('/');
            }
            Ok(url)
        }
        _ => Err(error(false)),
    }
}

/// Why an address cannot be the one a site is published at.
#[derive(Debug, thiserror::Error)]
#[error("`{given}` {}", if *whitespace { "contains spaces or control characters" } else { "is not a usable base URL" })]
pub struct BaseUrlError {
    /// The address as given, control characters escaped.
    pub given: String,
    /// It has spaces or control characters (else it is not an http(s)
    /// address of a host, or has a query, fragment or user name).
    pub whitespace: bool,
}

impl crate::error::Advice for BaseUrlError {
    fn hint(&self) -> String {
        "write the address the site is published at, e.g. `https://palvelupolut.example.org/`"
            .to_string()
    }
}

/// A checked address a site is published at: `http(s)://host/…/`, ending
/// in `/`. Made only by [`BaseUrl::parse`], so a `--base-url` is checked once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Checks and normalises an address (see [`normalize_base_url`]).
    pub fn parse(raw: &str) -> Result<BaseUrl, BaseUrlError> {
        normalize_base_url(raw).map(BaseUrl)
    }

    /// The address, ending in `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks an address: only https, http, tel and mailto are allowed.
pub(super) fn check_url(raw: &str) -> Result<(), (String, String)> {
    let s = raw.trim();
    if s.is_empty() {
        return Err((
            "the address is empty".into(),
            "write the full address, e.g. `https://www.terveyskyla.fi/`".into(),
        ));
    }
    let url = url::Url::parse(s).map_err(|_| {
        (
            format!("`{s}` is not a valid address"),
            "write the full address starting with `https://`, or a phone number as `tel:+358...`"
                .to_string(),
        )
    })?;
    match url.scheme() {
        "https" | "http" => {
            if url.host_str().is_none_or(|h| h.is_empty()) {
                return Err((
                    format!("`{s}` has no host name"),
                    "write the full address, e.g. `https://www.example.org/page`".into(),
                ));
            }
            Ok(())
        }
        "tel" => {
            if url.path().chars().filter(|c| c.is_ascii_digit()).count() < 3 {
                return Err((
                    format!("`{s}` is not a phone number"),
                    "write it as `tel:+358401234567`".into(),
                ));
            }
            Ok(())
        }
        "mailto" => {
            if !url.path().contains('@') {
                return Err((
                    format!("`{s}` is not an e-mail address"),
                    "write it as `mailto:name@example.org`".into(),
                ));
            }
            Ok(())
        }
        other => Err((
            format!("addresses starting with `{other}:` are not allowed"),
            "use an address starting with https://, http://, tel: or mailto:".into(),
        )),
    }
}

pub(super) fn url_diag(file: &SourceFile, value: &str, span: Range<usize>) -> Option<Diagnostic> {
    check_url(value)
        .err()
        .map(|(msg, hint)| file.error(Code::InvalidUrl, span, msg).with_hint(hint))
}

pub(super) fn check_text_urls(file: &SourceFile, text: &SpannedText, diags: &mut Vec<Diagnostic>) {
    for (u, span) in text.values_with_spans() {
        diags.extend(url_diag(file, u, span));
    }
}

/// Checks the addresses of a text of a `site.toml` table (whose values
/// serde gives without their own spans), pointing at the table.
pub(super) fn check_table_urls(
    file: &SourceFile,
    text: &Text,
    table: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) {
    for u in text.values() {
        diags.extend(url_diag(file, u, table.clone()));
    }
}

pub(super) fn check_phone(file: &SourceFile, phone: &Spanned<String>, diags: &mut Vec<Diagnostic>) {
    let p = phone.get_ref();
    let digits = p.chars().filter(|c| c.is_ascii_digit()).count();
    let allowed = p
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
    if digits < 3 || !allowed {
        diags.push(
            file.error(Code::InvalidPhone, phone.span(), format!("`{p}` is not a phone number"))
                .with_hint("write digits, spaces and an optional leading +, e.g. `+358 9 123 4567` or `116 117`"),
        );
    }
}

pub(super) fn check_email(file: &SourceFile, email: &Spanned<String>, diags: &mut Vec<Diagnostic>) {
    let e = email.get_ref();
    let ok = e.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !e.contains(char::is_whitespace)
    });
    if !ok {
        diags.push(
            file.error(
                Code::InvalidEmail,
                email.span(),
                format!("`{e}` is not an e-mail address"),
            )
            .with_hint("write it as `name@example.org`"),
        );
    }
}
