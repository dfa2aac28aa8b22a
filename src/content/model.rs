//! The validated content model: what a loaded site is, independent of files.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::Date;

use super::Crisis;

/// A language the site is published in, by its ISO 639 code (`fi`, `sv`,
/// `en`, `se`, `smn`, …). Languages are data: `languages` in site.toml
/// lists them, and the theme's `i18n/<code>.toml` gives each its UI strings
/// and section addresses. Codes are interned, so a `Lang` is a copyable
/// pointer to its code.
#[derive(Clone, Copy)]
pub struct Lang(&'static str);

/// Codes seen so far (a handful per run).
static CODES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());

impl Lang {
    /// Finnish (suomi).
    pub const FI: Lang = Lang("fi");
    /// Swedish (svenska).
    pub const SV: Lang = Lang("sv");
    /// English.
    pub const EN: Lang = Lang("en");

    /// The languages of a site whose site.toml could not be read.
    pub const DEFAULT: [Lang; 2] = [Lang::FI, Lang::SV];

    /// The language with this code: two or three lower-case letters
    /// (ISO 639-1 or 639-3). `None` for anything else.
    pub fn new(code: &str) -> Option<Lang> {
        if !(2..=3).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        for known in [Lang::FI, Lang::SV, Lang::EN] {
            if known.0 == code {
                return Some(known);
            }
        }
        let mut codes = CODES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&interned) = codes.iter().find(|&&c| c == code) {
            return Some(Lang(interned));
        }
        let interned: &'static str = Box::leak(code.to_string().into_boxed_str());
        codes.push(interned);
        Some(Lang(interned))
    }

    /// The BCP 47 code used in `lang`, `hreflang` and URLs.
    pub fn code(self) -> &'static str {
        self.0
    }

    /// The language's English name, for diagnostics (the code itself for a
    /// language polku has no name for).
    pub fn english_name(self) -> &'static str {
        match self.0 {
            "fi" => "Finnish",
            "sv" => "Swedish",
            "en" => "English",
            "se" => "Northern Sami",
            "smn" => "Inari Sami",
            "sms" => "Skolt Sami",
            "ru" => "Russian",
            "et" => "Estonian",
            "uk" => "Ukrainian",
            "so" => "Somali",
            "ar" => "Arabic",
            "fa" => "Persian",
            "de" => "German",
            "fr" => "French",
            "es" => "Spanish",
            other => other,
        }
    }
}

impl PartialEq for Lang {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for Lang {}

impl PartialOrd for Lang {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Lang {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(other.0)
    }
}

impl std::hash::Hash for Lang {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({})", self.0)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Lang::new(&code).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{code}` is not a language code (two or three lower-case letters, e.g. `fi`, `sv`, `en`)"
            ))
        })
    }
}

/// A short text given per language in TOML (`name.fi`, `name.sv`,
/// `name.en`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(VecMap<Lang, String>);

impl Text {
    /// The text in `lang`, if given and not blank.
    pub fn get(&self, lang: Lang) -> Option<&str> {
        self.0
            .get(&lang)
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
    }

    /// Sets the text in `lang`.
    pub fn set(&mut self, lang: Lang, text: String) {
        self.0.insert(lang, text);
    }

    /// Every language's text, in code order.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.0.values().map(String::as_str)
    }

    /// The languages the text is given in.
    pub fn langs(&self) -> impl Iterator<Item = Lang> + '_ {
        self.0.keys().copied()
    }

    /// The text in `lang`, falling back to the site's source language,
    /// then Finnish, then Swedish, then any language it has. Returns the
    /// language actually used so templates can mark it with `lang`.
    pub fn resolve(&self, lang: Lang, source: Lang) -> Option<(&str, Lang)> {
        [lang, source]
            .into_iter()
            .chain(Lang::DEFAULT)
            .find_map(|l| self.get(l).map(|t| (t, l)))
            .or_else(|| self.langs().find_map(|l| self.get(l).map(|t| (t, l))))
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (lang, text) in self.0.iter() {
            map.serialize_entry(lang.code(), text)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<Lang, String>::deserialize(d)?;
        Ok(Text(raw.into_iter().collect()))
    }
}

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

/// A need-based customer segment (seed 001): a design tool, shown to the
/// public only under its label.
#[derive(Debug, Clone)]
pub struct Segment {
    /// `S1`..`S4`.
    pub id: String,
    /// Internal name (e.g. "Nopeus"); never published.
    pub name: String,
    /// Public-facing label per language ("Haluan apua nopeasti").
    pub label: Text,
    /// Short public description per language.
    pub description: Text,
}

/// A life situation or service area that groups paths on the home page.
#[derive(Debug, Clone)]
pub struct Topic {
    /// Stable id referenced from `path.toml`.
    pub id: String,
    /// Name per language.
    pub name: Text,
    /// Optional short description per language.
    pub description: Text,
    /// Optional icon: the id of a symbol in the theme's `static/icons.svg`.
    pub icon: Option<String>,
}

/// A target group of paths (adults, young people, relatives...).
#[derive(Debug, Clone)]
pub struct Audience {
    /// Stable id referenced from `path.toml`.
    pub id: String,
    /// Name per language.
    pub name: Text,
}

/// What kind of service channel a channel is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChannelKind {
    /// Phone service.
    Phone,
    /// Call-back request.
    Callback,
    /// Chat.
    Chat,
    /// Non-urgent message (kiireetön viesti).
    Message,
    /// Electronic form.
    Form,
    /// The county's digital platform or an app (e.g. Lunna).
    Platform,
    /// Video appointment.
    Video,
    /// Text message.
    Sms,
    /// E-mail.
    Email,
    /// Online booking.
    Booking,
    /// Walk-in without an appointment.
    WalkIn,
    /// A service location to visit by appointment.
    Location,
    /// A mobile service that comes to the customer.
    Mobile,
    /// Emergency number.
    Emergency,
    /// Symptom check or self-assessment.
    SelfAssessment,
    /// Self-care programme.
    SelfCare,
    /// Peer support or third-sector service.
    PeerSupport,
}

impl ChannelKind {
    /// Every kind, in the order used in documentation and error hints.
    pub const ALL: [ChannelKind; 17] = [
        ChannelKind::Phone,
        ChannelKind::Callback,
        ChannelKind::Chat,
        ChannelKind::Message,
        ChannelKind::Form,
        ChannelKind::Platform,
        ChannelKind::Video,
        ChannelKind::Sms,
        ChannelKind::Email,
        ChannelKind::Booking,
        ChannelKind::WalkIn,
        ChannelKind::Location,
        ChannelKind::Mobile,
        ChannelKind::Emergency,
        ChannelKind::SelfAssessment,
        ChannelKind::SelfCare,
        ChannelKind::PeerSupport,
    ];

    /// The kebab-case key used in TOML, translation files and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            ChannelKind::Phone => "phone",
            ChannelKind::Callback => "callback",
            ChannelKind::Chat => "chat",
            ChannelKind::Message => "message",
            ChannelKind::Form => "form",
            ChannelKind::Platform => "platform",
            ChannelKind::Video => "video",
            ChannelKind::Sms => "sms",
            ChannelKind::Email => "email",
            ChannelKind::Booking => "booking",
            ChannelKind::WalkIn => "walk-in",
            ChannelKind::Location => "location",
            ChannelKind::Mobile => "mobile",
            ChannelKind::Emergency => "emergency",
            ChannelKind::SelfAssessment => "self-assessment",
            ChannelKind::SelfCare => "self-care",
            ChannelKind::PeerSupport => "peer-support",
        }
    }
}

/// A weekday, for opening hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// Monday to Sunday.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// Three-letter key used in TOML and translation files.
    pub fn key(self) -> &'static str {
        match self {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        }
    }

    /// Parses a three-letter key.
    pub fn from_key(key: &str) -> Option<Weekday> {
        Weekday::ALL.into_iter().find(|d| d.key() == key)
    }
}

/// One opening-hours rule: a run of weekdays with the same hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningHours {
    /// First day of the run.
    pub from: Weekday,
    /// Last day of the run (same as `from` for a single day).
    pub to: Weekday,
    /// Opening time, `HH:MM`.
    pub opens: String,
    /// Closing time, `HH:MM`.
    pub closes: String,
}

/// How soon a channel answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResponseTime {
    /// How many units.
    pub amount: u32,
    /// `minutes`, `hours`, `days` or `workdays`.
    pub unit: ResponseUnit,
}

/// Unit of a response time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResponseUnit {
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// Calendar days.
    Days,
    /// Working days.
    Workdays,
}

impl ResponseUnit {
    /// Key used in translation files.
    pub fn key(self) -> &'static str {
        match self {
            ResponseUnit::Minutes => "minutes",
            ResponseUnit::Hours => "hours",
            ResponseUnit::Days => "days",
            ResponseUnit::Workdays => "workdays",
        }
    }
}

/// A service channel, defined once and referenced from phases by id.
#[derive(Debug, Clone)]
pub struct Channel {
    /// Stable id.
    pub id: String,
    /// Where the id stands in channels.toml (bytes), for findings and edits.
    pub id_span: std::ops::Range<usize>,
    /// What kind of channel.
    pub kind: ChannelKind,
    /// Name per language.
    pub name: Text,
    /// A sentence on what the channel is for, per language.
    pub description: Text,
    /// Phone number (phone, callback, SMS, emergency).
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Web address per language.
    pub url: Text,
    /// Street address per language (walk-in, location).
    pub address: Text,
    /// Opening hours, in order.
    pub hours: Vec<OpeningHours>,
    /// Free-text note on hours per language (holidays, exceptions).
    pub hours_note: Text,
    /// Whether strong electronic identification is needed.
    pub strong_auth: bool,
    /// Whether the customer can stay anonymous.
    pub anonymous: bool,
    /// Expected response time.
    pub response_time: Option<ResponseTime>,
    /// Languages the service is given in (ISO 639-1 codes).
    pub languages: Vec<String>,
    /// Accessibility notes per language.
    pub accessibility: Text,
    /// URL slug per language.
    pub slug: BTreeMap<Lang, String>,
    /// The action a card leads with (`primary`); `None`: the kind's own.
    pub primary: Option<PrimaryAction>,
}

/// How a channel card invites people to reach the service
/// (`primary = "phone"` in channels.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrimaryAction {
    /// Call its phone number.
    Phone,
    /// Send a text message to its number.
    Sms,
    /// Open its web address.
    Web,
    /// Write to its e-mail address.
    Email,
}

impl PrimaryAction {
    /// The name used in channels.toml.
    pub fn key(self) -> &'static str {
        match self {
            PrimaryAction::Phone => "phone",
            PrimaryAction::Sms => "sms",
            PrimaryAction::Web => "web",
            PrimaryAction::Email => "email",
        }
    }
}

/// What kind of curated link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// Trustworthy information.
    Information,
    /// Self-care material or programme.
    SelfCare,
    /// Peer support.
    PeerSupport,
    /// Third-sector organisation.
    ThirdSector,
    /// A form to fill in.
    Form,
    /// Care guideline (Käypä hoito) and similar.
    Guideline,
}

impl LinkKind {
    /// Every kind, in the order links are grouped on a page.
    pub const ALL: [LinkKind; 6] = [
        LinkKind::Information,
        LinkKind::SelfCare,
        LinkKind::PeerSupport,
        LinkKind::ThirdSector,
        LinkKind::Form,
        LinkKind::Guideline,
    ];

    /// Kebab-case key used in TOML and translation files.
    pub fn key(self) -> &'static str {
        match self {
            LinkKind::Information => "information",
            LinkKind::SelfCare => "self-care",
            LinkKind::PeerSupport => "peer-support",
            LinkKind::ThirdSector => "third-sector",
            LinkKind::Form => "form",
            LinkKind::Guideline => "guideline",
        }
    }
}

/// A curated link, defined once and referenced from phases by id.
#[derive(Debug, Clone)]
pub struct Link {
    /// Stable id.
    pub id: String,
    /// Where the id stands in links.toml (bytes), for findings and edits.
    pub id_span: std::ops::Range<usize>,
    /// What kind of link.
    pub kind: LinkKind,
    /// Title per language.
    pub title: Text,
    /// Address per language.
    pub url: Text,
    /// Who publishes the target (e.g. "Terveyskylä").
    pub publisher: Text,
}

/// A customer service path.
#[derive(Debug, Clone)]
pub struct Path {
    /// Stable id: the folder name.
    pub id: String,
    /// Folder of the path.
    pub dir: PathBuf,
    /// Topic id.
    pub topic: String,
    /// Target group ids.
    pub audiences: Vec<String>,
    /// Who keeps the content up to date, per language.
    pub owner: Text,
    /// When the content was last reviewed.
    pub last_reviewed: Option<Date>,
    /// When it must be reviewed next.
    pub next_review: Option<Date>,
    /// Show the emergency notice (112 / 116 117).
    pub emergency: bool,
    /// A draft: shown by `polku serve` with a badge, left out of `polku build`.
    pub draft: bool,
    /// Ids of related paths.
    pub related: Vec<String>,
    /// Channels to reach at once (`urgent`), shown above the first phase.
    pub urgent: Vec<String>,
    /// Phases in order: their language-independent structure.
    pub phases: Vec<Phase>,
    /// The prose per language.
    pub texts: VecMap<Lang, PathText>,
    /// The site's source language: what a missing translation shows.
    pub source_lang: Lang,
    /// The files as loaded (normalised), shared with the diagnostics, so
    /// that the editorial checks need not read them again.
    pub sources: PathSources,
}

/// The source files of a path, as loaded.
#[derive(Debug, Clone)]
pub struct PathSources {
    /// `path.toml`.
    pub toml: crate::diagnostics::SourceFile,
    /// `fi.md`, `sv.md`, … where they could be read.
    pub texts: VecMap<Lang, crate::diagnostics::SourceFile>,
}

/// A phase's language-independent structure.
#[derive(Debug, Clone)]
pub struct Phase {
    /// Stable id, also the URL fragment.
    pub id: String,
    /// Channel ids, in order.
    pub channels: Vec<String>,
    /// Link ids, in order.
    pub links: Vec<String>,
}

/// A path's prose in one language, from `fi.md` or `sv.md`.
#[derive(Debug, Clone)]
pub struct PathText {
    /// The Markdown file.
    pub file: PathBuf,
    /// Title (the page's h1).
    pub title: String,
    /// One- or two-sentence summary for lists and meta description.
    pub summary: String,
    /// URL slug.
    pub slug: String,
    /// Markdown before the first phase.
    pub intro: SharedStr,
    /// Phase texts, keyed by phase id.
    pub phases: VecMap<String, PhaseText>,
    /// Fingerprint of the source-language text this translation was last
    /// confirmed against (`translation_of` in the front matter).
    pub translation_of: Option<String>,
    /// Search keywords (`keywords` in the front matter): never shown.
    pub keywords: Vec<String>,
}

/// A phase's prose in one language.
#[derive(Debug, Clone)]
pub struct PhaseText {
    /// Heading of the phase.
    pub title: String,
    /// Markdown body.
    pub body: SharedStr,
    /// Heading and Markdown of the "what you do" instructions, if any.
    pub instructions: Option<(String, SharedStr)>,
    /// Markdown guidance per segment id.
    pub guidance: VecMap<String, SharedStr>,
    /// 1-based line of the phase heading.
    pub line: usize,
}

/// A whole loaded and validated site.
#[derive(Debug, Clone)]
pub struct Site {
    /// The content folder it was loaded from.
    pub root: PathBuf,
    /// Site settings.
    pub config: SiteConfig,
    /// Segments S1..S4 in order.
    pub segments: Vec<Segment>,
    /// Topics in display order.
    pub topics: Vec<Topic>,
    /// Target groups.
    pub audiences: Vec<Audience>,
    /// Service channels.
    pub channels: Vec<Channel>,
    /// Curated links.
    pub links: Vec<Link>,
    /// Paths, sorted by id; shared so that a preview rebuild can reuse the
    /// paths that did not change without copying them.
    pub paths: Vec<Arc<Path>>,
}

impl Path {
    /// The path's text in `lang`, or for a missing translation the source
    /// language's (or, should that be missing too, any), with the language
    /// actually used.
    pub fn text(&self, lang: Lang) -> (&PathText, Lang) {
        match self.texts.get(&lang).map(|t| (t, lang)).or_else(|| {
            self.texts
                .get(&self.source_lang)
                .map(|t| (t, self.source_lang))
        }) {
            Some(found) => found,
            None => {
                let (l, t) = self
                    .texts
                    .iter()
                    .next()
                    .expect("a loaded path has at least one text");
                (t, *l)
            }
        }
    }
}

impl Site {
    /// Looks a channel up by id.
    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.id == id)
    }

    /// Looks a link up by id.
    pub fn link(&self, id: &str) -> Option<&Link> {
        self.links.iter().find(|l| l.id == id)
    }

    /// Looks a path up by id.
    pub fn path(&self, id: &str) -> Option<&Path> {
        self.paths.iter().find(|p| p.id == id).map(|p| p.as_ref())
    }
}

/// A small map kept as a sorted vector: the same order and lookups as a
/// `BTreeMap`, without its 11-slot nodes. A site holds one per phase
/// (guidance), per language (texts) and per path (phases); as `BTreeMap`s
/// they took more memory than the text they held (issue #12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VecMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap(Vec::new())
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        VecMap(Vec::new())
    }

    fn find<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.0.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value at `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).is_ok()
    }

    /// Sets the value at `key`, returning the previous one.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.iter().map(|(k, _)| k)
    }

    /// Values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    /// Like `BTreeMap`'s: sorted, and the last of equal keys wins.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = VecMap::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map.0.shrink_to_fit();
        map
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Ord + std::borrow::Borrow<Q>, V, Q: Ord + ?Sized> std::ops::Index<&Q> for VecMap<K, V> {
    type Output = V;
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry for the key in VecMap")
    }
}

/// A piece of a loaded source file's text, sharing the file's buffer: the
/// Markdown of phases, instructions and guidance is kept once, in the
/// source, not copied into the model (issue #12: half the memory at 10,000
/// paths). Reads as a `str`.
#[derive(Clone)]
pub struct SharedStr {
    source: std::sync::Arc<str>,
    start: usize,
    end: usize,
}

impl SharedStr {
    /// `source[range]`, trimmed of surrounding whitespace. The range must
    /// lie on character boundaries.
    pub fn trimmed(source: &std::sync::Arc<str>, range: std::ops::Range<usize>) -> SharedStr {
        let whole = &source[range.clone()];
        let trimmed = whole.trim();
        let start = range.start + (trimmed.as_ptr() as usize - whole.as_ptr() as usize);
        SharedStr {
            source: source.clone(),
            start,
            end: start + trimmed.len(),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.source[self.start..self.end]
    }
}

impl Default for SharedStr {
    fn default() -> Self {
        SharedStr::from("")
    }
}

impl From<&str> for SharedStr {
    fn from(text: &str) -> Self {
        SharedStr {
            source: text.into(),
            start: 0,
            end: text.len(),
        }
    }
}

impl From<String> for SharedStr {
    fn from(text: String) -> Self {
        SharedStr::from(text.as_str())
    }
}

impl std::ops::Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for SharedStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for SharedStr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
