// Search quality on the query set tests/search/queries.tsv, against the
// index `polku build` writes for the sample site, with the same engine the
// browser runs (static/search.js). Prints recall@1 and recall@3 per
// language and kind (docs/search.md quotes them) and asserts recall@3.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./harness.mjs";

const require = createRequire(import.meta.url);
const engine = require(join(ROOT, "themes", "default", "static", "search.js"));

test("search finds the path a citizen means: recall@3 ≥ 95 % and recall@1 ≥ 90 % per language", () => {
  const out = join(mkdtempSync(join(tmpdir(), "polku-search-")), "public");
  execFileSync(join(ROOT, "target", "release", "polku"), ["build", "--out", out], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const queries = readFileSync(join(ROOT, "tests", "search", "queries.tsv"), "utf8")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => {
      const [lang, kind, query, expected] = l.split("\t");
      return { lang, kind, query, expected };
    });
  const indexes = {};
  for (const lang of ["fi", "sv"]) indexes[lang] = JSON.parse(readFileSync(join(out, "search", `${lang}.json`), "utf8"));
  const table = {};
  const misses = [];
  for (const q of queries) {
    const ids = engine.search(indexes[q.lang], q.query, 3).map((r) => r.doc.i);
    for (const key of [`${q.lang} all`, `${q.lang} ${q.kind}`]) {
      const row = (table[key] ??= { n: 0, at1: 0, at3: 0 });
      row.n++;
      if (ids[0] === q.expected) row.at1++;
      if (ids.includes(q.expected)) row.at3++;
    }
    if (!ids.includes(q.expected)) misses.push(`${q.lang} ${q.kind} "${q.query}": expected ${q.expected}, got ${ids.join(", ") || "nothing"}`);
  }
  const pct = (a, n) => `${((100 * a) / n).toFixed(0)} %`;
  console.log("| language, kind | queries | recall@1 | recall@3 |\n| --- | --- | --- | --- |");
  for (const [key, row] of Object.entries(table).sort()) console.log(`| ${key} | ${row.n} | ${pct(row.at1, row.n)} | ${pct(row.at3, row.n)} |`);
  if (misses.length) console.log(`misses:\n${misses.join("\n")}`);
  for (const lang of ["fi", "sv"]) {
    const row = table[`${lang} all`];
    assert.ok(row.n >= 40, `${lang}: ${row.n} queries`);
    assert.ok(row.at3 / row.n >= 0.95, `${lang} recall@3 ${pct(row.at3, row.n)}:\n${misses.join("\n")}`);
    // With five sample paths a top three is easy; the first hit must be right too.
    assert.ok(row.at1 / row.n >= 0.9, `${lang} recall@1 ${pct(row.at1, row.n)}`);
  }
});
