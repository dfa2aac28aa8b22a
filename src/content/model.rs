//! The validated content model: what a loaded site is, independent of files.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Lang, SharedStr, SiteConfig, Text, VecMap};

/// A byte range in a source file, as the parser gave it: what a finding
/// points at and what an editor replaces.
pub type Span = std::ops::Range<usize>;

/// A need-based customer segment (seed 001): a design tool, shown to the
/// public only under its label.
#[derive(Debug, Clone)]
pub struct Segment {
    /// `S1`..`S4`.
    pub id: String,
    /// Where the id stands in segments.toml, for findings and edits.
    pub id_span: Span,
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
    /// Where the id stands in topics.toml, for findings and edits.
    pub id_span: Span,
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
    /// Where the id stands in topics.toml, for findings and edits.
    pub id_span: Span,
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
    pub id_span: Span,
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
    /// Where each language's address stands in channels.toml.
    pub url_spans: VecMap<Lang, Span>,
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
    pub id_span: Span,
    /// What kind of link.
    pub kind: LinkKind,
    /// Title per language.
    pub title: Text,
    /// Where each language's title stands in links.toml.
    pub title_spans: VecMap<Lang, Span>,
    /// Address per language.
    pub url: Text,
    /// Where each language's address stands in links.toml.
    pub url_spans: VecMap<Lang, Span>,
    /// Who publishes the target (e.g. "Terveyskylä").
    pub publisher: Text,
}

/// A customer service path.
#[derive(Debug, Clone)]
pub struct ServicePath {
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
    /// Where `next_review` stands in path.toml.
    pub next_review_span: Option<Span>,
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
    /// Where the id stands in path.toml.
    pub id_span: Span,
    /// Channel ids, in order.
    pub channels: Vec<String>,
    /// Where each channel id stands in path.toml.
    pub channel_spans: Vec<Span>,
    /// Link ids, in order.
    pub links: Vec<String>,
    /// Where each link id stands in path.toml.
    pub link_spans: Vec<Span>,
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
    /// Where the front matter's values stand in the file.
    pub spans: FrontMatterSpans,
}

/// Where the values of a language file's front matter stand (each value's
/// span, its quotes included), for findings and for an editor.
#[derive(Debug, Clone, Default)]
pub struct FrontMatterSpans {
    /// `title = "…"`.
    pub title: Span,
    /// `summary = "…"`, if given.
    pub summary: Option<Span>,
    /// `translation_of = "…"`, if given.
    pub translation_of: Option<Span>,
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
    /// Where the phase heading stands (its line, without the line break).
    pub heading: Span,
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
    pub paths: Vec<Arc<ServicePath>>,
    /// The shared files as they were loaded (where they could be read), so
    /// that findings point into the same text and nothing is read twice.
    pub sources: SharedSources,
}

/// The shared files of a site as they were loaded.
#[derive(Debug, Clone, Default)]
pub struct SharedSources {
    /// `site.toml`.
    pub site: Option<crate::diagnostics::SourceFile>,
    /// `segments.toml`.
    pub segments: Option<crate::diagnostics::SourceFile>,
    /// `topics.toml`.
    pub topics: Option<crate::diagnostics::SourceFile>,
    /// `channels.toml`.
    pub channels: Option<crate::diagnostics::SourceFile>,
    /// `links.toml`.
    pub links: Option<crate::diagnostics::SourceFile>,
}

impl ServicePath {
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
    pub fn path(&self, id: &str) -> Option<&ServicePath> {
        self.paths.iter().find(|p| p.id == id).map(|p| p.as_ref())
    }
}
