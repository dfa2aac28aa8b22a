// The evaluation behind the choice of search engine (docs/search.md,
// docs/dependencies.md): runs a query set against Pagefind (its CLI from
// PyPI: `pip install 'pagefind[bin]'`, then `python3 -m pagefind --site
// SITE`) over a built site, in Chromium through Pagefind's JavaScript API,
// and prints the same measures as tests/search/evaluate.mjs gives for
// polku's engine on the same site.
//   node tests/search/compare-pagefind.mjs SITE_WITH_PAGEFIND_INDEX QUERIES.tsv
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, serveDir } from "../browser/harness.mjs";
import { evaluate, readQueries, table, worst } from "./evaluate.mjs";

const [site, file] = process.argv.slice(2);
const { server, base } = await serveDir(site);
const queries = readQueries(file);
const idOf = {};
for (const lang of [...new Set(queries.map((q) => q.lang))]) {
  for (const d of JSON.parse(readFileSync(join(site, "search", `${lang}.json`), "utf8")).docs) idOf[d.u] = d.i;
}
const browser = await launch();
const pages = {};
async function pageFor(lang) {
  if (!pages[lang]) {
    const page = await (await browser.newContext()).newPage();
    await page.goto(base + lang + "/");
    await page.evaluate(async () => {
      window.pf = await import("/pagefind/pagefind.js");
      await window.pf.init();
    });
    pages[lang] = page;
  }
  return pages[lang];
}
const { rows, perQuery } = await evaluate(queries, async (q) => {
  const page = await pageFor(q.lang);
  const urls = await page.evaluate(async (query) => {
    const r = await window.pf.search(query);
    return Promise.all(r.results.slice(0, 30).map(async (x) => (await x.data()).url));
  }, q.query);
  // Fair to Pagefind: only path pages count; channel, home and A–Ö pages
  // are skipped, and each path once.
  return [...new Set(urls.map((u) => idOf[u.replace(/#.*/, "")]).filter(Boolean))];
});
console.log(table(rows));
console.log("\nworst ten:\n" + worst(perQuery).join("\n"));
await browser.close();
server.close();
