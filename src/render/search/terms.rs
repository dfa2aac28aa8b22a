//! From a path's texts to its part of the index: words stemmed and folded,
//! each with its weight, its best phase and the fields it stands in; and
//! what a result shows (`Doc`).

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::stop_words;
use crate::content::{Lang, Site};
use crate::render::markdown::PathProse;

/// Where a word stands: its weight (summed over its occurrences), and the
/// bit of the field it stands in. `search.js` ranks by the best field a
/// term is in (a title match above any number of body matches) and uses
/// the summed weight only between paths that tie on that.
#[derive(Clone, Copy)]
struct Field {
    weight: u32,
    bit: u8,
}

const TITLE: Field = Field { weight: 10, bit: 1 };
const KEYWORD: Field = Field { weight: 8, bit: 2 };
const SUMMARY: Field = Field { weight: 4, bit: 4 };
const PHASE_TITLE: Field = Field { weight: 4, bit: 8 };
const INTRO: Field = Field { weight: 2, bit: 16 };
const BODY: Field = Field { weight: 1, bit: 32 };
const CHANNEL_NAME: Field = Field { weight: 1, bit: 64 };

/// One path in the index: what a result shows.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Doc {
    /// The path's id.
    i: String,
    /// Title.
    t: String,
    /// Address.
    u: String,
    /// Summary.
    s: String,
    /// Phases: anchor id and title.
    p: Vec<(String, String)>,
    /// The language of the texts when it is not the index's (a fallback).
    #[serde(skip_serializing_if = "Option::is_none")]
    l: Option<&'static str>,
    /// How directly the path offers a crisis number of site.toml (other
    /// than 112 and the emergency strip's): 2 as an urgent contact, 1 in a
    /// phase, 0 (left out) not at all. A crisis
    /// query ranks such paths first (`search.js`).
    #[serde(skip_serializing_if = "is_zero")]
    c: u8,
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

/// The digits of a phone number as dialled in Finland: "+358 9 2525 0111"
/// and "09 2525 0111" are the same line.
fn digits(phone: &str) -> String {
    let all: String = phone.chars().filter(char::is_ascii_digit).collect();
    let international = phone.trim_start().starts_with('+') || all.starts_with("00358");
    match all
        .strip_prefix("00358")
        .or_else(|| all.strip_prefix("358"))
    {
        Some(rest) if international => format!("0{rest}"),
        _ => all,
    }
}

/// [`Doc::c`] of `path`. The numbers of the emergency strip (112, 116 117)
/// do not count: every path may offer them, a crisis path offers more.
fn crisis_contact(site: &Site, path: &crate::content::ServicePath) -> u8 {
    let everyday: Vec<String> = site
        .config
        .emergency
        .iter()
        .map(|e| digits(&e.number))
        .collect();
    let crisis: Vec<String> = site
        .config
        .crisis
        .contacts
        .iter()
        .map(|c| digits(&c.number))
        .filter(|n| !everyday.contains(n) && n != "112")
        .collect();
    let offers = |id: &String| {
        site.channel(id)
            .and_then(|c| c.phone.as_deref())
            .is_some_and(|p| crisis.contains(&digits(p)))
    };
    if path.urgent.iter().any(offers) {
        2
    } else if path.phases.iter().flat_map(|p| &p.channels).any(offers) {
        1
    } else {
        0
    }
}

/// Folds the letters people often type without their dots and rings.
pub fn fold(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'ä' | 'å' | 'á' | 'à' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            'í' => 'i',
            c => c,
        })
        .collect()
}

/// The words of a text, as written.
fn word_slices(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !crate::content::is_alphanumeric(c))
        .filter(|w| !w.is_empty())
}

/// The words of a text, lower-cased.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    word_slices(text).map(str::to_lowercase)
}

/// The index term of a word: stemmed in its language, then folded.
/// Without a stemmer for the language, the word itself, folded.
pub fn term(stemmer: Option<&Stemmer>, word: &str) -> String {
    match stemmer {
        Some(stemmer) => fold(&stemmer.stem(word)),
        None => fold(word),
    }
}

/// The Snowball stemmer of a language, where rust-stemmers has one.
fn stemmer(lang: Lang) -> Option<Stemmer> {
    let algorithm = match lang.code() {
        "fi" => Algorithm::Finnish,
        "sv" => Algorithm::Swedish,
        "en" => Algorithm::English,
        "da" => Algorithm::Danish,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "de" => Algorithm::German,
        "nl" => Algorithm::Dutch,
        "fr" => Algorithm::French,
        "es" => Algorithm::Spanish,
        "pt" => Algorithm::Portuguese,
        "it" => Algorithm::Italian,
        "ro" => Algorithm::Romanian,
        "hu" => Algorithm::Hungarian,
        "ru" => Algorithm::Russian,
        "el" => Algorithm::Greek,
        "tr" => Algorithm::Turkish,
        "ar" => Algorithm::Arabic,
        "ta" => Algorithm::Tamil,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// A term's weight in one path, and the phase where it weighs most
/// (-1: the title, summary, keywords or intro).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Posting {
    pub(super) weight: u32,
    pub(super) phase: i32,
    phase_weight: u32,
    /// The bits of the fields the term stands in.
    pub(super) fields: u8,
}

/// One path's part of a language's index: what its result shows, and its
/// terms. Paths are indexed on their own (in parallel), then merged; the
/// preview keeps the parts of paths a save did not touch.
#[derive(Debug)]
pub struct PathEntry {
    pub(super) doc: Doc,
    pub(super) terms: FxHashMap<String, Posting>,
}

thread_local! {
    /// Word (as written) to index term, per stemming language: real texts
    /// repeat their words, and stemming is most of the indexing time.
    static TERM_CACHE: std::cell::RefCell<HashMap<Lang, FxHashMap<String, String>>> =
        std::cell::RefCell::new(HashMap::new());
}

/// Beyond this many cached words per language and thread the cache starts
/// over, so that memory stays bounded on any site.
const TERM_CACHE_MAX: usize = 50_000;

/// Calls `f` with the index term of every word of `text` that is not a
/// stop word of `lang`.
fn for_each_term(lang: Lang, stemmer: Option<&Stemmer>, text: &str, mut f: impl FnMut(&str)) {
    TERM_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let cache = cache.entry(lang).or_default();
        for word in word_slices(text) {
            if let Some(term) = cache.get(word) {
                if !term.is_empty() {
                    f(term);
                }
                continue;
            }
            let lower = word.to_lowercase();
            // A stop word is cached as the empty term.
            let term = if stop_words(lang).contains(&lower.as_str()) {
                String::new()
            } else {
                self::term(stemmer, &lower)
            };
            if !term.is_empty() {
                f(&term);
            }
            if cache.len() >= TERM_CACHE_MAX {
                cache.clear();
            }
            cache.insert(word.to_string(), term);
        }
    });
}

/// The terms of one path being indexed.
struct Terms {
    lang: Lang,
    stemmer: Option<Stemmer>,
    terms: FxHashMap<String, Posting>,
}

impl Terms {
    /// Adds every term of `text`, standing in `field`, in phase `phase`.
    fn add(&mut self, text: &str, field: Field, phase: i32) {
        let Field { weight, bit } = field;
        let terms = &mut self.terms;
        for_each_term(self.lang, self.stemmer.as_ref(), text, |term| {
            let entry = match terms.get_mut(term) {
                Some(entry) => entry,
                None => terms.entry(term.to_string()).or_insert(Posting {
                    phase: -1,
                    ..Posting::default()
                }),
            };
            entry.weight += weight;
            entry.fields |= bit;
            // The phase where the word weighs most is the one a result
            // points at; the title, summary and intro point at none.
            if phase >= 0 && weight > entry.phase_weight {
                entry.phase = phase;
                entry.phase_weight = weight;
            }
        });
    }
}

/// The index entry of path `i` in `lang`, from its rendered prose.
pub fn path_entry(site: &Site, i: usize, lang: Lang, href: &str, prose: &PathProse) -> PathEntry {
    let path = &site.paths[i];
    let (text, text_lang) = path.text(lang);
    // A fallback text is in another language: stem it as such.
    let mut terms = Terms {
        lang: text_lang,
        stemmer: stemmer(text_lang),
        terms: FxHashMap::default(),
    };
    terms.add(&text.title, TITLE, -1);
    for keyword in &text.keywords {
        terms.add(keyword, KEYWORD, -1);
        // Keywords are often colloquial or misspelt: keep the word as typed too.
        for word in words(keyword).filter(|w| !stop_words(text_lang).contains(&w.as_str())) {
            let entry = terms.terms.entry(fold(&word)).or_insert(Posting {
                phase: -1,
                ..Posting::default()
            });
            entry.weight += KEYWORD.weight;
            entry.fields |= KEYWORD.bit;
        }
    }
    terms.add(&text.summary, SUMMARY, -1);
    if let Some((topic, _)) = site
        .topics
        .iter()
        .find(|t| t.id == path.topic)
        .and_then(|t| t.name.resolve(lang, site.config.default_lang()))
    {
        terms.add(topic, SUMMARY, -1);
    }
    terms.add(&prose.intro.text, INTRO, -1);
    let mut phases = Vec::new();
    for (n, phase) in path.phases.iter().enumerate() {
        let (Some(pt), Some(rendered)) = (text.phases.get(&phase.id), &prose.phases[n]) else {
            continue;
        };
        let n = n as i32;
        terms.add(&pt.title, PHASE_TITLE, n);
        terms.add(&rendered.body.text, BODY, n);
        if let Some((heading, p)) = &rendered.instructions {
            terms.add(heading, BODY, n);
            terms.add(&p.text, BODY, n);
        }
        for g in rendered.guidance.iter().flatten() {
            terms.add(&g.text, BODY, n);
        }
        for channel in phase.channels.iter().filter_map(|id| site.channel(id)) {
            if let Some((name, _)) = channel.name.resolve(lang, site.config.default_lang()) {
                terms.add(name, CHANNEL_NAME, n);
            }
        }
        phases.push((phase.id.clone(), pt.title.clone()));
    }
    PathEntry {
        doc: Doc {
            i: path.id.clone(),
            t: text.title.clone(),
            u: href.to_string(),
            s: text.summary.clone(),
            p: phases,
            l: (text_lang != lang).then(|| text_lang.code()),
            c: crisis_contact(site, path),
        },
        terms: terms.terms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_the_same_in_national_and_international_form() {
        assert_eq!(digits("+358 9 2525 0111"), digits("09 2525 0111"));
        assert_eq!(digits("00358 9 2525 0111"), "0925250111");
        assert_eq!(digits("116 117"), "116117");
        // A national number that happens to begin with 358 stays as it is.
        assert_eq!(digits("358 123"), "358123");
    }

    #[test]
    fn inflected_forms_and_missing_dots_meet_in_one_term() {
        let fi = stemmer(Lang::FI);
        let fi = fi.as_ref();
        assert_eq!(term(fi, "selkä"), term(fi, "selkää"));
        assert_eq!(fold("selkä"), "selka");
        let sv = stemmer(Lang::SV);
        let sv = sv.as_ref();
        // Where the stemmer leaves an ending on, the stem still begins the
        // word, which search.js matches as an inflected form.
        assert!(term(sv, "ryggsmärtan").starts_with(&term(sv, "ryggsmärta")));
        assert_eq!(
            words("Kipu, kivun; ADHD-oireet").collect::<Vec<_>>(),
            ["kipu", "kivun", "adhd", "oireet"]
        );
    }
}
