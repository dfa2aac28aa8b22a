//! The schema of `content/site.toml`: languages, organisation, theme,
//! emergency numbers, plain-language limits, the accessibility statement.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Crisis, Lang, Text};

/// Site-wide settings from `content/site.toml`.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Languages in publication order; the first is the default.
    pub languages: Vec<Lang>,
    /// Absolute base URL ending in `/`.
    pub base_url: String,
    /// Site name per language.
    pub name: Text,
    /// One-sentence description per language.
    pub description: Text,
    /// The wellbeing services county that publishes the site.
    pub organisation: Organisation,
    /// General contact details.
    pub contact: Contact,
    /// Where the public sends feedback, including accessibility feedback.
    pub feedback: Feedback,
    /// Facts for the accessibility statement.
    pub accessibility: AccessibilityStatement,
    /// Thresholds and word lists of the plain-language checks.
    pub plain_language: PlainLanguage,
    /// Emergency numbers shown on every page (`[[emergency]]`).
    pub emergency: Vec<EmergencyNumber>,
    /// The county's look: logo, colours, favicon (`[brand]`).
    pub brand: Brand,
    /// Extra links in the footer of every page (`[[footer_link]]`).
    pub footer_links: Vec<FooterLink>,
    /// Where the search page sends people without JavaScript (`[search]`).
    pub search: ExternalSearch,
    /// Crisis words and the numbers the search page shows for them.
    pub crisis: Crisis,
}

/// The county's own site search, offered on the search page (`[search]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalSearch {
    /// The search page's address per language, e.g. `https://example.org/fi/haku`.
    #[serde(default)]
    pub url: Text,
    /// The name of its query parameter (default `q`).
    #[serde(default = "default_search_param")]
    pub param: String,
    /// The button's text per language, e.g. "Hae hyvinvointialueen sivustolta".
    #[serde(default)]
    pub label: Text,
}

fn default_search_param() -> String {
    "q".into()
}

/// The county's own look, from `[brand]` in site.toml.
#[derive(Debug, Clone, Default)]
pub struct Brand {
    /// The logo file, published at its path below the content folder.
    pub logo: Option<BrandFile>,
    /// What the logo says, per language (its alternative text).
    pub logo_alt: Text,
    /// Brand colour (`#rrggbb`): header, buttons, links. White text on it
    /// has at least 4.5:1 contrast, or the site does not build.
    pub color: Option<String>,
    /// Accent colour (`#rrggbb`): borders and markers, at least 3:1 on white.
    pub accent: Option<String>,
    /// The favicon file.
    pub favicon: Option<BrandFile>,
}

/// A file of the brand, read from the content folder.
#[derive(Debug, Clone)]
pub struct BrandFile {
    /// Where it is published, relative to the site root (`brand/logo.svg`).
    pub url: String,
    /// Its bytes.
    pub bytes: std::sync::Arc<Vec<u8>>,
}

/// A link in the footer of every page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FooterLink {
    /// The link text per language.
    pub text: Text,
    /// The address per language.
    pub url: Text,
}

/// A number for emergencies, reachable from every page as a `tel:` link.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmergencyNumber {
    /// The number as people dial it, e.g. `112` or `116 117`.
    pub number: String,
    /// What it is for, per language, e.g. "Hätänumero" / "Nödnumret".
    pub label: Text,
}

/// Settings of the plain-language checks (`[plain_language]` in site.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlainLanguage {
    /// Sentences longer than this many words get a hint.
    #[serde(default = "default_sentence_words")]
    pub max_sentence_words: usize,
    /// Words longer than this many letters get a hint (long compounds).
    #[serde(default = "default_word_letters")]
    pub max_word_letters: usize,
    /// Swedish texts with a higher LIX readability index get a hint.
    #[serde(default = "default_lix")]
    pub max_lix: f64,
    /// Jargon and the plain words to use instead, per language.
    #[serde(default)]
    pub jargon: BTreeMap<Lang, BTreeMap<String, String>>,
}

fn default_sentence_words() -> usize {
    20
}
fn default_word_letters() -> usize {
    25
}
fn default_lix() -> f64 {
    40.0
}

impl Default for PlainLanguage {
    fn default() -> Self {
        PlainLanguage {
            max_sentence_words: default_sentence_words(),
            max_word_letters: default_word_letters(),
            max_lix: default_lix(),
            jargon: BTreeMap::new(),
        }
    }
}

impl SiteConfig {
    /// The default language.
    pub fn default_lang(&self) -> Lang {
        self.languages[0]
    }
}

/// The publishing organisation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Name per language.
    pub name: Text,
    /// Home page per language.
    #[serde(default)]
    pub url: Text,
}

/// General contact details of the organisation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Switchboard or customer service phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Contact e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Postal or visiting address per language.
    #[serde(default)]
    pub address: Text,
}

/// The feedback channel (also for accessibility feedback).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    /// Feedback form per language.
    #[serde(default)]
    pub url: Text,
    /// Feedback e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Days within which feedback is answered (the law says 14).
    #[serde(default = "default_feedback_days")]
    pub response_days: u32,
}

fn default_feedback_days() -> u32 {
    14
}

/// Compliance with the accessibility requirements (Act 306/2019).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compliance {
    /// Fully meets the requirements.
    Full,
    /// Partially meets them.
    Partial,
    /// Does not meet them.
    None,
}

impl Compliance {
    /// Key used in translation files and templates.
    pub fn key(self) -> &'static str {
        match self {
            Compliance::Full => "full",
            Compliance::Partial => "partial",
            Compliance::None => "none",
        }
    }
}

/// Facts for the accessibility statement page.
#[derive(Debug, Clone)]
pub struct AccessibilityStatement {
    /// Compliance status.
    pub compliance: Compliance,
    /// When the statement was first prepared.
    pub prepared_on: Date,
    /// When the site was assessed.
    pub assessed_on: Date,
    /// How it was assessed, per language.
    pub method: Text,
    /// When the statement was last updated.
    pub updated_on: Date,
    /// Content that is not accessible, and why.
    pub non_accessible: Vec<NonAccessible>,
    /// Content outside the scope of the Act (306/2019): e.g. third-party
    /// content the county neither funds nor controls.
    pub out_of_scope: Vec<NonAccessible>,
    /// Content left inaccessible because fixing it would be a
    /// disproportionate burden, with the assessment behind that.
    pub disproportionate_burden: Vec<NonAccessible>,
    /// The supervising authority.
    pub authority: Authority,
}

/// One piece of non-accessible content.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NonAccessible {
    /// What is not accessible, per language.
    pub content: Text,
    /// Why (the requirement not met, or the legal exemption), per language.
    pub reason: Text,
    /// WCAG success criteria concerned, e.g. `1.2.2`.
    #[serde(default)]
    pub criteria: Vec<String>,
}

/// The authority that supervises accessibility.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    /// Name per language.
    pub name: Text,
    /// Web page per language.
    #[serde(default)]
    pub url: Text,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
}
