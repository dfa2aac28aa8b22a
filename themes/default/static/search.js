/* polku site search: the engine (also loadable in Node for the recall
   tests) and, in a browser, the search page that uses it.

   The index (search/<lang>.json, built by polku) maps terms to postings.
   Terms are words stemmed with the Snowball stemmer of the language and
   folded (ä→a, ö→o, å→a). This script cannot stem, so a query word meets a
   term when they are equal, when the term begins the word (an inflected
   form: "selkani" → "selka"), when the word begins the term (typing in
   progress), when they differ by a typing mistake or a consonant gradation
   ("kivun" → "kipu"), or as a part of a compound ("mielenterveyspalvelut"
   → "mielenterveys"). Rare terms weigh more (idf), and results that match
   every word of the query come first. docs/search.md has the measurements. */
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

  /* How well query word q meets index term t, 0 to 1. */
  function quality(q, t) {
    if (t === q) return 1;
    if (t.length >= 3 && q.length > t.length && q.lastIndexOf(t, 0) === 0) return 0.9;
    if (q.length >= 3 && t.length > q.length && t.lastIndexOf(q, 0) === 0) return 0.8;
    var typos = q.length >= 8 ? 2 : q.length >= 4 ? 1 : 0;
    if (typos) {
      if (t.length >= 4 && q.length >= t.length && distance(q.slice(0, t.length), t, typos) <= typos) return 0.6;
      if (t.length >= 4 && distance(q, t, typos) <= typos) return 0.55;
    }
    if (t.length >= 5 && q.length >= t.length + 3 && q.indexOf(t) !== -1) return 0.5 * (0.5 + t.length / q.length / 2);
    if (q.length >= 5 && t.length >= q.length + 3 && t.indexOf(q) > 0) return 0.4;
    return 0;
  }

  /* The results for `query`: [{doc, score, phase}] best first, at most `limit`. */
  function search(index, query, limit) {
    var keys = index._keys || (index._keys = Object.keys(index.terms));
    var n = index.docs.length;
    var seen = {};
    var qs = words(query).map(fold).filter(function (w) {
      if (w.length < 2 || seen[w]) return false;
      return (seen[w] = true);
    });
    if (!qs.length) return [];
    var totals = {};
    qs.forEach(function (q) {
      var best = {};
      for (var i = 0; i < keys.length; i++) {
        var t = keys[i];
        var m = quality(q, t);
        if (!m) continue;
        var postings = index.terms[t];
        var idf = Math.log(1 + n / postings.length);
        for (var j = 0; j < postings.length; j++) {
          var p = postings[j];
          var s = m * Math.log(1 + p[1]) * idf;
          var b = best[p[0]] || (best[p[0]] = [0, -1, 0]);
          if (s > b[0]) b[0] = s;
          // The phase to point at: from the best match that has one.
          if (p[2] >= 0 && s > b[2]) {
            b[1] = p[2];
            b[2] = s;
          }
        }
      }
      Object.keys(best).forEach(function (d) {
        var e = totals[d] || (totals[d] = { score: 0, matched: 0, phase: -1, phaseScore: 0 });
        e.score += best[d][0];
        e.matched += 1;
        if (best[d][1] >= 0 && best[d][2] > e.phaseScore) {
          e.phase = best[d][1];
          e.phaseScore = best[d][2];
        }
      });
    });
    return Object.keys(totals)
      .map(function (d) {
        var e = totals[d];
        var coverage = e.matched / qs.length;
        var doc = index.docs[d];
        return { doc: doc, score: e.score * coverage * coverage, phase: e.phase >= 0 ? doc.p[e.phase] : null };
      })
      .sort(function (a, b) { return b.score - a.score; })
      .slice(0, limit || 20);
  }

  /* ---- The search page ---------------------------------------------- */
  function page(doc, win) {
    var form = doc.querySelector("[data-search]");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var status = doc.querySelector("[data-search-status]");
    var list = doc.querySelector("[data-search-results]");
    var other = doc.querySelector("[data-search-other]");
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
    function el(tag, cls, text) {
      var node = doc.createElement(tag);
      if (cls) node.className = cls;
      if (text) node.textContent = text;
      return node;
    }
    function render(query, results) {
      list.textContent = "";
      results.forEach(function (r) {
        var li = el("li", "search-result");
        var h = el("h2", "search-result-title");
        var a = el("a", null, r.doc.t);
        a.href = r.doc.u;
        if (r.doc.l) a.lang = r.doc.l;
        h.appendChild(a);
        li.appendChild(h);
        if (r.doc.s) {
          var p = el("p", null, r.doc.s);
          if (r.doc.l) p.lang = r.doc.l;
          li.appendChild(p);
        }
        if (r.phase) {
          var ph = el("p", "search-result-phase", d.phase + ": ");
          var pa = el("a", null, r.phase[1]);
          pa.href = r.doc.u + "#" + r.phase[0];
          if (r.doc.l) pa.lang = r.doc.l;
          ph.appendChild(pa);
          li.appendChild(ph);
        }
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      var text = results.length === 0 ? d.statusNone : results.length === 1 ? d.statusOne : d.statusOther;
      status.textContent = text.replace("{n}", String(results.length)).replace("{q}", query);
      other.hidden = results.length !== 0;
      Array.prototype.forEach.call(other.querySelectorAll("[data-search-other-link]"), function (link) {
        link.href = link.href.split("?")[0] + "?q=" + encodeURIComponent(query);
      });
    }
    var timer = null;
    function run(push) {
      var query = input.value.trim();
      if (win.history && win.history.replaceState) {
        var url = win.location.pathname + (query ? "?q=" + encodeURIComponent(query) : "");
        win.history.replaceState(null, "", url);
      }
      if (!query) {
        list.textContent = "";
        list.hidden = true;
        other.hidden = true;
        status.textContent = "";
        return;
      }
      if (!index) status.textContent = d.statusLoading;
      load().then(function (idx) {
        if (input.value.trim() === query) render(query, search(idx, query, 20));
      }, function () {
        status.textContent = d.statusError;
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(true);
    });
    input.addEventListener("input", function () {
      win.clearTimeout(timer);
      timer = win.setTimeout(run, 200);
    });
    var params = new win.URLSearchParams(win.location.search);
    var initial = params.get("q");
    if (initial) {
      input.value = initial;
      run(false);
    }
  }

  if (typeof document !== "undefined" && typeof window !== "undefined") page(document, window);

  return { search: search, words: words, fold: fold, quality: quality };
});
