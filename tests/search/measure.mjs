// Time from a keystroke to results on the search page, in Chromium, for a
// built site: the first search (index download and parse included) and
// later ones. Prints the medians of 7 runs (docs/benchmarks.md).
//   node tests/search/measure.mjs SITE_DIR [QUERY]
import { launch, serveDir } from "../browser/harness.mjs";

const [site, query = "selkäkipu"] = process.argv.slice(2);
let bytes = 0;
const { server, base } = await serveDir(site, {
  onFile: (file, body) => {
    if (file.endsWith(".json") || file.endsWith("search.js")) bytes += body.length;
  },
});
const browser = await launch();
const first = [];
const later = [];
let downloaded = 0;
for (let run = 0; run < 7; run++) {
  bytes = 0;
  const page = await (await browser.newContext()).newPage();
  await page.goto(base + "fi/haku/");
  for (const [i, q] of [query, query + " hoito", "toimeentulotuki"].entries()) {
    const ms = await page.evaluate(async (q) => {
      const input = document.querySelector("#search-q");
      const status = document.querySelector("[data-search-status]");
      const start = performance.now();
      input.value = q;
      input.form.requestSubmit();
      await new Promise((ok) => {
        const check = () => (status.textContent.includes(q) ? ok() : requestAnimationFrame(check));
        check();
      });
      return performance.now() - start;
    }, q);
    (i === 0 ? first : later).push(ms);
  }
  downloaded = bytes;
  await page.context().close();
}
const median = (v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)].toFixed(0);
console.log(`first search: median ${median(first)} ms; later searches: median ${median(later)} ms; downloaded for search: ${downloaded} bytes (uncompressed)`);
await browser.close();
server.close();
