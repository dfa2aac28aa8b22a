//! The stable codes of every diagnostic polku reports, in one list.
//!
//! A code is part of the contract with scripts and CI (`polku check
//! --format json`, docs/check-json.md and docs/content-format.md): it never
//! changes once published. The enum makes a misspelt code a compile error
//! and lets a test compare the list with the documentation.

use std::fmt;

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $name:ident => $text:literal,)*) => {
        /// A diagnostic's stable, machine-readable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $name,)*
        }

        impl Code {
            /// Every code, in the order of this list.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// The code as written in output and docs, e.g. `unknown-reference`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $text,)*
                }
            }
        }
    };
}

codes! {
    // Reading files.
    /// A file or folder could not be read or written.
    Io => "io",
    /// A file that is not valid UTF-8 text.
    Encoding => "encoding",
    /// A file or folder could not be read.
    NotAFile => "not-a-file",
    /// A source file is larger than polku reads.
    FileTooLarge => "file-too-large",
    /// A control character or a character that hides text.
    ControlCharacter => "control-character",
    /// A required file is missing.
    MissingFile => "missing-file",
    /// A path folder with no content at all.
    MissingContent => "missing-content",
    /// The configured theme folder does not exist.
    MissingTheme => "missing-theme",
    /// A theme or static file is a link to something outside its folder.
    LinkOutsideTheme => "link-outside-theme",
    /// A template of the theme that cannot be parsed or rendered.
    Template => "template",
    /// A content file is a link to something outside `content/`.
    LinkOutsideContent => "link-outside-content",

    // TOML and front matter.
    /// The TOML cannot be parsed.
    TomlSyntax => "toml-syntax",
    /// A required key is missing.
    MissingField => "missing-field",
    /// A key polku does not know (often a typo).
    UnknownField => "unknown-field",
    /// A value of the wrong type or outside its allowed values.
    InvalidValue => "invalid-value",
    /// A Markdown file without its `+++` front matter.
    MissingFrontMatter => "missing-front-matter",
    /// A title that is empty.
    EmptyTitle => "empty-title",

    // Ids, addresses and references.
    /// An id that is not lowercase letters, digits and hyphens.
    InvalidId => "invalid-id",
    /// The same id twice.
    DuplicateId => "duplicate-id",
    /// A page address that is not a valid slug.
    InvalidSlug => "invalid-slug",
    /// A page address longer than allowed.
    SlugTooLong => "slug-too-long",
    /// Two pages with the same address.
    DuplicateSlug => "duplicate-slug",
    /// A reference to a channel, link, topic or phase that does not exist.
    UnknownReference => "unknown-reference",
    /// A web address that cannot be used.
    InvalidUrl => "invalid-url",
    /// A phone number that cannot be dialled.
    InvalidPhone => "invalid-phone",
    /// An email address that cannot be used.
    InvalidEmail => "invalid-email",
    /// A date that is not `YYYY-MM-DD` or does not exist.
    InvalidDate => "invalid-date",
    /// A colour too pale against white.
    LowContrast => "low-contrast",

    // Markdown structure.
    /// A phase heading without its `{#id}`.
    PhaseWithoutId => "phase-without-id",
    /// A phase of `path.toml` with no section in a language file.
    MissingPhase => "missing-phase",
    /// The same section twice in one file.
    DuplicateSection => "duplicate-section",
    /// A level-1 heading, or text before the first phase.
    HeadingStructure => "heading-structure",
    /// A heading that skips a level.
    HeadingSkipsLevel => "heading-skips-level",
    /// An image without alternative text.
    ImageWithoutAlt => "image-without-alt",

    // Translations.
    /// A text is missing in one language.
    MissingTranslation => "missing-translation",
    /// The source text changed after the translation was confirmed.
    StaleTranslation => "stale-translation",
    /// An XLIFF file that is not well-formed XML.
    XliffSyntax => "xliff-syntax",
    /// An XLIFF file whose structure polku cannot read.
    XliffStructure => "xliff-structure",
    /// An XLIFF file for a language pair the site does not have.
    XliffLanguage => "xliff-language",
    /// A translated unit that lost or changed a protected code.
    XliffInlineCode => "xliff-inline-code",
    /// A unit whose id names no text of the site.
    XliffUnknownUnit => "xliff-unknown-unit",
    /// A `<file>` whose original names no path of the site.
    XliffUnknownFile => "xliff-unknown-file",
    /// The source text changed after the export.
    XliffSourceChanged => "xliff-source-changed",

    // Freshness.
    /// The review date has passed.
    ReviewOverdue => "review-overdue",
    /// No review date.
    MissingReviewDate => "missing-review-date",
    /// No owner.
    MissingOwner => "missing-owner",

    // Plain language.
    /// A sentence longer than the limit.
    PlainLanguageSentence => "plain-language-sentence",
    /// A word longer than the limit.
    PlainLanguageWord => "plain-language-word",
    /// A text above the readability limit.
    PlainLanguageLix => "plain-language-lix",
    /// A word from the jargon list.
    PlainLanguageJargon => "plain-language-jargon",

    // Links.
    /// Link text such as "click here".
    VagueLinkText => "vague-link-text",
    /// An address shown as the link text.
    BareUrlLink => "bare-url-link",
    /// The same link twice in one phase.
    DuplicateLink => "duplicate-link",
    /// An `http:` address.
    InsecureUrl => "insecure-url",
    /// With `--external`: the address redirects.
    ExternalLinkMoved => "external-link-moved",
    /// With `--external`: the address answers 4xx or 5xx.
    ExternalLinkBroken => "external-link-broken",
    /// With `--external`: the address cannot be reached in time.
    ExternalLinkUnreachable => "external-link-unreachable",
    /// A phone number written as plain text instead of a link.
    PlainPhoneNumber => "plain-phone-number",

    // Coverage.
    /// A phase that offers no channel.
    PhaseWithoutChannel => "phase-without-channel",
    /// A phase without guidance for a segment.
    MissingGuidance => "missing-guidance",
    /// A channel no path uses.
    UnusedChannel => "unused-channel",
    /// A link no path uses.
    UnusedLink => "unused-link",
    /// A topic no path is in.
    EmptyTopic => "empty-topic",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
