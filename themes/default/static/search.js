/* polku site search: the engine (also loadable in Node for the search
   quality tests) and, in a browser, the search page that uses it.

   The index (search/<lang>.json, built by polku) maps terms to postings.
   Terms are words stemmed with the Snowball stemmer of the language and
   folded (ä→a, ö→o, å→a); stop words ("en", "inte", "saa") are left out
   of the index and of queries. This script cannot stem, so a query word
   meets a term in tiers, each a little weaker than the one before:

   - equal, or the term plus an ending of the language ("selkani" →
     "selka"; a Finnish consonant gradation undone first: "kivun" →
     "kipun" → "kipu");
   - a compound made of two real terms ("selkakipu" → "selka" + "kipu"),
     where each part counts half;
   - the word begins the term (typing in progress), is the tail of a
     compound term ("terveys" → "mielenterveys"), or is within a typing
     mistake of it, one for words of five letters or more, two from nine;
     the part before an ending may have the mistake if it is five letters
     or more.

   A match counts by the best field its term is in (title above keywords
   above summary, phase titles, introduction, text, channel names), so one
   title match outweighs any number of body matches, and by how rare the
   term is (idf). Paths that match every word of the query come first. A
   result must earn its place: a floor for the weakest match that counts,
   and a cut-off relative to the best result, so an unrelated path is not
   listed because it shares one common word. docs/search.md has the
   measurements. */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.PolkuSearch = api;
})(this, function () {
  "use strict";

  function fold(word) {
    return word
      .replace(/[äåáàâ]/g, "a")
      .replace(/[öøóòô]/g, "o")
      .replace(/[éèêë]/g, "e")
      .replace(/[üú]/g, "u")
      .replace(/í/g, "i");
  }

  function words(text) {
    return text.normalize("NFC").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  /* Levenshtein distance, or max + 1 as soon as it exceeds max. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      var cur = [i];
      var rowMin = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a.charCodeAt(i - 1) === b.charCodeAt(k - 1) ? 0 : 1;
        cur[k] = Math.min(prev[k] + 1, cur[k - 1] + 1, prev[k - 1] + cost);
        if (cur[k] < rowMin) rowMin = cur[k];
      }
      if (rowMin > max) return max + 1;
      prev = cur;
    }
    return prev[b.length];
  }

  /* Endings a stem can carry in each language, folded. A stem of six
     letters or more may carry any rest of up to four letters (the Snowball stems are not
     always the part before a case ending). */
  var ENDINGS = {
    fi: /^[aeiouy]{0,2}(n|t|a|ta|tta|ssa|sta|lla|lta|lle|ksi|na|ne|in|hin|han|hen|hon|hun|seen|siin|ja|ita|iin|ihin|illa|ilta|ille|issa|ista|iksi|ina|ine|den|jen|iden|tten|itten|tse|kse|ni|si|nsa|mme|nne)?(ni|si|nsa|mme|nne|an|en)?(kin|kaan|ko|pa)?$/,
    sv: /^(a|e|en|et|er|ar|or|na|ne|n|s|t|erna|arna|orna|ens|ets|ande|ende|ad|at|ade|ning|ningen|ningar|ig|iga|igt)?s?$/,
    en: /^(s|es|ed|d|ing|er|ers|ly|e|ies|y)?$/,
  };

  function isEnding(lang, rest, stem) {
    if (!rest) return true;
    if (stem.length >= 6 && rest.length <= 4) return true;
    // Finnish stems lose a doubled consonant: "tulkki" → "tulk" + "ki".
    if (lang === "fi" && rest.length > 1 && rest.charAt(0) === stem.charAt(stem.length - 1) && !/[aeiouy]/.test(rest.charAt(0))) rest = rest.slice(1);
    var re = ENDINGS[lang];
    return re ? re.test(rest) : rest.length <= 2;
  }

  /* Finnish consonant gradation, undone: the forms a word's stem may have
     in the text ("kivun" → "kipun", "selän" → "selkän", "hoidon" →
     "hoiton"). Only in the last five letters, where the ending meets the
     stem. */
  var GRADATION = [["v", "p"], ["d", "t"], ["k", "kk"], ["p", "pp"], ["t", "tt"], ["ng", "nk"],
    ["mm", "mp"], ["ll", "lt"], ["rr", "rt"], ["nn", "nt"], ["l", "lk"], ["r", "rk"], ["h", "hk"]];

  /* Finnish stems that change before an ending or in a compound: the
     -us/-ys nouns ("vaikeudet", "terveyden", "ajanvarauksen" → "-us"), the
     -nen words ("itsetuhoisen", "keskittymis-" → "-nen"). */
  var ALTERNATION = [[/([uy])(?:de|kse|ks)[a-z]*$/, "$1s"], [/(i|mi)(?:se|si|s)[a-z]{0,4}$/, "$1nen"]];

  function gradationVariants(q) {
    var out = [];
    ALTERNATION.forEach(function (a) {
      if (a[0].test(q)) out.push(q.replace(a[0], a[1]));
    });
    var from = Math.max(1, q.length - 5);
    GRADATION.forEach(function (g) {
      for (var i = q.indexOf(g[0], from); i !== -1 && i < q.length - 1; i = q.indexOf(g[0], i + 1)) {
        out.push(q.slice(0, i) + g[1] + q.slice(i + g[0].length));
      }
    });
    return out;
  }

  function typosAllowed(length) {
    return length >= 9 ? 2 : length >= 5 ? 1 : 0;
  }

  var ctxCache = typeof WeakMap === "function" ? new WeakMap() : null;

  /* What the engine keeps per index: its terms as a list and a set, the
     stop words, and each term's idf. */
  function context(index) {
    var ctx = ctxCache && ctxCache.get(index);
    if (ctx) return ctx;
    var keys = Object.keys(index.terms);
    var n = index.docs.length;
    ctx = { index: index, keys: keys, sorted: keys.slice().sort(), set: new Set(keys), lang: index.lang, stop: new Set(index.stop || []), idf: {} };
    // Normalised to 1 for a term of one path, so that the floor means the
    // same on a site of five paths and one of a thousand.
    var most = Math.log(1 + (n - 0.5) / 1.5) || 1;
    keys.forEach(function (t) {
      var df = index.terms[t].length;
      ctx.idf[t] = Math.log(1 + (n - df + 0.5) / (df + 0.5)) / most;
    });
    if (ctxCache) ctxCache.set(index, ctx);
    return ctx;
  }

  /* Terms that are q itself or q's stem before an ending: [[term, quality]]. */
  function stemMatches(ctx, q, quality) {
    var out = [];
    if (ctx.set.has(q)) out.push([q, quality]);
    // A stem of three letters only for a short word ("unta" → "un" is no
    // stem, "avun" → "apu" is).
    var shortest = q.length <= 5 ? 3 : 4;
    for (var k = 1; k <= Math.min(8, q.length - shortest); k++) {
      var t = q.slice(0, q.length - k);
      if (ctx.set.has(t) && isEnding(ctx.lang, q.slice(t.length), t)) out.push([t, quality * (0.92 - 0.015 * k)]);
    }
    return out;
  }

  function exactish(ctx, q) {
    var out = stemMatches(ctx, q, 1);
    if (ctx.lang === "fi") {
      gradationVariants(q).forEach(function (v) {
        out = out.concat(stemMatches(ctx, v, 0.92));
      });
    }
    return out;
  }

  /* The weaker tiers, by a scan of every term. */
  function looseMatches(ctx, q) {
    var out = [];
    // The word (or its stem) as the first part of a compound of the text
    // ("rahat" → "rahahuolet").
    [q].concat(q.length > 4 && isEnding(ctx.lang, q.slice(-1), q.slice(0, -1)) ? [q.slice(0, -1)] : []).forEach(function (root) {
      compoundHeads(ctx, root).forEach(function (m) { out.push([m[0], 0.6]); });
    });
    var allowed = typosAllowed(q.length);
    var roots = [q];
    for (var k = 1; k <= Math.min(6, q.length - 5); k++) {
      if (isEnding(ctx.lang, q.slice(q.length - k), q.slice(0, q.length - k))) roots.push(q.slice(0, q.length - k));
    }
    for (var i = 0; i < ctx.keys.length; i++) {
      var t = ctx.keys[i];
      if (t === q) continue;
      if (q.length >= 3 && t.length > q.length && t.lastIndexOf(q, 0) === 0) {
        out.push([t, 0.5 + (0.3 * q.length) / t.length]);
        continue;
      }
      if (q.length >= 5 && t.length >= q.length - 6) {
        var tail = tailOfCompound(ctx, t, roots);
        if (tail) {
          out.push([t, 0.6]);
          continue;
        }
      }
      if (allowed && Math.abs(t.length - q.length) <= allowed && t.length >= 4) {
        var d = distance(q, t, allowed);
        if (d <= allowed) {
          out.push([t, d === 1 ? 0.7 : 0.6]);
          continue;
        }
      }
      if (t.length >= 5 && q.length > t.length && isEnding(ctx.lang, q.slice(t.length), t)) {
        var a = typosAllowed(t.length);
        if (distance(q.slice(0, t.length), t, a) <= a) {
          out.push([t, 0.6]);
          continue;
        }
      }
      // A stem and a word that part after six letters or more, one letter
      // apart ("raskaana" and "raskaus").
      var common = Math.min(q.length, t.length) - 1;
      if (common >= 6 && distance(q.slice(0, common), t.slice(0, common), 1) <= 1) out.push([t, 0.5]);
    }
    return out;
  }

  /* Whether one of the query word's roots is the last part of compound
     term t, after a real first part ("mielen" + "terveys"). */
  function tailOfCompound(ctx, t, roots) {
    for (var r = 0; r < roots.length; r++) {
      var root = roots[r];
      if (root.length < 5) continue;
      var pos = t.indexOf(root, 3);
      if (pos < 3 || t.length - pos - root.length > 3) continue;
      var head = t.slice(0, pos);
      if (ctx.set.has(head) || stemMatches(ctx, head, 1).length) return true;
    }
    return false;
  }

  /* The terms that begin with p, from the sorted terms. */
  function withPrefix(ctx, p) {
    var lo = 0;
    var hi = ctx.sorted.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (ctx.sorted[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    var out = [];
    for (var i = lo; i < ctx.sorted.length && ctx.sorted[i].lastIndexOf(p, 0) === 0; i++) out.push(ctx.sorted[i]);
    return out;
  }

  /* Compound terms of the text whose first part is the part p and whose
     rest is a term too ("paihde" → "paihdepalvelu"). */
  function compoundHeads(ctx, p) {
    if (p.length < 4) return [];
    return withPrefix(ctx, p)
      .filter(function (t) { return t.length >= p.length + 4 && (ctx.set.has(t.slice(p.length)) || stemMatches(ctx, t.slice(p.length), 1).length > 0); })
      .map(function (t) { return [t, 0.8]; });
  }

  /* The matches of one part of a compound query word: the part itself or
     its stem; a part of five letters or more may also begin a term, and
     one of seven or more be a typing mistake away from one
     ("keskittymis-" → "keskittymin"). */
  function partMatches(ctx, part, loose) {
    // A part is a real word of four letters or more, not a bare stem.
    var out = exactish(ctx, part).filter(function (m) { return m[0].length >= 4; });
    if (out.length) return out.concat(compoundHeads(ctx, part));
    if (!loose || part.length < 5) return out;
    for (var i = 0; i < ctx.keys.length; i++) {
      var t = ctx.keys[i];
      if (t.length > part.length && t.lastIndexOf(part, 0) === 0) out.push([t, 0.8]);
      else if (part.length >= 7 && Math.abs(t.length - part.length) <= 1 && distance(part, t, 1) <= 1) out.push([t, 0.7]);
    }
    return out;
  }

  /* A compound query word as two or three real parts, each with its
     matches, or null. The longest first part wins; exact parts are tried
     before loose ones. */
  function compoundParts(ctx, q, depth) {
    // depth 2: exact parts only (the word itself is known), and no half.
    for (var pass = 0; pass < (depth === 2 ? 1 : 2); pass++) {
      var loose = pass === 1;
      for (var i = q.length - 4; i >= 4; i--) {
        var left = partMatches(ctx, q.slice(0, i), loose);
        // Swedish and Finnish join some compounds with an s ("familjs-").
        if (!left.length && q.charAt(i - 1) === "s" && i > 4) left = partMatches(ctx, q.slice(0, i - 1), loose);
        if (!left.length) continue;
        var right = partMatches(ctx, q.slice(i), loose);
        if (right.length) return [left, right];
        // A third part only from exact parts: loose ones in three would
        // fit almost any long word.
        var rest = depth === 1 || loose ? null : compoundParts(ctx, q.slice(i), 1);
        if (rest) return [left].concat(rest);
      }
    }
    if (depth) return null;
    // One long real part and a rest that is no term: the part counts half
    // ("koncentrationssvårigheter" where the text never says "svårighet").
    // A short part never does ("autovero" is not about cars).
    for (var j = q.length - 4; j >= 8; j--) {
      var head = exactish(ctx, q.slice(0, j));
      if (head.length) return [head, []];
    }
    return null;
  }

  /* The best field a posting's term stands in, as a weight. */
  var FIELDS = [[1, 3], [2, 2.6], [4, 1.8], [8, 1.6], [16, 1.3], [32, 1], [64, 0.6]];

  function fieldWeight(posting) {
    var bits = posting[3] || 0;
    var w = 0.6;
    for (var i = 0; i < FIELDS.length; i++) {
      if (bits & FIELDS[i][0]) {
        w = FIELDS[i][1];
        break;
      }
    }
    return w * (1 + 0.1 * Math.log(posting[1]));
  }

  /* Per path: [best score, its phase, the phase's score] for matches. */
  function scoreMatches(ctx, matches, into, scale) {
    matches.forEach(function (m) {
      var postings = ctx.index.terms[m[0]];
      var idf = ctx.idf[m[0]];
      for (var j = 0; j < postings.length; j++) {
        var p = postings[j];
        var s = scale * m[1] * fieldWeight(p) * idf;
        var b = into[p[0]] || (into[p[0]] = [0, -1, 0, undefined, 0]);
        if (s > b[0]) b[0] = s;
        if (m[1] > b[4]) b[4] = m[1];
        if (p[2] >= 0 && s > b[2]) {
          b[1] = p[2];
          b[2] = s;
        }
      }
    });
    return into;
  }

  /* The scores of one query word, per path: [score, phase, phase score,
     share of a compound's parts matched]. The word as a whole (or its
     stem) and the word as a compound of real terms both count, whichever
     is more for a path; the loose tiers when the word itself is not found. */
  function wordScores(ctx, q) {
    var direct = exactish(ctx, q);
    // No word is this long; splitting one would cost the square of it.
    if (q.length > LONGEST_WORD) return scoreMatches(ctx, direct, {}, 1);
    var strong = direct.some(function (m) { return m[1] >= 0.85; });
    var parts = q.length >= 7 ? compoundParts(ctx, q, strong ? 2 : 0) : null;
    // Typing mistakes in the whole word count beside its parts: a word
    // with a mistake can also split into unrelated terms.
    if (!strong) direct = direct.concat(looseMatches(ctx, q));
    var best = scoreMatches(ctx, direct, {}, 1);
    if (!parts) return best;
    var compound = {};
    // Each part counts its share: a path needs them all for the whole.
    parts.forEach(function (m) {
      var part = scoreMatches(ctx, m, {}, 1 / parts.length);
      Object.keys(part).forEach(function (d) {
        var b = compound[d] || (compound[d] = [0, -1, 0, 0]);
        b[0] += part[d][0];
        b[3] += 1 / parts.length;
        if (part[d][1] >= 0 && part[d][2] > b[2]) {
          b[1] = part[d][1];
          b[2] = part[d][2];
        }
      });
    });
    Object.keys(compound).forEach(function (d) {
      if (!best[d] || compound[d][0] > best[d][0]) best[d] = compound[d];
    });
    return best;
  }

  /* The content words of a query, folded; its stop words only when it has
     nothing else. */
  function queryWords(ctx, query) {
    var seen = {};
    var all = words(query).map(fold).filter(function (w) {
      if (w.length < 2 || seen[w]) return false;
      return (seen[w] = true);
    });
    var content = all.filter(function (w) { return !ctx.stop.has(w); });
    return (content.length ? content : all).slice(0, MOST_WORDS);
  }

  /* Adds the scores of one query word (or of two written apart that the
     text writes as one) to the paths' totals. */
  function addWord(totals, best, weight) {
    Object.keys(best).forEach(function (d) {
      var e = totals[d] || (totals[d] = { score: 0, matched: 0, phase: -1, phaseScore: 0, weakest: 1 });
      e.score += best[d][0] * weight;
      // How well the word itself is met, at worst: a compound's parts 0.
      e.weakest = Math.min(e.weakest, best[d][4] || 0);
      // A path with only some parts of a compound word matches it by their share.
      e.matched += (best[d][3] === undefined ? 1 : best[d][3]) * weight;
      if (best[d][1] >= 0 && best[d][2] > e.phaseScore) {
        e.phase = best[d][1];
        e.phaseScore = best[d][2];
      }
    });
  }

  /* Per path, its score for the query words: each word on its own, and
     two neighbours as one compound where the text has it ("mielenterveys
     palvelut" → "mielenterveyspalvelut"), whichever is more. */
  function totalsOf(ctx, qs) {
    var totals = {};
    var single = qs.map(function (q) { return wordScores(ctx, q); });
    var used = [];
    for (var i = 0; i + 1 < qs.length; i++) {
      var joined = exactish(ctx, qs[i] + qs[i + 1]).filter(function (m) { return m[1] >= 0.85; });
      if (!joined.length || used[i]) continue;
      var pair = scoreMatches(ctx, joined, {}, 1);
      Object.keys(pair).forEach(function (d) {
        var apart = (single[i][d] ? single[i][d][0] : 0) + (single[i + 1][d] ? single[i + 1][d][0] : 0);
        if (2 * pair[d][0] <= apart) delete pair[d];
      });
      // Where the pair counts, it counts for both words.
      Object.keys(pair).forEach(function (d) {
        delete single[i][d];
        delete single[i + 1][d];
      });
      addWord(totals, pair, 2);
      used[i + 1] = true;
    }
    single.forEach(function (best) { addWord(totals, best, 1); });
    return totals;
  }

  /* Per path, how much it speaks of crisis, the most such path 1: `words`
     by the site's crisis words (those of one word) in its text, `total`
     by those and by offering a crisis number (as an urgent contact as much
     as by all its words, in a phase half as much). */
  function crisisWeights(ctx) {
    if (ctx.crisisWeights) return ctx.crisisWeights;
    // The crisis words, not the words of crisis phrases: "kuolla" or
    // "seksuaalinen" alone is no sign of a crisis path.
    var qs = (ctx.index.crisis || []).map(fold).filter(function (w) {
      return w.length >= 4 && words(w).length === 1;
    });
    var byWords = {};
    qs.forEach(function (q) {
      var best = scoreMatches(ctx, exactish(ctx, q).concat(compoundHeads(ctx, q)), {}, 1);
      Object.keys(best).forEach(function (d) { byWords[d] = (byWords[d] || 0) + best[d][0]; });
    });
    byWords = normalised(byWords);
    var total = {};
    ctx.index.docs.forEach(function (doc, d) {
      if (byWords[d] || doc.c) total[d] = (byWords[d] || 0) + (doc.c || 0) / 2;
    });
    return (ctx.crisisWeights = { words: byWords, total: normalised(total) });
  }

  /* The values of `weights` divided by the largest. */
  function normalised(weights) {
    var most = Math.max.apply(null, [0].concat(Object.keys(weights).map(function (d) { return weights[d]; })));
    var out = {};
    Object.keys(weights).forEach(function (d) { out[d] = most ? weights[d] / most : 0; });
    return out;
  }

  /* Longer words are met only as they are, and words after this many
     are not searched: a pasted page must not freeze the search page. */
  var LONGEST_WORD = 40;
  var MOST_WORDS = 12;

  /* A result must reach this share of the best result's score, */
  var RELATIVE_CUTOFF = 0.5;
  /* and this score, unless it has every word as typed: one typing-mistake
     match of a term many paths have, in a path's text only, does not. */
  var FLOOR = 0.2;
  /* For a crisis query, results with this share of the most crisis weight
     are raised. */
  var CRISIS_SHARE = 0.5;
  /* A result whose words weigh this share of the most crisis words was
     found by the query itself, and keeps its place. */
  var CRISIS_FOUND = 0.3;

  /* The results of a crisis query, crisis paths first: those among the
     results are raised by their crisis weight; and unless the query found
     a path that speaks of crisis in its words, the path that speaks most
     of crisis leads, even when it does not use the words typed ("haluan
     kuolla" where the text says "itsemurha"), second only to a path that
     has every one of several words typed. */
  function crisisFirst(ctx, results, top, wordCount) {
    var weights = crisisWeights(ctx);
    var byDoc = {};
    var found = false;
    results.forEach(function (r) {
      byDoc[r.d] = r;
      var w = weights.total[r.d] || 0;
      if (w >= CRISIS_SHARE) r.score += top * w;
      if ((weights.words[r.d] || 0) >= CRISIS_FOUND) found = true;
    });
    if (found) return results;
    var best = results.reduce(function (b, r) { return !b || r.score > b.score ? r : b; }, null);
    Object.keys(weights.total).forEach(function (d) {
      if (weights.total[d] < 1 || (best && best.d === d)) return;
      var r = byDoc[d] || (byDoc[d] = { d: d, score: 0, phase: -1 });
      var lead = best ? best.score : 1;
      var second = best && best.exact && wordCount >= 2;
      r.score = second ? Math.max(r.score, lead * 0.999) : lead * 1.001 + r.score;
    });
    return Object.keys(byDoc).map(function (d) { return byDoc[d]; });
  }

  /* The results for `query`: [{doc, score, phase}] best first, at most `limit`. */
  function search(index, query, limit) {
    var ctx = context(index);
    var qs = queryWords(ctx, query);
    if (!qs.length) return [];
    var totals = totalsOf(ctx, qs);
    var results = Object.keys(totals).map(function (d) {
      var e = totals[d];
      var coverage = Math.min(1, e.matched / qs.length);
      return { d: d, score: e.score * coverage * coverage, phase: e.phase, exact: coverage === 1 && e.weakest >= 0.85 };
    });
    var top = Math.max.apply(null, [0].concat(results.map(function (r) { return r.score; })));
    // A path with every word of the query as typed (or its stem) is not
    // held back by the floor, however common the words ("help", "Lunna").
    results = results.filter(function (r) { return (r.exact || r.score >= FLOOR) && r.score >= RELATIVE_CUTOFF * top; });
    if (isCrisis(index, query)) results = crisisFirst(ctx, results, top, qs.length);
    return results
      .map(function (r) {
        var doc = index.docs[r.d];
        return { doc: doc, score: r.score, phase: r.phase >= 0 ? doc.p[r.phase] : null };
      })
      .sort(function (a, b) { return b.score - a.score || (a.doc.t < b.doc.t ? -1 : 1); })
      .slice(0, limit || 20);
  }

  /* Whether query word q is crisis word w (both lower-case, as typed):
     the word itself, or the word with an ending of the language, or with
     its last vowel changed ("viiltää" / "viiltely" share "viilt"). A long
     word (six letters or more) may also be the end of a compound
     ("perheväkivalta"), and one of nine letters or more carry a typing
     mistake or two. A short word is only itself: "dö" is no part of "doktor",
     "kris" of "Kristinestad". */
  function crisisWord(lang, q, w) {
    if (q === w) return true;
    if (w.length < 5) return q.lastIndexOf(w, 0) === 0 && isEnding(lang, fold(q.slice(w.length)), "");
    // A long word begins compounds of its own ("kriisipuhelin").
    if (w.length >= 6 && q.lastIndexOf(w, 0) === 0) return true;
    var stem = w.replace(/[aeiouyäöå]+$/, "");
    if (stem.length < 4) stem = w;
    var at = q.indexOf(stem);
    if (at === 0 || (at > 0 && w.length >= 6)) {
      var rest = fold(q.slice(at + stem.length));
      if (rest.length <= 4 || isEnding(lang, rest, "")) return true;
    }
    // Two edits: a swapped pair of letters is two ("itsemurah").
    return w.length >= 9 && distance(fold(q.slice(0, w.length)), fold(w), 2) <= 2 && isEnding(lang, fold(q.slice(w.length)), "");
  }

  /* Whether a query has one of the site's crisis words or phrases (each
     word of a phrase in the query). */
  function isCrisis(index, query) {
    var qs = words(query);
    return (index.crisis || []).some(function (phrase) {
      return words(phrase).every(function (w) {
        return qs.some(function (q) { return crisisWord(index.lang, q, w); });
      });
    });
  }

  /* ---- The search page ---------------------------------------------- */

  /* An element with a class and a text. */
  function el(doc, tag, cls, text) {
    var node = doc.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  /* One result: the title as a link, the summary, the phase that matched. */
  function resultItem(doc, r, phaseLabel) {
    var li = el(doc, "li", "search-result");
    var h = el(doc, "h2", "search-result-title");
    var a = el(doc, "a", null, r.doc.t);
    a.href = r.doc.u;
    if (r.doc.l) a.lang = r.doc.l;
    h.appendChild(a);
    li.appendChild(h);
    if (r.doc.s) {
      var p = el(doc, "p", null, r.doc.s);
      if (r.doc.l) p.lang = r.doc.l;
      li.appendChild(p);
    }
    if (r.phase) {
      var ph = el(doc, "p", "search-result-phase", phaseLabel + ": ");
      var pa = el(doc, "a", null, r.phase[1]);
      pa.href = r.doc.u + "#" + r.phase[0];
      if (r.doc.l) pa.lang = r.doc.l;
      ph.appendChild(pa);
      li.appendChild(ph);
    }
    return li;
  }

  /* Shows the results of `query` in the page's parts `ui`: the crisis box
     first when it is a crisis, the list, and the status line. */
  function render(doc, ui, query, results, inCrisis) {
    var d = ui.form.dataset;
    if (ui.crisis) ui.crisis.hidden = !inCrisis;
    ui.list.textContent = "";
    results.forEach(function (r) { ui.list.appendChild(resultItem(doc, r, d.phase)); });
    ui.list.hidden = results.length === 0;
    var text = results.length === 0 ? d.statusNone : results.length === 1 ? d.statusOne : d.statusOther;
    ui.status.textContent = text.replace("{n}", String(results.length)).replace("{q}", query);
    if (inCrisis && ui.crisis) {
      // Said first, so that a screen reader hears where the numbers are;
      // on the screen the box says it.
      ui.status.insertBefore(el(doc, "span", "visually-hidden", d.statusCrisis + " "), ui.status.firstChild);
    }
    ui.other.hidden = results.length !== 0;
    Array.prototype.forEach.call(ui.other.querySelectorAll("[data-search-other-link]"), function (link) {
      link.href = link.href.split("?")[0] + "?q=" + encodeURIComponent(query);
    });
  }

  function page(doc, win) {
    var form = doc.querySelector("[data-search]");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var ui = {
      form: form,
      status: doc.querySelector("[data-search-status]"),
      list: doc.querySelector("[data-search-results]"),
      other: doc.querySelector("[data-search-other]"),
      crisis: doc.querySelector("[data-crisis]"),
    };
    var d = form.dataset;
    var index = null;
    var loading = null;
    function load() {
      if (!loading) {
        loading = win.fetch(d.index).then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        }).then(function (json) { index = json; return json; });
      }
      return loading;
    }
    var timer = null;
    function run() {
      var query = input.value.trim();
      if (win.history && win.history.replaceState) {
        var url = win.location.pathname + (query ? "?q=" + encodeURIComponent(query) : "");
        win.history.replaceState(null, "", url);
      }
      if (!query) {
        ui.list.textContent = "";
        ui.list.hidden = true;
        ui.other.hidden = true;
        if (ui.crisis) ui.crisis.hidden = true;
        ui.status.textContent = "";
        return;
      }
      if (!index) ui.status.textContent = d.statusLoading;
      load().then(function (idx) {
        if (input.value.trim() === query) render(doc, ui, query, search(idx, query, 20), isCrisis(idx, query));
      }, function () {
        // Without the index no query can be told to be a crisis: the
        // numbers are shown to everyone rather than to no one.
        if (ui.crisis) ui.crisis.hidden = false;
        ui.status.textContent = d.statusError;
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run();
    });
    input.addEventListener("input", function () {
      win.clearTimeout(timer);
      timer = win.setTimeout(run, 200);
    });
    var initial = new win.URLSearchParams(win.location.search).get("q");
    if (initial) {
      input.value = initial;
      run();
    }
  }

  if (typeof document !== "undefined" && typeof window !== "undefined") page(document, window);

  return { search: search, isCrisis: isCrisis, words: words, fold: fold };
});
