// Search quality with the same engine the browser runs (static/search.js),
// against the indexes `polku build` writes:
//
// - the county-sized corpus tests/search/county/ (37 paths in Finnish and
//   Swedish, written apart from the engine) and its 159 queries with graded
//   relevance, tests/search/county-queries.tsv: precision, recall, MRR,
//   nDCG@5, crisis and out-of-scope queries;
// - the sample site and tests/search/queries.tsv: recall per kind.
//
// Prints the tables docs/search.md quotes and asserts them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./harness.mjs";
import { engine, evaluate, polkuRanker, readQueries, table, worst } from "../search/evaluate.mjs";

function built(content) {
  const out = join(mkdtempSync(join(tmpdir(), "polku-search-")), "public");
  const args = ["build", "--out", out, ...(content ? ["--content", content] : [])];
  execFileSync(join(ROOT, "target", "release", "polku"), args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  return out;
}

const index = (site, lang) => JSON.parse(readFileSync(join(site, "search", `${lang}.json`), "utf8"));

test("county-sized site: the first results are the paths a person means, and few others", async () => {
  const site = built(join(ROOT, "tests", "search", "county"));
  const queries = readQueries(join(ROOT, "tests", "search", "county-queries.tsv"));
  assert.ok(queries.length >= 80, `${queries.length} queries`);
  const { rows, perQuery } = await evaluate(queries, polkuRanker(site));
  console.log(table(rows));
  console.log("worst ten:\n" + worst(perQuery).join("\n"));
  const all = rows.all;
  // docs/search.md: the figures of this corpus, with a small margin.
  assert.ok(all.at3 / all.inScope >= 0.87, `recall@3 ${all.at3}/${all.inScope}`);
  assert.ok(all.p3 / all.p3n >= 0.8, `precision@3 ${(all.p3 / all.p3n).toFixed(2)}`);
  assert.ok(all.rr / all.inScope >= 0.85, `MRR ${(all.rr / all.inScope).toFixed(2)}`);
  assert.ok(all.ndcg5 / all.inScope >= 0.8, `nDCG@5 ${(all.ndcg5 / all.inScope).toFixed(2)}`);
  assert.ok(all.results / all.n <= 2, `${(all.results / all.n).toFixed(1)} results per query`);
  assert.ok(all.empty >= 10, `out of scope answered with nothing: ${all.empty} of ${all.outOfScope}`);
});

test("county-sized site: every crisis query shows the crisis numbers and a crisis path first", () => {
  const site = built(join(ROOT, "tests", "search", "county"));
  const queries = readQueries(join(ROOT, "tests", "search", "county-queries.tsv")).filter((q) => q.kind === "crisis");
  assert.ok(queries.length >= 14, `${queries.length} crisis queries`);
  const wrong = [];
  for (const q of queries) {
    const idx = index(site, q.lang);
    const first = engine.search(idx, q.query, 20)[0]?.doc.i;
    if (!engine.isCrisis(idx, q.query)) wrong.push(`"${q.query}": no crisis numbers`);
    if (first !== q.meant && !q.acceptable.includes(first)) wrong.push(`"${q.query}": first ${first ?? "nothing"}`);
  }
  assert.deepEqual(wrong, []);
  // Words that look like crisis words but are not one.
  for (const [lang, query] of [["fi", "raskaus"], ["fi", "selkäkipu"], ["fi", "kriisipuhelimen aukioloajat"], ["sv", "graviditet"]]) {
    const crisis = engine.isCrisis(index(site, lang), query);
    assert.equal(crisis, query.startsWith("kriisi"), `${lang} "${query}"`);
  }
});

test("sample site: recall@3 ≥ 95 % and recall@1 ≥ 90 % per language, and the cases people reported", () => {
  const site = built(null);
  const queries = readQueries(join(ROOT, "tests", "search", "queries.tsv"));
  const table = {};
  const misses = [];
  for (const q of queries) {
    const ids = engine.search(index(site, q.lang), q.query, 3).map((r) => r.doc.i);
    for (const key of [`${q.lang} all`, `${q.lang} ${q.kind}`]) {
      const row = (table[key] ??= { n: 0, at1: 0, at3: 0 });
      row.n++;
      if (ids[0] === q.meant) row.at1++;
      if (ids.includes(q.meant)) row.at3++;
    }
    if (!ids.includes(q.meant)) misses.push(`${q.lang} ${q.kind} "${q.query}": expected ${q.meant}, got ${ids.join(", ") || "nothing"}`);
  }
  const pct = (a, n) => `${((100 * a) / n).toFixed(0)} %`;
  console.log("| language, kind | queries | recall@1 | recall@3 |\n| --- | --- | --- | --- |");
  for (const [key, row] of Object.entries(table).sort()) console.log(`| ${key} | ${row.n} | ${pct(row.at1, row.n)} | ${pct(row.at3, row.n)} |`);
  if (misses.length) console.log(`misses:\n${misses.join("\n")}`);
  for (const lang of ["fi", "sv"]) {
    const row = table[`${lang} all`];
    assert.ok(row.n >= 40, `${lang}: ${row.n} queries`);
    assert.ok(row.at3 / row.n >= 0.95, `${lang} recall@3 ${pct(row.at3, row.n)}:\n${misses.join("\n")}`);
    assert.ok(row.at1 / row.n >= 0.9, `${lang} recall@1 ${pct(row.at1, row.n)}`);
  }
  // Reported on the sample (issue #20): self-harm found the back-pain path
  // first; "raskaus" listed back pain second; every path answered
  // "mielenterveys" and "selkäkipu"; "rahat loppu" found nothing.
  const ids = (lang, q) => engine.search(index(site, lang), q, 20).map((r) => r.doc.i);
  assert.deepEqual(ids("fi", "itsetuhoisuus"), ["mielenterveys-ja-paihdepalvelut"]);
  assert.deepEqual(ids("fi", "raskaus"), ["raskaudenkeskeytys"]);
  assert.deepEqual(ids("fi", "mielenterveys"), ["mielenterveys-ja-paihdepalvelut"]);
  assert.deepEqual(ids("fi", "selkäkipu"), ["alaselkakipu"]);
  assert.deepEqual(ids("fi", "rahat loppu"), ["sosiaalineuvonta-aikuisille"]);
  assert.deepEqual(ids("sv", "ryggsmärta"), ["alaselkakipu"]);
  assert.deepEqual(ids("fi", "autovero"), []);
  assert.deepEqual(ids("sv", "bygglov"), []);
});

test("crisis words are recognised as people write them, and everyday words are not taken for them", () => {
  const site = built(null);
  const crisis = {
    fi: ["itsetuhoisuus", "haluan kuolla", "en halua enää elää", "ajattelen itsemurhaa", "haluan tappaa itseni", "tapan itseni",
      "viillän itseäni", "satutan itseäni", "lopettaa elämäni", "itsari", "tekis mieli kuolla", "väkivalta kotona", "mies lyö",
      "raiskattiin", "perheväkivalta", "itsemurha-ajatuksia", "pelkään miestäni", "itsemurah", "kriisipuhelin"],
    sv: ["jag vill dö", "tankar på självmord", "vill inte leva", "ta livet av mig", "suicid", "våld i hemmet", "min man slår mig",
      "våldtäkt", "skada mig själv", "självmordstankar"],
    en: ["self harm help", "i want to die", "i don't want to live", "cutting myself", "hurting myself", "selfharm", "overdose",
      "suicidal thoughts", "domestic violence", "afraid of my husband"],
  };
  const everyday = {
    fi: ["raskaus", "sydän hakkaa", "lyöty polvi", "elämänhallinta", "selkäkipu", "ajanvaraus", "apteekki", "kuolinpesä", "lyijy"],
    sv: ["jag vill boka tid hos doktor", "vill ha dosett", "vill donera blod", "kristinestad hälsocentral", "kristen församling",
      "valda tider", "graviditet", "ryggsmärta"],
    en: ["i want to talk to a dietitian", "back pain", "pregnancy", "appointment", "crisp"],
  };
  const wrong = [];
  for (const [want, set] of [[true, crisis], [false, everyday]]) {
    for (const [lang, queries] of Object.entries(set)) {
      for (const q of queries) if (engine.isCrisis(index(site, lang), q) !== want) wrong.push(`${lang} "${q}": ${want ? "missed" : "taken for a crisis"}`);
    }
  }
  assert.deepEqual(wrong, []);
});
