//! The static search index: one JSON file per language, built with the
//! site and searched in the browser by `static/search.js` (no server).
//!
//! Words are lower-cased, stemmed with the Snowball stemmer of the language
//! (rust-stemmers) and then folded (ä→a, ö→o, å→a), so that "selkäni",
//! "selkä" and "selka" meet; each term knows the fields it stands in, and
//! stop words are left out. The browser cannot stem, so `search.js` meets a
//! query word with a term by the language's endings, real compound parts and
//! typing mistakes that scale with length (docs/search.md).
//!
//! `terms.rs` turns one path into its part of an index; this module puts the
//! parts together into each language's file (with the stop words and the
//! crisis words `search.js` needs) and keeps them between preview rebuilds.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use serde::Serialize;

use super::markdown::{to_plain_text, PathProse, Prose};
use crate::content::{Lang, Site};

mod stop_words;
mod terms;

use stop_words::stop_words;
use terms::Doc;
pub use terms::{fold, path_entry, term, words, PathEntry};

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
