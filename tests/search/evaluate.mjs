// Search quality on a query set with graded relevance: the measures
// docs/search.md reports, for any engine that turns a query into a ranked
// list of path ids. Used by tests/browser/search.test.mjs (polku's engine,
// asserted), by tests/search/compare-pagefind.mjs (Pagefind, reported), and
// from the command line:
//   node tests/search/evaluate.mjs SITE_DIR QUERIES.tsv [ENGINE.js]
// (ENGINE.js: another search.js to measure, e.g. an earlier version's, with
// the index its polku built.)
//
// A query set is tab-separated: lang, kind, query, the path meant ("-"
// when the site should answer with nothing), and the acceptable paths
// (comma-separated, or "-"). Relevance is graded: the path meant 2, an
// acceptable one 1, any other 0.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const require = createRequire(import.meta.url);
export const engine = require(join(ROOT, "themes", "default", "static", "search.js"));

/** The queries of a TSV file: [{lang, kind, query, meant, acceptable}]. */
export function readQueries(file) {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => {
      const [lang, kind, query, meant, acceptable = "-"] = l.split("\t").map((c) => c.trim());
      return {
        lang,
        kind,
        query,
        meant: meant === "-" ? null : meant,
        acceptable: acceptable === "-" ? [] : acceptable.split(",").map((s) => s.trim()).filter(Boolean),
      };
    });
}

/** Graded relevance of path `id` for query `q`. */
function grade(q, id) {
  return id === q.meant ? 2 : q.acceptable.includes(id) ? 1 : 0;
}

function dcg(grades) {
  return grades.reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
}

/**
 * Measures one query's ranked result ids. In-scope queries give recall@3,
 * reciprocal rank, precision@3 (the share of the shown top three that is
 * relevant; a query with no result has no precision, its miss is in the
 * recall) and nDCG@5; out-of-scope ones whether nothing was returned.
 */
export function measure(q, ids) {
  if (!q.meant) return { n: ids.length, empty: ids.length === 0 };
  const rank = ids.indexOf(q.meant) + 1;
  const top3 = ids.slice(0, 3);
  const ideal = [2, ...q.acceptable.map(() => 1)].slice(0, 5);
  return {
    n: ids.length,
    at1: rank === 1,
    at3: rank >= 1 && rank <= 3,
    rr: rank ? 1 / rank : 0,
    p3: top3.length ? top3.filter((id) => grade(q, id) > 0).length / top3.length : null,
    ndcg5: dcg(ids.slice(0, 5).map((id) => grade(q, id))) / dcg(ideal),
    firstRelevant: ids.length > 0 && grade(q, ids[0]) > 0,
  };
}

/**
 * Runs `rank(q)` (a promise or a list of ids) for every query and sums the
 * measures per `lang all`, `lang kind` and `all`. Returns {rows, perQuery}.
 */
export async function evaluate(queries, rank) {
  const perQuery = [];
  for (const q of queries) {
    const ids = await rank(q);
    perQuery.push({ q, ids, m: measure(q, ids) });
  }
  const rows = {};
  for (const { q, m } of perQuery) {
    for (const key of ["all", `${q.lang} all`, `${q.lang} ${q.kind}`]) {
      const r = (rows[key] ??= { n: 0, inScope: 0, at1: 0, at3: 0, rr: 0, p3: 0, p3n: 0, ndcg5: 0, results: 0, outOfScope: 0, empty: 0 });
      r.n++;
      r.results += m.n;
      if (!q.meant) {
        r.outOfScope++;
        if (m.empty) r.empty++;
        continue;
      }
      r.inScope++;
      r.at1 += m.at1;
      r.at3 += m.at3;
      r.rr += m.rr;
      r.ndcg5 += m.ndcg5;
      if (m.p3 !== null) {
        r.p3 += m.p3;
        r.p3n++;
      }
    }
  }
  return { rows, perQuery };
}

const pct = (a, n) => (n ? `${Math.round((100 * a) / n)} %` : "–");

/** The Markdown table docs/search.md shows. */
export function table(rows) {
  const lines = [
    "| queries | n | recall@1 | recall@3 | MRR | precision@3 | nDCG@5 | results per query | out of scope answered with nothing |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  const order = Object.keys(rows).sort((a, b) => (a === "all" ? -1 : b === "all" ? 1 : a.localeCompare(b)));
  for (const key of order) {
    const r = rows[key];
    lines.push(
      `| ${key} | ${r.n} | ${pct(r.at1, r.inScope)} | ${pct(r.at3, r.inScope)} | ${r.inScope ? (r.rr / r.inScope).toFixed(2) : "–"} | ${pct(r.p3, r.p3n)} | ${r.inScope ? (r.ndcg5 / r.inScope).toFixed(2) : "–"} | ${(r.results / r.n).toFixed(1)} | ${r.outOfScope ? `${r.empty} of ${r.outOfScope}` : "–"} |`,
    );
  }
  return lines.join("\n");
}

/** The queries a person would be worst served by, worst first. */
export function worst(perQuery, count = 10) {
  const badness = ({ q, m }) => (q.meant ? (1 - m.ndcg5) + (m.firstRelevant ? 0 : 0.5) + (m.p3 === null ? 0 : 1 - m.p3) : m.n > 0 ? 1 + m.n / 10 : 0);
  return perQuery
    .map((x) => ({ ...x, bad: badness(x) }))
    .filter((x) => x.bad > 0)
    .sort((a, b) => b.bad - a.bad)
    .slice(0, count)
    .map(({ q, ids }) => `${q.lang} ${q.kind} "${q.query}": meant ${q.meant ?? "nothing"}, got ${ids.slice(0, 5).join(", ") || "nothing"}${ids.length > 5 ? ` (+${ids.length - 5})` : ""}`);
}

/** polku's own ranking of a built site: a function of a query. */
export function polkuRanker(site, searchEngine = engine) {
  const indexes = {};
  return (q) => {
    indexes[q.lang] ??= JSON.parse(readFileSync(join(site, "search", `${q.lang}.json`), "utf8"));
    return searchEngine.search(indexes[q.lang], q.query, 20).map((r) => r.doc.i);
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [site, file, other] = process.argv.slice(2);
  const searchEngine = other ? require(resolve(other)) : engine;
  const { rows, perQuery } = await evaluate(readQueries(file), polkuRanker(site, searchEngine));
  console.log(table(rows));
  console.log("\nworst ten:\n" + worst(perQuery).join("\n"));
}
