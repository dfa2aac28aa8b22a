//! Languages and texts given per language: a `Lang` is an interned ISO 639
//! code, a `Text` one short text in each language the site has.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::VecMap;

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

/// A [`Text`] as read from TOML, with the place of each language's value in
/// the file, for findings and for an editor that replaces one value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpannedText {
    /// The texts.
    pub text: Text,
    /// Byte span of each language's value (its quotes included).
    pub spans: VecMap<Lang, std::ops::Range<usize>>,
}

impl SpannedText {
    /// Where the value in `lang` is, if given.
    pub fn span(&self, lang: Lang) -> Option<std::ops::Range<usize>> {
        self.spans.get(&lang).cloned()
    }

    /// Each given language's value with its span.
    pub fn values_with_spans(&self) -> impl Iterator<Item = (&str, std::ops::Range<usize>)> {
        self.spans
            .iter()
            .filter_map(|(lang, span)| self.text.get(*lang).map(|t| (t, span.clone())))
    }
}

impl<'de> Deserialize<'de> for SpannedText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<Lang, toml::Spanned<String>>::deserialize(d)?;
        let mut out = SpannedText::default();
        for (lang, value) in raw {
            out.spans.insert(lang, value.span());
            out.text.set(lang, value.into_inner());
        }
        Ok(out)
    }
}
