//! The static search index: one JSON file per language, built with the
//! site and searched in the browser by `static/search.js` (no server).
//!
//! Words are lower-cased, stemmed with the Snowball stemmer of the language
//! (rust-stemmers) and then folded (ä→a, ö→o, å→a), so that "selkäni",
//! "selkä" and "selka" meet. The browser cannot stem, so `search.js` matches
//! a query word to a stem when one begins the other, when a stem is part of
//! a compound, and with one or two typing mistakes (docs/search.md).

use std::collections::BTreeMap;

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
#[derive(Serialize)]
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
struct Index {
    /// Format version, for `search.js`.
    v: u32,
    lang: &'static str,
    docs: Vec<Doc>,
    /// Term to postings: `[doc, weight, phase]`, phase -1 for the path's
    /// title, summary, keywords and intro.
    terms: BTreeMap<String, Vec<(u32, u32, i32)>>,
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

/// Adds every term of `text` to the postings of `doc`.
fn add(
    postings: &mut BTreeMap<String, BTreeMap<u32, (u32, i32, u32)>>,
    stemmer: &Stemmer,
    doc: u32,
    text: &str,
    weight: u32,
    phase: i32,
) {
    for word in words(text) {
        let entry = postings
            .entry(term(stemmer, &word))
            .or_default()
            .entry(doc)
            .or_insert((0, -1, 0));
        entry.0 += weight;
        // The phase where the word weighs most is the one a result points
        // at; the title, summary and intro point at none.
        if phase >= 0 && weight > entry.2 {
            entry.1 = phase;
            entry.2 = weight;
        }
    }
}

/// `search/<lang>.json` for every language: the published paths, with the
/// addresses `href(path index, lang)` gives.
pub fn build(site: &Site, href: impl Fn(usize, Lang) -> String) -> Vec<(String, Vec<u8>)> {
    site.config
        .languages
        .iter()
        .map(|&lang| {
            let stemmer = stemmer(lang);
            let mut docs = Vec::new();
            let mut postings: BTreeMap<String, BTreeMap<u32, (u32, i32, u32)>> = BTreeMap::new();
            for (i, path) in site.paths.iter().enumerate() {
                let (text, text_lang) = path.text(lang);
                // A fallback text is in another language: stem it as such.
                let other;
                let stem_with = if text_lang == lang {
                    &stemmer
                } else {
                    other = self::stemmer(text_lang);
                    &other
                };
                let doc = docs.len() as u32;
                add(&mut postings, stem_with, doc, &text.title, TITLE, -1);
                for keyword in &text.keywords {
                    add(&mut postings, stem_with, doc, keyword, KEYWORD, -1);
                    // Keywords are often colloquial or misspelt: keep the word as typed too.
                    for word in words(keyword) {
                        let entry = postings
                            .entry(fold(&word))
                            .or_default()
                            .entry(doc)
                            .or_insert((0, -1, 0));
                        entry.0 += KEYWORD;
                    }
                }
                add(&mut postings, stem_with, doc, &text.summary, SUMMARY, -1);
                if let Some((topic, _)) = site
                    .topics
                    .iter()
                    .find(|t| t.id == path.topic)
                    .and_then(|t| t.name.resolve(lang))
                {
                    add(&mut postings, stem_with, doc, topic, SUMMARY, -1);
                }
                add(
                    &mut postings,
                    stem_with,
                    doc,
                    &to_plain_text(&text.intro),
                    INTRO,
                    -1,
                );
                let mut phases = Vec::new();
                for (n, phase) in path.phases.iter().enumerate() {
                    let Some(pt) = text.phases.get(&phase.id) else {
                        continue;
                    };
                    let n = n as i32;
                    add(&mut postings, stem_with, doc, &pt.title, PHASE_TITLE, n);
                    add(
                        &mut postings,
                        stem_with,
                        doc,
                        &to_plain_text(&pt.body),
                        BODY,
                        n,
                    );
                    if let Some((heading, md)) = &pt.instructions {
                        add(&mut postings, stem_with, doc, heading, BODY, n);
                        add(&mut postings, stem_with, doc, &to_plain_text(md), BODY, n);
                    }
                    for md in pt.guidance.values() {
                        add(&mut postings, stem_with, doc, &to_plain_text(md), BODY, n);
                    }
                    for channel in phase.channels.iter().filter_map(|id| site.channel(id)) {
                        if let Some((name, _)) = channel.name.resolve(lang) {
                            add(&mut postings, stem_with, doc, name, BODY, n);
                        }
                    }
                    phases.push((phase.id.clone(), pt.title.clone()));
                }
                docs.push(Doc {
                    i: path.id.clone(),
                    t: text.title.clone(),
                    u: href(i, lang),
                    s: text.summary.clone(),
                    p: phases,
                    l: (text_lang != lang).then(|| text_lang.code()),
                });
            }
            let terms = postings
                .into_iter()
                .map(|(term, docs)| {
                    let list = docs.into_iter().map(|(d, (w, p, _))| (d, w, p)).collect();
                    (term, list)
                })
                .collect();
            let index = Index {
                v: 1,
                lang: lang.code(),
                docs,
                terms,
            };
            let json = serde_json::to_vec(&index).unwrap_or_default();
            (format!("search/{}.json", lang.code()), json)
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
