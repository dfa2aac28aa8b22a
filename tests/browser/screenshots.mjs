// Writes the screenshots of docs/screenshots/: the sample site and the
// second brand of docs/theming.md at 375 and 1280 px. Run by hand after a
// change to the theme (it is not a test):
//   node tests/browser/screenshots.mjs
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT, launch, serveDir } from "./harness.mjs";

const OUT = join(ROOT, "docs", "screenshots");
const sample = join(ROOT, "target", "screenshot-sample");
const brand = join(ROOT, "target", "screenshot-brand");
const a = await serveDir(sample);
const b = await serveDir(brand);
execFileSync("cargo", ["run", "--quiet", "--release", "--", "build", "--out", sample, "--base-url", a.base], { cwd: ROOT, stdio: "inherit" });
execFileSync(join(ROOT, "examples", "second-brand", "build.sh"), [brand], { cwd: ROOT, stdio: "inherit" });
mkdirSync(OUT, { recursive: true });
const browser = await launch();
const shots = [
  [a.base, "fi/", 1280, "home-fi-1280"],
  [a.base, "fi/", 375, "home-fi-375"],
  [a.base, "fi/alaselkakipu/", 1280, "path-fi-1280"],
  [a.base, "sv/landryggssmarta/", 375, "path-sv-375"],
  [a.base, "fi/sosiaalipalvelujen-neuvonta/", 375, "path-fi-375-open", true],
  [a.base, "sv/servicekanaler/", 375, "channels-sv-375"],
  [a.base, "en/low-back-pain/", 375, "path-en-375", true],
  [a.base, "en/", 375, "home-en-375"],
  [a.base, "", 1280, "landing-1280"],
  [a.base, "fi/404.html", 375, "404-fi-375"],
  [b.base, "fi/", 1280, "second-brand-home-fi-1280"],
  [b.base, "sv/avbrytande-av-graviditet/", 375, "second-brand-path-sv-375", true],
];
for (const [base, path, width, name, openAll] of shots) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(base + path);
  if (openAll && (await page.locator(".steps-all").count())) await page.click(".steps-all");
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: !name.includes("1280") || name.startsWith("path") });
  await context.close();
}
await browser.close();
a.server.close();
b.server.close();
console.log(`screenshots in ${OUT}`);
