//! The static search index: one JSON file per language, built with the
//! site and searched in the browser by `static/search.js` (no server).
//!
//! Words are lower-cased, stemmed with the Snowball stemmer of the language
//! (rust-stemmers) and then folded (ä→a, ö→o, å→a), so that "selkäni",
//! "selkä" and "selka" meet. The browser cannot stem, so `search.js` matches
//! a query word to a stem when one begins the other, when a stem is part of
//! a compound, and with one or two typing mistakes (docs/search.md).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;

use super::markdown::to_plain_text;
use crate::content::{Lang, Site};

/// Weight of a word by where it stands.
const TITLE: u32 = 10;
const KEYWORD: u32 = 8;
const SUMMARY: u32 = 4;
const PHASE_TITLE: u32 = 4;
const INTRO: u32 = 2;
const BODY: u32 = 1;

/// One path in the index: what a result shows.
#[derive(Debug, Serialize)]
struct Doc {
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
}

/// The index of one language.
#[derive(Serialize)]
struct Index<'a> {
    /// Format version, for `search.js`.
    v: u32,
    lang: &'static str,
    docs: Vec<&'a Doc>,
    /// Term to postings: `[doc, weight, phase]`, phase -1 for the path's
    /// title, summary, keywords and intro.
    terms: BTreeMap<&'a str, Vec<(u32, u32, i32)>>,
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

/// The words of a text, lower-cased.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The index term of a word: stemmed in its language, then folded.
pub fn term(stemmer: &Stemmer, word: &str) -> String {
    fold(&stemmer.stem(word))
}

fn stemmer(lang: Lang) -> Stemmer {
    Stemmer::create(match lang {
        Lang::Fi => Algorithm::Finnish,
        Lang::Sv => Algorithm::Swedish,
    })
}

/// A term's weight in one path, and the phase where it weighs most
/// (-1: the title, summary, keywords or intro).
#[derive(Debug, Clone, Copy, Default)]
struct Posting {
    weight: u32,
    phase: i32,
    phase_weight: u32,
}

/// One path's part of a language's index: what its result shows, and its
/// terms. Paths are indexed on their own (in parallel), then merged; the
/// preview keeps the parts of paths a save did not touch.
#[derive(Debug)]
pub struct PathEntry {
    doc: Doc,
    terms: BTreeMap<String, Posting>,
}

/// Adds every term of `text` to a path's terms.
fn add(
    terms: &mut BTreeMap<String, Posting>,
    stemmer: &Stemmer,
    text: &str,
    weight: u32,
    phase: i32,
) {
    for word in words(text) {
        let entry = terms.entry(term(stemmer, &word)).or_insert(Posting {
            phase: -1,
            ..Posting::default()
        });
        entry.weight += weight;
        // The phase where the word weighs most is the one a result points
        // at; the title, summary and intro point at none.
        if phase >= 0 && weight > entry.phase_weight {
            entry.phase = phase;
            entry.phase_weight = weight;
        }
    }
}

/// The index entry of path `i` in `lang`.
fn path_entry(site: &Site, i: usize, lang: Lang, href: &str) -> PathEntry {
    let path = &site.paths[i];
    let (text, text_lang) = path.text(lang);
    // A fallback text is in another language: stem it as such.
    let stemmer = stemmer(text_lang);
    let mut terms = BTreeMap::new();
    add(&mut terms, &stemmer, &text.title, TITLE, -1);
    for keyword in &text.keywords {
        add(&mut terms, &stemmer, keyword, KEYWORD, -1);
        // Keywords are often colloquial or misspelt: keep the word as typed too.
        for word in words(keyword) {
            let entry = terms.entry(fold(&word)).or_insert(Posting {
                phase: -1,
                ..Posting::default()
            });
            entry.weight += KEYWORD;
        }
    }
    add(&mut terms, &stemmer, &text.summary, SUMMARY, -1);
    if let Some((topic, _)) = site
        .topics
        .iter()
        .find(|t| t.id == path.topic)
        .and_then(|t| t.name.resolve(lang))
    {
        add(&mut terms, &stemmer, topic, SUMMARY, -1);
    }
    add(&mut terms, &stemmer, &to_plain_text(&text.intro), INTRO, -1);
    let mut phases = Vec::new();
    for (n, phase) in path.phases.iter().enumerate() {
        let Some(pt) = text.phases.get(&phase.id) else {
            continue;
        };
        let n = n as i32;
        add(&mut terms, &stemmer, &pt.title, PHASE_TITLE, n);
        add(&mut terms, &stemmer, &to_plain_text(&pt.body), BODY, n);
        if let Some((heading, md)) = &pt.instructions {
            add(&mut terms, &stemmer, heading, BODY, n);
            add(&mut terms, &stemmer, &to_plain_text(md), BODY, n);
        }
        for md in pt.guidance.values() {
            add(&mut terms, &stemmer, &to_plain_text(md), BODY, n);
        }
        for channel in phase.channels.iter().filter_map(|id| site.channel(id)) {
            if let Some((name, _)) = channel.name.resolve(lang) {
                add(&mut terms, &stemmer, name, BODY, n);
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
        },
        terms,
    }
}

/// Merges the entries of a language, in site order, into its index file.
fn assemble(lang: Lang, entries: &[&PathEntry]) -> (String, Vec<u8>) {
    let mut terms: BTreeMap<&str, Vec<(u32, u32, i32)>> = BTreeMap::new();
    for (doc, entry) in entries.iter().enumerate() {
        for (term, p) in &entry.terms {
            terms
                .entry(term)
                .or_default()
                .push((doc as u32, p.weight, p.phase));
        }
    }
    let index = Index {
        v: 1,
        lang: lang.code(),
        docs: entries.iter().map(|e| &e.doc).collect(),
        terms,
    };
    let json = serde_json::to_vec(&index).unwrap_or_default();
    (format!("search/{}.json", lang.code()), json)
}

/// Index entries kept between preview rebuilds, by language and path id.
#[derive(Debug, Default)]
pub struct SearchCache {
    entries: HashMap<(Lang, String), Arc<PathEntry>>,
}

/// `search/<lang>.json` for every language: the published paths, with the
/// addresses `href(path index, lang)` gives. With a cache, only the paths in
/// `changed` are indexed again (`None`: all of them).
pub fn build(
    site: &Site,
    href: impl Fn(usize, Lang) -> String + Sync,
    cache: Option<&mut SearchCache>,
    changed: Option<&BTreeSet<String>>,
) -> Vec<(String, Vec<u8>)> {
    let mut fresh_cache = SearchCache::default();
    let cache = cache.unwrap_or(&mut fresh_cache);
    if changed.is_none() {
        cache.entries.clear();
    }
    let wanted: Vec<(Lang, usize)> = site
        .config
        .languages
        .iter()
        .flat_map(|&lang| (0..site.paths.len()).map(move |i| (lang, i)))
        .filter(|(lang, i)| {
            let id = &site.paths[*i].id;
            changed.is_some_and(|c| c.contains(id))
                || !cache.entries.contains_key(&(*lang, id.clone()))
        })
        .collect();
    let computed: Vec<_> = wanted
        .par_iter()
        .map(|&(lang, i)| {
            let entry = path_entry(site, i, lang, &href(i, lang));
            ((lang, site.paths[i].id.clone()), Arc::new(entry))
        })
        .collect();
    cache.entries.extend(computed);
    let ids: HashSet<&str> = site.paths.iter().map(|p| p.id.as_str()).collect();
    cache.entries.retain(|(_, id), _| ids.contains(id.as_str()));
    site.config
        .languages
        .par_iter()
        .map(|&lang| {
            let entries: Vec<&PathEntry> = site
                .paths
                .iter()
                .filter_map(|p| cache.entries.get(&(lang, p.id.clone())).map(|e| e.as_ref()))
                .collect();
            assemble(lang, &entries)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_forms_and_missing_dots_meet_in_one_term() {
        let fi = stemmer(Lang::Fi);
        assert_eq!(term(&fi, "selkä"), term(&fi, "selkää"));
        assert_eq!(fold("selkä"), "selka");
        let sv = stemmer(Lang::Sv);
        // Where the stemmer leaves an ending on, the stem still begins the
        // word, which search.js matches as an inflected form.
        assert!(term(&sv, "ryggsmärtan").starts_with(&term(&sv, "ryggsmärta")));
        assert_eq!(
            words("Kipu, kivun; ADHD-oireet").collect::<Vec<_>>(),
            ["kipu", "kivun", "adhd", "oireet"]
        );
    }
}
