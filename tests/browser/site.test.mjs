// The accessibility proof of the default theme, in a real browser.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { ROOT, SITE, build, launch, serve, serveDir, sitemapUrls } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const VNU = require.resolve("vnu-jar/build/dist/vnu.jar");
const SHOTS = join(ROOT, "target", "screenshots");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

let server, base, browser, urls;
const FI_PATH = "fi/raskaudenkeskeytys/";
const SV_PATH = "sv/avbrytande-av-graviditet/";

before(async () => {
  ({ server, base } = await serve());
  build(base);
  urls = await sitemapUrls();
  // 404 pages are not in the sitemap but are pages people land on.
  urls.push(`${base}404.html`, `${base}fi/404.html`, `${base}sv/404.html`);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function newPage(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  return { context, page };
}

describe("axe-core on every page, both widths", () => {
  test("0 violations (WCAG 2.2 AA and best practice), every phase closed and open", async () => {
    const failures = [];
    let checked = 0;
    for (const width of [1280, 320]) {
      const { context, page } = await newPage({ viewport: { width, height: 900 } });
      for (const url of urls) {
        await page.goto(url);
        await page.addScriptTag({ path: AXE });
        const hasSteps = (await page.locator(".steps-all").count()) > 0;
        for (const state of hasSteps ? ["closed", "open"] : ["page"]) {
          if (state === "open") {
            await page.click(".steps-all");
            await page.click(".segments summary");
          }
          const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
          for (const v of result.violations) {
            for (const node of v.nodes) {
              failures.push(`${url} @${width}px (${state}): ${v.id} (${v.impact}) ${node.target.join(" ")}: ${v.help}`);
            }
          }
          checked++;
        }
      }
      await context.close();
    }
    console.log(`axe: ${checked} page views (${urls.length} pages x 2 widths, path pages closed and open), ${failures.length} violations`);
    assert.deepEqual(failures, [], `axe violations:\n${failures.join("\n")}`);
  });
});

describe("layout", () => {
  test("reflow at 320 CSS px and at 200 % text size: no horizontal scrolling", async () => {
    const problems = [];
    const { context, page } = await newPage({ viewport: { width: 320, height: 800 } });
    const { context: zoomContext, page: zoomed } = await newPage({ viewport: { width: 640, height: 800 } });
    for (const url of urls) {
      await page.goto(url);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      if (w > 320) problems.push(`${url}: ${w}px wide at 320px`);
      await zoomed.goto(url);
      await zoomed.evaluate(() => (document.documentElement.style.fontSize = "200%"));
      const z = await zoomed.evaluate(() => document.documentElement.scrollWidth);
      if (z > 640) problems.push(`${url}: ${z}px wide at 640px with 200 % text`);
    }
    await context.close();
    await zoomContext.close();
    assert.deepEqual(problems, []);
  });

  test("controls are at least 24 x 24 px and focus is visible", async () => {
    const { context, page } = await newPage({ viewport: { width: 320, height: 800 } });
    const small = [];
    for (const path of [FI_PATH, SV_PATH, "fi/", "sv/palvelukanavat/".replace("palvelukanavat", "servicekanaler")]) {
      await page.goto(base + path);
      const found = await page.evaluate(() =>
        [...document.querySelectorAll("button, input, select, .language-switch a, .skip-link")]
          .filter((el) => el.getClientRects().length > 0)
          .map((el) => ({ name: el.outerHTML.slice(0, 80), r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width < 24 || r.height < 24)
          .map(({ name, r }) => `${name} ${r.width}x${r.height}`),
      );
      small.push(...found.map((f) => `${path}: ${f}`));
    }
    assert.deepEqual(small, []);
    // Focus indicator: the focused element gets an outline of at least 2px.
    await page.goto(base + FI_PATH);
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { cls: document.activeElement.className, outline: parseFloat(s.outlineWidth), style: s.outlineStyle };
    });
    assert.equal(focus.cls, "skip-link");
    assert.ok(focus.outline >= 2 && focus.style !== "none", JSON.stringify(focus));
    await context.close();
  });
});

describe("the public site as citizens use it", () => {
  const SPACING = "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }";

  test("WCAG 1.4.12 text spacing at 320 px, every phase open: nothing overflows on any page", async () => {
    const { context, page } = await newPage({ viewport: { width: 320, height: 800 } });
    const problems = [];
    for (const url of urls) {
      await page.goto(url);
      const all = page.locator(".steps-all");
      if (await all.count()) {
        if ((await all.getAttribute("aria-expanded")) !== "true") await all.click();
      }
      await page.addStyleTag({ content: SPACING });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 320) problems.push(`${url}: ${width}px wide`);
      const over = await page.evaluate(() =>
        [...document.querySelectorAll("main *, header *, footer *")]
          .filter((e) => !e.closest(".visually-hidden, .skip-link") && e.getClientRects().length > 0)
          .filter((e) => e.getBoundingClientRect().right > 321)
          .slice(0, 3)
          .map((e) => e.outerHTML.slice(0, 90)),
      );
      problems.push(...over.map((o) => `${url}: ${o}`));
    }
    await context.close();
    assert.deepEqual(problems, []);
  });

  test("the skip link moves focus to the content without colouring it", async () => {
    const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(base + FI_PATH);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    const main = await page.evaluate(() => ({
      id: document.activeElement.id,
      background: getComputedStyle(document.activeElement).backgroundColor,
      shadow: getComputedStyle(document.activeElement).boxShadow,
    }));
    assert.equal(main.id, "main");
    assert.equal(main.background, "rgba(0, 0, 0, 0)");
    assert.equal(main.shadow, "none");
    await context.close();
  });

  test("the Close button names its phase in the phase title's own language", async () => {
    const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
    for (const [path, lang] of [[FI_PATH, "fi"], [SV_PATH, "sv"]]) {
      await page.goto(base + path);
      const langs = await page.evaluate(() =>
        [...document.querySelectorAll(".step-close")].map((b) => {
          const named = b.querySelector(".visually-hidden span[lang]");
          const title = b.closest(".step").querySelector(".step-title");
          return [named?.getAttribute("lang"), title.closest("[lang]").getAttribute("lang"), named?.textContent === title.textContent];
        }),
      );
      assert.ok(langs.length > 2);
      for (const [named, own, same] of langs) {
        assert.equal(named, own);
        assert.equal(own, lang);
        assert.ok(same);
      }
    }
    await context.close();
  });

  test("a text-message service sends a text message; calls call; emergency numbers on the page", async () => {
    const { context, page } = await newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(base + "fi/sosiaalipalvelujen-neuvonta/");
    await page.click(".steps-all");
    const sms = await page.locator(".channel-sms .action-button").first();
    assert.match(await sms.getAttribute("href"), /^sms:\+35850/);
    assert.match(await sms.textContent(), /^Lähetä tekstiviesti numeroon/);
    assert.equal(await page.locator(".channel-sms a[href^='tel:']").count(), 0);
    const call = page.locator(".channel-phone .action-button").first();
    assert.match(await call.getAttribute("href"), /^tel:/);
    // On a phone the action is a full-width button.
    const box = await call.boundingBox();
    const card = await page.locator(".channel-phone").first().boundingBox();
    assert.ok(box.width > card.width * 0.8, `${box.width} of ${card.width}`);
    assert.equal(await page.locator(".emergency-strip a[href='tel:112']").count(), 1);
    await context.close();
  });

  test("print shows the guidance labels, the organisation and the page's address", async () => {
    const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(base + FI_PATH);
    await page.emulateMedia({ media: "print" });
    const printed = await page.evaluate(() => ({
      labels: document.querySelector(".segments [data-segment-fallback]").getClientRects().length > 0,
      chooser: document.querySelector("[data-segment-chooser]").getClientRects().length > 0,
      header: document.querySelector(".print-only").innerText,
    }));
    assert.ok(printed.labels, "the list of what each label means prints");
    assert.ok(!printed.chooser);
    assert.match(printed.header, /Rannikon hyvinvointialue/);
    assert.ok(printed.header.includes(FI_PATH), printed.header);
    await context.close();
  });
});

describe("site search", () => {
  test("from any page's search field to results, announced, in Finnish, Swedish and English", async () => {
    const { context, page } = await newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(base + "fi/");
    await page.fill("#header-q", "selkäni");
    await page.press("#header-q", "Enter");
    await page.waitForURL(/\/fi\/haku\/\?q=/);
    const status = page.locator("[data-search-status]");
    assert.equal(await status.getAttribute("role"), "status");
    await page.waitForFunction(() => document.querySelector("[data-search-status]").textContent.includes("haulle"));
    assert.equal(await status.textContent(), "1 palvelupolku haulle ”selkäni”");
    const first = page.locator(".search-result").first();
    assert.equal(await first.locator("h2 a").textContent(), "Alaselkäkipu");
    assert.match(await first.locator("h2 a").getAttribute("href"), /\/fi\/alaselkakipu\/$/);
    // Typing searches as you go, and the matching phase is a link of its own.
    await page.fill("#search-q", "fysiotrapeutille");
    await page.waitForFunction(() => document.querySelector("[data-search-status]").textContent.includes("fysiotrapeutille"));
    assert.match(await page.locator(".search-result-phase a").first().getAttribute("href"), /#fysioterapeutti$/);
    // Keyboard: the first result is the next stop after the field and its button.
    await page.focus("#search-q");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.closest(".search-result") !== null), true);

    await page.goto(base + "sv/sok/?q=" + encodeURIComponent("ångest"));
    await page.waitForFunction(() => document.querySelector("[data-search-status]").textContent.includes("ångest"));
    assert.match(await page.locator(".search-result h2 a").first().textContent(), /Mentalvårds/);
    // Nothing in Swedish: say so, and offer the same search in Finnish.
    await page.fill("#search-q", "xyzzyq");
    await page.waitForFunction(() => document.querySelector("[data-search-status]").textContent.includes("xyzzyq"));
    assert.match(await status.textContent(), /gav inga servicestigar på svenska/);
    // Nothing in Swedish: offer the same search in every other language.
    const other = page.locator('[data-search-other-link][hreflang="fi"]');
    assert.equal(await other.isVisible(), true);
    assert.match(await other.getAttribute("href"), /\/fi\/haku\/\?q=xyzzyq$/);
    const english = page.locator('[data-search-other-link][hreflang="en"]');
    assert.match(await english.getAttribute("href"), /\/en\/search\/\?q=xyzzyq$/);

    // In English, with English stems: "appointments" finds "appointment".
    await page.goto(base + "en/search/?q=" + encodeURIComponent("physiotherapist appointment"));
    await page.waitForFunction(() => document.querySelector("[data-search-status]").textContent.includes("physiotherapist"));
    assert.match(await page.locator(".search-result h2 a").first().textContent(), /Low back pain/);
    await context.close();
  });

  test("a crisis query shows the crisis numbers first, as call buttons, announced, in every language; axe finds nothing", async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const [width, lang, path, query, callText] of [
      [375, "fi", "fi/haku/", "itsetuhoisia ajatuksia", "Soita 09 2525 0111"],
      [1280, "sv", "sv/sok/", "vill inte leva längre", "Ring 09 2525 0111"],
      [375, "en", "en/search/", "I want to kill myself", "Call 09 2525 0111"],
    ]) {
      const { context, page } = await newPage({ viewport: { width, height: 812 } });
      await page.goto(base + path + "?q=" + encodeURIComponent(query));
      const box = page.locator("[data-crisis] .crisis");
      await box.waitFor({ state: "visible" });
      const call = box.locator("a.crisis-call", { hasText: callText });
      assert.equal(await call.getAttribute("href"), "tel:0925250111", lang);
      assert.equal(await box.locator('a[href="tel:112"]').count(), 1, lang);
      // The box stands above the status and every result.
      const boxTop = (await box.boundingBox()).y;
      for (const r of await page.locator(".search-status, .search-result").all()) {
        if (await r.isVisible()) assert.ok((await r.boundingBox()).y > boxTop, `${lang}: something above the crisis box`);
      }
      // A screen reader hears where the numbers are.
      const status = await page.locator("[data-search-status]").textContent();
      assert.ok(status.length > query.length && status.indexOf(query) > 0, `${lang} status: ${status}`);
      await page.addScriptTag({ path: AXE });
      const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
      assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.help}`), [], `${lang} @${width}px`);
      await page.screenshot({ path: join(SHOTS, `search-crisis-${lang}-${width}.png`) });
      // An ordinary query shows no crisis box.
      await page.fill("#search-q", lang === "fi" ? "selkäkipu" : lang === "sv" ? "ryggsmärta" : "back pain");
      await page.waitForFunction(() => document.querySelector(".search-result") && document.querySelector("[data-crisis]").hidden);
      await context.close();
    }
  });

  test("search answers what a person means, and nothing for what the site is not about", async () => {
    const { context, page } = await newPage();
    for (const [path, query, first] of [
      ["fi/haku/", "itsetuhoisuus", /Mielenterveys/],
      ["fi/haku/", "raskaus", /raskauden keskeyttämistä/],
      ["sv/sok/", "graviditet", /avbryta/i],
    ]) {
      await page.goto(base + path + "?q=" + encodeURIComponent(query));
      await page.waitForSelector(".search-result");
      assert.match(await page.locator(".search-result h2 a").first().textContent(), first, query);
    }
    // "raskaus" (pregnancy) is not a crisis word, though "raiskaus" is one typing mistake away.
    assert.equal(await page.evaluate(() => document.querySelector("[data-crisis]").hidden), true);
    await page.goto(base + "fi/haku/?q=autovero");
    await page.waitForFunction(() => document.querySelector("[data-search-status]").textContent.includes("autovero"));
    assert.equal(await page.locator(".search-result").count(), 0);
    await context.close();
  });

  test("without JavaScript the search page lists every path and channel A–Ö and offers the county's search", async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await page.goto(base + "fi/");
    await page.fill("#header-q", "selkä");
    await page.press("#header-q", "Enter");
    await page.waitForURL(/\/fi\/haku\/\?q=/);
    assert.equal(await page.locator(".search-result").count(), 0);
    // It says why there are no results, and the crisis numbers are there for everyone.
    assert.match(await page.locator(".nojs-search").textContent(), /JavaScript/);
    assert.equal(await page.locator('.crisis a[href="tel:0925250111"]:visible').count(), 1);
    assert.equal(await page.locator('.crisis a[href="tel:112"]:visible').count(), 1);
    assert.ok((await page.locator(".a-to-o-list a").count()) >= 5 + 10, "paths and channels");
    const external = page.locator("form.external-search");
    assert.equal(await external.getAttribute("action"), "https://hyvinvointialue.example.org/fi/haku");
    assert.equal(await external.locator("input").getAttribute("name"), "q");
    await context.close();
  });
});

describe("published under a sub-path", () => {
  test("pages, assets, scripts, search, sitemap, alternates and 404 pages all work below /palvelupolut/", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "polku-subpath-")), "out");
    const prefix = "/palvelupolut/";
    const { server, base: sub } = await serveDir(dir, { prefix });
    execFileSync(join(ROOT, "target", "release", "polku"), ["build", "--out", dir, "--base-url", sub], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
    const failed = [];
    page.on("response", (r) => { if (r.status() >= 400 && !r.url().includes("ei-ole")) failed.push(`${r.status()} ${r.url()}`); });
    try {
      await page.goto(sub);
      await page.click("a[hreflang=fi].language-card");
      assert.equal(new URL(page.url()).pathname, `${prefix}fi/`);
      // The stylesheet applies and the script runs (once the page has loaded:
      // the URL changes before the stylesheet arrives).
      await page.waitForLoadState("load");
      assert.notEqual(await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")).backgroundColor), "rgba(0, 0, 0, 0)");
      await page.click(".topic-card a.path-link");
      await page.waitForSelector(".steps-all");
      assert.match(await page.getAttribute("link[rel=canonical]", "href"), new RegExp(`^${sub}fi/`));
      for (const href of await page.locator("link[rel=alternate]").evaluateAll((ls) => ls.map((l) => l.href))) assert.ok(href.startsWith(sub), href);
      // Search, from the header field.
      await page.fill("#header-q", "abortti");
      await page.press("#header-q", "Enter");
      await page.waitForSelector(".search-result");
      const hit = await page.locator(".search-result h2 a").first().getAttribute("href");
      assert.ok(hit.startsWith(prefix), hit);
      await page.goto(sub + "sv/ei-ole/");
      assert.match(await page.textContent("h1"), /Sidan hittades inte/);
      await page.click(".a-to-o-list a");
      assert.ok(new URL(page.url()).pathname.startsWith(`${prefix}sv/`));
      const sitemap = readFileSync(join(dir, "sitemap.xml"), "utf8");
      const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
      assert.ok(locs.length > 20 && locs.every((l) => l.startsWith(sub)), "every sitemap address under the sub-path");
      assert.match(readFileSync(join(dir, "robots.txt"), "utf8"), new RegExp(`Sitemap: ${sub}sitemap.xml`));
      assert.deepEqual(failed, [], "no request outside the sub-path or missing");
    } finally {
      await context.close();
      server.close();
    }
  });
});

describe("security headers", () => {
  test("every page works under the Content-Security-Policy of _headers, with no violation", async () => {
    const { server: headed, base: hbase } = await serveDir(SITE, { headers: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(() => {
      window.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    const violations = [];
    try {
      for (const url of urls) {
        const response = await page.goto(url.replace(base, hbase));
        assert.match(response.headers()["content-security-policy"] ?? "", /script-src 'self'/, url);
        if (await page.locator(".steps-all").count()) {
          await page.click(".steps-all");
          await page.click(".segments summary");
          await page.check("#segment-s1");
        }
        violations.push(...(await page.evaluate(() => window.__violations)).map((v) => `${url}: ${v}`));
      }
      // Search fetches its index and renders results under the same policy.
      await page.goto(hbase + "sv/sok/?q=" + encodeURIComponent("ångest"));
      await page.waitForSelector(".search-result");
      violations.push(...(await page.evaluate(() => window.__violations)));
      // Hashed assets are cached for a year, pages are not.
      const css = await page.evaluate(() => document.querySelector("link[rel=stylesheet]").href);
      const cssResponse = await page.request.get(css);
      assert.match(cssResponse.headers()["cache-control"], /immutable/);
      assert.equal(response_cache(await page.request.get(hbase + "fi/")), undefined);
    } finally {
      await context.close();
      headed.close();
    }
    assert.deepEqual(violations, []);
  });
});

function response_cache(response) {
  return response.headers()["cache-control"];
}

describe("Nu Html Checker", () => {
  test("0 errors on every HTML file", () => {
    const files = [];
    (function walk(dir) {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name.endsWith(".html")) files.push(p);
      }
    })(SITE);
    // The checker must run and must see errors where there are some: a
    // missing Java or a broken jar is a failure, not "0 errors".
    const canary = join(mkdtempSync(join(tmpdir(), "polku-vnu-")), "broken.html");
    writeFileSync(canary, '<!DOCTYPE html><html lang="fi"><title>x</title><p><div></p>');
    const vnu = (paths) => spawnSync("java", ["-jar", VNU, "--errors-only", "--format", "gnu", ...paths], { encoding: "utf8" });
    const check = vnu([canary]);
    assert.ifError(check.error);
    assert.equal(check.status, 1, `the checker did not run: ${check.stderr}`);
    assert.match(check.stdout + check.stderr, /broken\.html/);
    const result = vnu(files);
    assert.ifError(result.error);
    assert.ok(result.status === 0 || result.status === 1, `vnu exited ${result.status}: ${result.stderr}`);
    const errors = `${result.stdout}${result.stderr}`.split("\n").filter((l) => l.trim()).map((l) => l.replace(SITE + "/", ""));
    console.log(`vnu: ${files.length} HTML files, ${errors.length} errors`);
    assert.deepEqual(errors, []);
  });
});

describe("keyboard", () => {
  test("phases open and close with Enter and Space, Show all / Hide all, Close returns focus", async () => {
    const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(base + FI_PATH);
    const toggle = (id) => page.locator(`#${id}-toggle`);
    const expanded = (id) => toggle(id).getAttribute("aria-expanded");
    const active = () => page.evaluate(() => document.activeElement.id || document.activeElement.className);

    // Every phase starts closed with a real button whose name includes the number.
    assert.equal(await expanded("harkinta"), "false");
    assert.equal(await page.locator("#harkinta-body").isHidden(), true);
    const name = await toggle("harkinta").evaluate((b) => b.textContent.replace(/\s+/g, " ").trim());
    assert.match(name, /^Vaihe 1: Harkitset raskauden keskeyttämistä/);
    assert.equal(await toggle("harkinta").getAttribute("aria-controls"), "harkinta-body");

    // Tab from the top reaches the skip link first, then the phase buttons in order.
    await page.keyboard.press("Tab");
    assert.equal(await active(), "skip-link");
    let guard = 0;
    while ((await active()) !== "harkinta-toggle" && guard++ < 60) await page.keyboard.press("Tab");
    assert.equal(await active(), "harkinta-toggle");

    await page.keyboard.press("Enter");
    assert.equal(await expanded("harkinta"), "true");
    assert.equal(await page.locator("#harkinta-body").isVisible(), true);
    await page.keyboard.press("Space");
    assert.equal(await expanded("harkinta"), "false");
    await page.keyboard.press("Space");
    assert.equal(await expanded("harkinta"), "true");

    // Close at the end of the open phase returns focus to its button.
    const close = page.locator("#harkinta-body .step-close");
    assert.match(await close.textContent(), /^Sulje vaihe 1: Harkitset/);
    await close.focus();
    await page.keyboard.press("Enter");
    assert.equal(await expanded("harkinta"), "false");
    assert.equal(await active(), "harkinta-toggle");

    // Show all / Hide all, with distinct accessible names.
    const all = page.locator(".steps-all");
    assert.equal((await all.textContent()).trim(), "Näytä kaikki vaiheet");
    await all.focus();
    await page.keyboard.press("Enter");
    for (const id of ["harkinta", "vastaanotto", "keskeytys", "jalkeen"]) assert.equal(await expanded(id), "true", id);
    assert.equal((await all.textContent()).trim(), "Piilota kaikki vaiheet");
    assert.equal(await all.getAttribute("aria-expanded"), "true");
    await page.keyboard.press("Space");
    for (const id of ["harkinta", "vastaanotto", "keskeytys", "jalkeen"]) assert.equal(await expanded(id), "false", id);
    assert.equal((await all.textContent()).trim(), "Näytä kaikki vaiheet");
    await context.close();
  });

  test("open phases are remembered per page, and a URL fragment opens its phase", async () => {
    const { context, page } = await newPage();
    await page.goto(base + FI_PATH);
    await page.click("#keskeytys-toggle");
    await page.reload();
    assert.equal(await page.getAttribute("#keskeytys-toggle", "aria-expanded"), "true");
    assert.equal(await page.getAttribute("#harkinta-toggle", "aria-expanded"), "false");
    await page.goto(base + SV_PATH + "#jalkeen");
    assert.equal(await page.getAttribute("#jalkeen-toggle", "aria-expanded"), "true");
    assert.equal((await page.textContent(".steps-all")).trim(), "Visa alla skeden");
    // An overview link opens the phase it names.
    await page.click('.overview-list a[href="#vastaanotto"]');
    // The phase opens on the hashchange event, which the browser queues.
    await page.waitForFunction(() => document.querySelector("#vastaanotto-toggle").getAttribute("aria-expanded") === "true", null, { timeout: 5000 });
    await context.close();
  });

  test("choosing what matters is optional, announced, and brings that guidance to the top of every phase", async () => {
    const { context, page } = await newPage({ viewport: { width: 375, height: 667 } });
    await page.goto(base + FI_PATH);
    // On a phone the optional chooser is one line, and does not push step 1 off the first screens.
    assert.equal(await page.locator("[data-segment-chooser]").isVisible(), false);
    const summary = await page.locator(".segments summary").boundingBox();
    assert.ok(summary.height < 100, `${summary.height}px`);
    await page.click(".segments summary");
    await page.check("#segment-s4");
    const status = page.locator("[data-segment-status]");
    assert.equal(await status.getAttribute("role"), "status");
    assert.match(await status.textContent(), /^Näytämme ensin ohjeet valinnalle: Haluan apua nopeasti\.$/);
    const chosen = await page.locator(".guidance-item.is-chosen").evaluateAll((els) => els.map((e) => e.dataset.segment));
    assert.ok(chosen.length >= 2 && chosen.every((s) => s === "s4"), JSON.stringify(chosen));
    // In every phase with that guidance it is now the first thing in the phase.
    const firsts = await page.evaluate(() =>
      [...document.querySelectorAll(".guidance-item.is-chosen")].map((g) => {
        const body = g.closest(".step-body");
        return body.firstElementChild.classList.contains("chosen-guidance") && body.firstElementChild.contains(g);
      }),
    );
    assert.ok(firsts.every(Boolean), JSON.stringify(firsts));
    await page.click("#harkinta-toggle");
    const badges = await page.locator(".guidance-badge:visible").evaluateAll((els) => els.map((e) => e.closest(".guidance-item").dataset.segment));
    assert.deepEqual(badges, ["s4"], "only the chosen guidance carries the badge");
    // "All" puts everything back in the page's own order.
    await page.check("#segment-all");
    assert.match(await status.textContent(), /kaikki ohjeet/);
    assert.equal(await page.locator(".chosen-guidance:visible").count(), 0);
    assert.equal(await page.locator(".guidance .guidance-item").count(), await page.locator(".guidance-item").count());
    await page.check("#segment-s4");
    await page.goto(base + "fi/alaselkakipu/");
    assert.equal(await page.isChecked("#segment-s4"), true);
    assert.ok((await page.locator(".guidance-item.is-chosen").count()) >= 1);
    await context.close();
  });

  test("channels with opening hours say whether they are open now, in Finnish time", async () => {
    const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
    // Tuesday 10:00 in Helsinki (07:00 UTC in November), then Sunday.
    await page.clock.setFixedTime(new Date("2026-11-24T08:00:00Z"));
    await page.goto(base + "fi/palvelukanavat/");
    const open = await page.locator(".channel-card[data-hours] .open-now").allTextContents();
    assert.ok(open.length >= 3 && open.includes("Avoinna nyt"), JSON.stringify(open));
    await page.clock.setFixedTime(new Date("2026-11-29T08:00:00Z"));
    await page.goto(base + "sv/servicekanaler/");
    const closed = await page.locator(".channel-card[data-hours] .open-now").allTextContents();
    assert.ok(closed.includes("Stängt nu"), JSON.stringify(closed));
    await context.close();
  });
});

describe("contacts and warnings that cannot be missed", () => {
  test("the mental-health path has the crisis line above its first phase, leading with the call", async () => {
    const { context, page } = await newPage({ viewport: { width: 375, height: 812 } });
    await page.goto(base + "fi/mielenterveys-ja-paihdepalvelut/");
    const urgent = page.locator("aside.urgent");
    assert.match(await urgent.locator("h2").textContent(), /Jos tarvitset apua heti/);
    assert.equal(await urgent.locator("a.action-button").getAttribute("href"), "tel:0925250111");
    assert.match(await urgent.locator("a.action-button").textContent(), /^Soita 09 2525 0111$/);
    assert.ok((await urgent.boundingBox()).y < (await page.locator(".step").first().boundingBox()).y);
    // The crisis line's own card leads with the call too, not with its web site.
    const card = page.locator('.channel-card:has(a[href*="kriisipuhelin"]) .channel-action a').first();
    assert.equal(await card.getAttribute("href"), "tel:0925250111");
    await page.screenshot({ path: join(SHOTS, "path-urgent-fi-375.png") });
    await context.close();
  });

  test("red flags are a warning: icon, bold text, said as a warning, kept in forced colours", async () => {
    for (const [path, word] of [["fi/alaselkakipu/", "Varoitus"], ["sv/landryggssmarta/", "Varning"], ["en/low-back-pain/", "Warning"]]) {
      const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(base + path);
      const warning = page.locator(".warning-text").first();
      assert.equal(await warning.locator(".visually-hidden").textContent(), `${word}: `, path);
      assert.equal(await warning.locator(".warning-text-icon").getAttribute("aria-hidden"), "true");
      assert.equal(await warning.locator(".warning-text-body").evaluate((e) => getComputedStyle(e).fontWeight), "700");
      await page.emulateMedia({ forcedColors: "active" });
      const icon = await warning.locator(".warning-text-icon").evaluate((e) => getComputedStyle(e).borderTopStyle);
      assert.equal(icon, "solid");
      if (path.startsWith("fi")) await warning.screenshot({ path: join(SHOTS, "warning-fi-forced-colours.png") });
      await context.close();
    }
  });
});

describe("without JavaScript", () => {
  test("the text of every phase is visible and no control pretends to expand", async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    const pathUrls = urls.filter((u) => /\/(fi|sv)\/[^/]+\/$/.test(u) && !/palvelukanavat|servicekanaler|saavutettavuus|tillganglighet|\/haku\/|\/sok\//.test(u));
    assert.ok(pathUrls.length >= 10, `${pathUrls.length} path pages`);
    for (const url of pathUrls) {
      await page.goto(url);
      const bodies = page.locator(".step-body");
      const n = await bodies.count();
      assert.ok(n >= 3, url);
      for (let i = 0; i < n; i++) assert.equal(await bodies.nth(i).isVisible(), true, `${url} phase ${i + 1}`);
      assert.equal(await page.locator("[aria-expanded]").count(), 0, url);
      assert.equal(await page.locator("[data-segment-chooser]").isVisible(), false, url);
      assert.ok((await page.locator(".guidance-item").count()) > 0, url);
      assert.equal(await page.locator(".guidance-badge:visible").count(), 0, `${url}: no badge without a choice`);
    }
    await context.close();
  });
});

describe("screenshots", () => {
  test("path page: desktop Finnish, 320 px Swedish, print", async () => {
    mkdirSync(SHOTS, { recursive: true });
    let { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(base + FI_PATH + "#harkinta");
    await page.screenshot({ path: join(SHOTS, "path-fi-desktop.png"), fullPage: true });
    await context.close();
    ({ context, page } = await newPage({ viewport: { width: 320, height: 700 } }));
    await page.goto(base + SV_PATH);
    await page.click("#harkinta-toggle");
    await page.screenshot({ path: join(SHOTS, "path-sv-320.png"), fullPage: true });
    await page.emulateMedia({ media: "print" });
    await page.setViewportSize({ width: 800, height: 1100 });
    // Every phase prints open, with link addresses.
    for (const body of await page.locator(".step-body").all()) assert.equal(await body.isVisible(), true);
    const after = await page.evaluate(() => getComputedStyle(document.querySelector('.link-list a[href^="http"]'), "::after").content);
    assert.match(after, /attr\(href\)|https?:/);
    await page.screenshot({ path: join(SHOTS, "path-sv-print.png"), fullPage: true });
    await context.close();
    console.log(`screenshots in ${relative(ROOT, SHOTS)}`);
  });
});

/** Starts `polku serve` on a copy of the sample site; resolves to its URL. */
async function startServe(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), "polku-serve-"));
  cpSync(join(ROOT, "content"), join(dir, "content"), { recursive: true });
  cpSync(join(ROOT, "themes"), join(dir, "themes"), { recursive: true });
  const proc = spawn(join(ROOT, "target", "release", "polku"), ["serve", "--port", "0"], {
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...env },
  });
  const url = await new Promise((ok, fail) => {
    let err = "";
    proc.stderr.on("data", (d) => {
      err += d;
      const m = err.match(/Preview: (http:\/\/\S+)/);
      if (m) ok(m[1]);
    });
    proc.on("exit", () => fail(new Error(`serve exited: ${err}`)));
  });
  return { dir, proc, url };
}

describe("polku serve in the browser", () => {
  test("a save reloads the page, keeping scroll and open phases; an error shows the overlay", async () => {
    const { dir, proc, url } = await startServe();
    try {
      const { context, page } = await newPage({ viewport: { width: 1000, height: 700 } });
      await page.goto(url + "fi/alaselkakipu/");
      await page.click("#hoito-toggle");
      await page.evaluate(() => window.scrollTo(0, 1500));
      await page.waitForFunction(() => window.scrollY === 1500);
      const file = join(dir, "content", "paths", "alaselkakipu", "fi.md");
      writeFileSync(file, readFileSync(file, "utf8").replace("Vuodelepo ei auta selkäkipuun.", "Vuodelepo ei auta selkäkipuun. Uusi lause."));
      await page.waitForFunction(() => document.body.textContent.includes("Uusi lause."), null, { timeout: 10000 });
      await page.waitForFunction(() => window.scrollY === 1500, null, { timeout: 5000 });
      assert.equal(await page.getAttribute("#hoito-toggle", "aria-expanded"), "true", "open phases survive the reload");

      writeFileSync(file, readFileSync(file, "utf8").replace('title = "Alaselkäkipu"', 'title = "Alaselkäkipu'));
      await page.waitForSelector("#polku-overlay", { timeout: 10000 });
      assert.equal((await page.textContent("#polku-overlay h2")).trim(), "Sisällössä on virheitä");
      assert.match(await page.textContent("#polku-overlay"), /paths\/alaselkakipu\/fi\.md:2:\d+/);
      assert.ok(await page.locator("text=Uusi lause.").count(), "the last good page stays");

      writeFileSync(file, readFileSync(file, "utf8").replace('title = "Alaselkäkipu', 'title = "Alaselkäkipu"'));
      await page.waitForSelector("#polku-overlay", { state: "detached", timeout: 10000 });
      await context.close();
    } finally {
      proc.kill("SIGINT");
    }
  });

  test("24 open tabs idle past every timeout, then one save reloads them all, and a new tab loads at once", async () => {
    // Timeouts shortened (test-only variables) so that idling past them is quick.
    const { dir, proc, url } = await startServe({ POLKU_SERVE_IDLE_MS: "300", POLKU_SERVE_HEARTBEAT_MS: "500" });
    try {
      const { context } = await newPage({ viewport: { width: 800, height: 600 } });
      const addresses = ["fi/", "sv/", "fi/alaselkakipu/", "sv/landryggssmarta/"];
      const tabs = [];
      for (let i = 0; i < 24; i++) {
        const tab = await context.newPage();
        await tab.goto(url + addresses[i % addresses.length]);
        tabs.push(tab);
      }
      const generations = await Promise.all(tabs.map((t) => t.evaluate(() => document.querySelector("script[data-generation]").dataset.generation)));
      await new Promise((ok) => setTimeout(ok, 4000));
      const file = join(dir, "content", "paths", "alaselkakipu", "path.toml");
      writeFileSync(file, readFileSync(file, "utf8") + "\n");
      await Promise.all(
        tabs.map((t, i) =>
          t.waitForFunction((before) => document.querySelector("script[data-generation]")?.dataset.generation !== before, generations[i], { timeout: 15000 })
        )
      );
      const fresh = await context.newPage();
      // Loads at all while 24 reload streams are open (no timing asserted:
      // the timeout is a guard against a hang).
      const response = await fresh.goto(url + "fi/", { timeout: 30000 });
      assert.equal(response.status(), 200);
      await context.close();
    } finally {
      proc.kill("SIGINT");
    }
  });
});
