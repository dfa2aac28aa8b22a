//! The static search index: one JSON file per language, built with the
//! site and searched in the browser by `static/search.js` (no server).
//!
//! Words are lower-cased, stemmed with the Snowball stemmer of the language
//! (rust-stemmers) and then folded (ä→a, ö→o, å→a), so that "selkäni",
//! "selkä" and "selka" meet. The browser cannot stem, so `search.js` matches
//! a query word to a stem when one begins the other, when a stem is part of
//! a compound, and with one or two typing mistakes (docs/search.md).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;

use super::markdown::{to_plain_text, PathProse, Prose};
use crate::content::{Lang, Site};

mod stop_words;

use stop_words::stop_words;

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
fn crisis_contact(site: &Site, path: &crate::content::Path) -> u8 {
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

/// The index of one language.
#[derive(Serialize)]
struct Index<'a> {
    /// Format version, for `search.js`.
    v: u32,
    lang: &'static str,
    docs: Vec<&'a Doc>,
    /// Term to postings: `[doc, weight, phase, fields]`, phase -1 for the
    /// path's title, summary, keywords and intro; fields the bits of
    /// [`Field`] the term stands in; in the order of the terms.
    #[serde(serialize_with = "sorted")]
    terms: &'a Postings,
    /// The language's stop words, folded: left out of queries too.
    stop: &'a [String],
    /// The site's crisis words and phrases, lower-cased (not folded: "våld"
    /// is not "valda").
    crisis: &'a [String],
}

/// A posting: doc, summed weight, phase, field bits.
type IndexPosting = (u32, u32, i32, u8);

/// Term to postings. Hashed while the index is put together, sorted when
/// it is written, so that the same site gives the same file.
type Postings = FxHashMap<String, Vec<IndexPosting>>;

fn sorted<S: serde::Serializer>(terms: &&Postings, out: S) -> Result<S::Ok, S::Error> {
    let mut sorted: Vec<_> = terms.iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out.collect_map(sorted)
}

/// A language's index being put together. Paths arrive in any order (from
/// the rendering threads); each takes its place in site order.
#[derive(Debug)]
struct Assembly {
    docs: Vec<Option<Doc>>,
    terms: Postings,
}

impl Assembly {
    fn new(paths: usize) -> Assembly {
        Assembly {
            docs: vec![None; paths],
            terms: Postings::default(),
        }
    }

    /// The paths that have no entry yet.
    fn missing(&self) -> Vec<usize> {
        (0..self.docs.len())
            .filter(|&i| self.docs[i].is_none())
            .collect()
    }

    /// The index file: postings in site order, as the browser expects.
    fn finish(mut self, site: &Site, lang: Lang) -> (String, Vec<u8>) {
        for postings in self.terms.values_mut() {
            postings.sort_unstable_by_key(|p| p.0);
        }
        self.file(site, lang)
    }

    /// The index file of postings already in site order.
    fn file(&self, site: &Site, lang: Lang) -> (String, Vec<u8>) {
        let stop: Vec<String> = stop_words(lang).iter().map(|w| fold(w)).collect();
        let crisis: Vec<String> = site
            .config
            .crisis
            .terms(lang)
            .iter()
            .map(|t| t.to_lowercase())
            .collect();
        let index = Index {
            v: 2,
            lang: lang.code(),
            docs: self.docs.iter().flatten().collect(),
            terms: &self.terms,
            stop: &stop,
            crisis: &crisis,
        };
        let json = serde_json::to_vec(&index).unwrap_or_default();
        (format!("search/{}.json", lang.code()), json)
    }

    /// Puts a cached entry at `doc`, keeping every term's postings in
    /// site order (the preview's index, patched save by save).
    fn put_kept(&mut self, doc: usize, entry: &PathEntry) {
        for (term, p) in &entry.terms {
            let posting = (doc as u32, p.weight, p.phase, p.fields);
            match self.terms.get_mut(term.as_str()) {
                Some(postings) => {
                    let at = postings.partition_point(|q| q.0 < doc as u32);
                    postings.insert(at, posting);
                }
                None => {
                    self.terms.insert(term.clone(), vec![posting]);
                }
            }
        }
        self.docs[doc] = Some(entry.doc.clone());
    }

    /// Takes out the entry at `doc`, as `put_kept` put it.
    fn remove(&mut self, doc: usize, entry: &PathEntry) {
        for term in entry.terms.keys() {
            let Some(postings) = self.terms.get_mut(term.as_str()) else {
                continue;
            };
            postings.retain(|q| q.0 != doc as u32);
            if postings.is_empty() {
                self.terms.remove(term.as_str());
            }
        }
        self.docs[doc] = None;
    }

    /// Puts the entry of the path at `doc`, taking its strings.
    fn put(&mut self, doc: usize, entry: PathEntry) {
        for (term, p) in entry.terms {
            self.terms
                .entry(term)
                .or_default()
                .push((doc as u32, p.weight, p.phase, p.fields));
        }
        self.docs[doc] = Some(entry.doc);
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
struct Posting {
    weight: u32,
    phase: i32,
    phase_weight: u32,
    /// The bits of the fields the term stands in.
    fields: u8,
}

/// One path's part of a language's index: what its result shows, and its
/// terms. Paths are indexed on their own (in parallel), then merged; the
/// preview keeps the parts of paths a save did not touch.
#[derive(Debug)]
pub struct PathEntry {
    doc: Doc,
    terms: FxHashMap<String, Posting>,
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

/// An index entry's language and path id.
type EntryKey = (Lang, String);

/// Index entries kept between preview rebuilds, by language and path id.
#[derive(Debug, Default)]
pub struct SearchCache {
    entries: HashMap<EntryKey, Arc<PathEntry>>,
    /// Each language's index as last served, for the path ids in this
    /// order; a save that keeps the paths patches it instead of merging
    /// every entry again (most of a save's time at 10,000 paths).
    assembled: HashMap<Lang, KeptIndex>,
}

/// A language's index as last served, with the path ids it was made for.
type KeptIndex = (Vec<String>, Assembly);

/// The search index of a render: entries arrive from the rendering threads
/// as each path page is made (from the same rendered prose), and are
/// merged into each language's index at once, or kept in the preview's
/// cache.
pub struct Collector {
    langs: Vec<Lang>,
    /// Without a cache: each language's index, filled as pages come.
    fresh: Option<Vec<Mutex<Assembly>>>,
    /// With a cache: the entries made, for the cache.
    made: Mutex<Vec<(EntryKey, Arc<PathEntry>)>>,
}

impl Collector {
    /// A collector for `site`; `cached` when entries go to a cache.
    pub fn new(site: &Site, cached: bool) -> Collector {
        let langs = site.config.languages.clone();
        Collector {
            fresh: (!cached).then(|| {
                langs
                    .iter()
                    .map(|_| Mutex::new(Assembly::new(site.paths.len())))
                    .collect()
            }),
            langs,
            made: Mutex::new(Vec::new()),
        }
    }

    /// Adds the entry of path `i` in `lang`.
    pub fn add(&self, site: &Site, i: usize, lang: Lang, entry: PathEntry) {
        match &self.fresh {
            Some(fresh) => {
                if let Some(l) = self.langs.iter().position(|&x| x == lang) {
                    lock(&fresh[l]).put(i, entry);
                }
            }
            None => lock(&self.made).push(((lang, site.paths[i].id.clone()), Arc::new(entry))),
        }
    }

    /// `search/<lang>.json` for every language. Paths no page job indexed
    /// (in the preview: paths a save did not touch) come from the cache, or
    /// are indexed here; with a cache, `changed` says which paths changed
    /// (`None`: all of them).
    pub fn finish(
        self,
        site: &Site,
        href: impl Fn(usize, Lang) -> String + Sync,
        cache: Option<&mut SearchCache>,
        changed: Option<&BTreeSet<String>>,
    ) -> Vec<(String, Vec<u8>)> {
        let made = self.made.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(fresh) = self.fresh {
            return self
                .langs
                .par_iter()
                .zip(fresh)
                .map(|(&lang, assembly)| {
                    let mut assembly = assembly.into_inner().unwrap_or_else(|e| e.into_inner());
                    for i in assembly.missing() {
                        assembly.put(i, unrendered_entry(site, i, lang, &href(i, lang)));
                    }
                    assembly.finish(site, lang)
                })
                .collect();
        }
        let mut no_cache = SearchCache::default();
        let cache = cache.unwrap_or(&mut no_cache);
        if changed.is_none() {
            cache.entries.clear();
            cache.assembled.clear();
        }
        // The entries a save replaces, to take out of the kept index.
        let replaced: Vec<(EntryKey, Option<Arc<PathEntry>>)> = made
            .iter()
            .map(|(key, _)| (key.clone(), cache.entries.get(key).cloned()))
            .collect();
        cache.entries.extend(made);
        let missing: Vec<(Lang, usize)> = self
            .langs
            .iter()
            .flat_map(|&lang| (0..site.paths.len()).map(move |i| (lang, i)))
            .filter(|(lang, i)| {
                !cache
                    .entries
                    .contains_key(&(*lang, site.paths[*i].id.clone()))
            })
            .collect();
        let computed: Vec<_> = missing
            .par_iter()
            .map(|&(lang, i)| {
                let entry = unrendered_entry(site, i, lang, &href(i, lang));
                ((lang, site.paths[i].id.clone()), Arc::new(entry))
            })
            .collect();
        let computed_langs: HashSet<Lang> = computed.iter().map(|((l, _), _)| *l).collect();
        cache.entries.extend(computed);
        let ids: Vec<String> = site.paths.iter().map(|p| p.id.clone()).collect();
        let id_set: HashSet<&str> = ids.iter().map(String::as_str).collect();
        cache
            .entries
            .retain(|(_, id), _| id_set.contains(id.as_str()));
        let position: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let SearchCache { entries, assembled } = cache;
        let entries = &*entries;
        // Each language's index is patched and written on its own thread.
        let kept: Vec<(Lang, Option<KeptIndex>)> = self
            .langs
            .iter()
            .map(|&lang| (lang, assembled.remove(&lang)))
            .collect();
        let done: Vec<_> = kept
            .into_par_iter()
            .map(|(lang, kept)| {
                let kept = kept
                    .filter(|(kept_ids, _)| *kept_ids == ids && !computed_langs.contains(&lang));
                let assembly = match kept {
                    // The same paths in the same order: patch the changed ones.
                    Some((_, mut assembly)) => {
                        for ((l, id), old) in replaced.iter().filter(|((l, _), _)| *l == lang) {
                            let (Some(&i), Some(new)) =
                                (position.get(id.as_str()), entries.get(&(*l, id.clone())))
                            else {
                                continue;
                            };
                            if let Some(old) = old {
                                assembly.remove(i, old);
                            }
                            assembly.put_kept(i, new);
                        }
                        assembly
                    }
                    None => {
                        let mut assembly = Assembly::new(ids.len());
                        for (i, id) in ids.iter().enumerate() {
                            if let Some(entry) = entries.get(&(lang, id.clone())) {
                                assembly.put_kept(i, entry);
                            }
                        }
                        assembly
                    }
                };
                let file = assembly.file(site, lang);
                (lang, assembly, file)
            })
            .collect();
        let mut results = Vec::new();
        for (lang, assembly, file) in done {
            assembled.insert(lang, (ids.clone(), assembly));
            results.push(file);
        }
        results
    }
}

/// The entry of a path whose page was not rendered in this pass: its
/// prose made here, as plain text only.
fn unrendered_entry(site: &Site, i: usize, lang: Lang, href: &str) -> PathEntry {
    let prose = PathProse::of(site, &site.paths[i], lang, |md| Prose {
        html: String::new(),
        text: to_plain_text(md),
    });
    path_entry(site, i, lang, href, &prose)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
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
