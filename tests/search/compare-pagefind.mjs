// One-off evaluation behind the choice of search engine (docs/search.md,
// docs/dependencies.md): runs tests/search/queries.tsv against Pagefind
// (its CLI from PyPI: `pip install 'pagefind[bin]'`) over the built sample
// site, in Chromium, and prints recall@1 and recall@3 per language.
//   node tests/search/compare-pagefind.mjs SITE_WITH_PAGEFIND_INDEX
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, launch, serveDir } from "../browser/harness.mjs";

const site = process.argv[2];
const { server, base } = await serveDir(site);
const queries = readFileSync(join(ROOT, "tests", "search", "queries.tsv"), "utf8")
  .split("\n").filter((l) => l.trim() && !l.startsWith("#")).map((l) => l.split("\t"));
const idOf = JSON.parse(readFileSync(join(site, "search", "fi.json"), "utf8")).docs
  .concat(JSON.parse(readFileSync(join(site, "search", "sv.json"), "utf8")).docs)
  .reduce((m, d) => ((m[d.u] = d.i), m), {});
const browser = await launch();
const page = await (await browser.newContext()).newPage();
const rows = {};
for (const lang of ["fi", "sv"]) {
  await page.goto(base + lang + "/");
  await page.evaluate(async () => { window.pf = await import("/pagefind/pagefind.js"); await window.pf.init(); });
  for (const [l, kind, query, expected] of queries.filter((q) => q[0] === lang)) {
    const urls = await page.evaluate(async (q) => {
      const r = await window.pf.search(q);
      return Promise.all(r.results.slice(0, 20).map(async (x) => (await x.data()).url));
    }, query);
    // Fair to Pagefind: only path pages count; channel, home and A–Ö pages are skipped.
    const ids = urls.map((u) => idOf[u.replace(/#.*/, "")]).filter(Boolean).slice(0, 3);
    for (const key of [`${l} all`, `${l} ${kind}`]) {
      const row = (rows[key] ??= { n: 0, at1: 0, at3: 0 });
      row.n++;
      if (ids[0] === expected) row.at1++;
      if (ids.includes(expected)) row.at3++;
    }
  }
}
for (const [key, r] of Object.entries(rows).sort()) console.log(`| ${key} | ${r.n} | ${Math.round((100 * r.at1) / r.n)} % | ${Math.round((100 * r.at3) / r.n)} % |`);
await browser.close();
server.close();
