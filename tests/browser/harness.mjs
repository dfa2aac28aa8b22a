// Builds the sample site, serves it on loopback and launches Debian's
// Chromium through playwright-core. Nothing here downloads a browser.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const SITE = join(ROOT, "target", "browser-site");

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** Serves SITE like static hosting: index.html for folders, 404.html for misses. */
export async function serve() {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = normalize(join(SITE, path));
    if (!file.startsWith(SITE + sep) && file !== SITE) {
      res.writeHead(400).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": MIME[".html"] });
      res.end(await readFile(join(SITE, "404.html")));
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}/`;
  return { server, base };
}

/** Builds the sample site for `base` with the release binary. */
export function build(base) {
  execFileSync("cargo", ["run", "--quiet", "--release", "--", "build", "--out", SITE, "--base-url", base], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

/** Every page URL listed in the sitemap. */
export async function sitemapUrls() {
  const xml = await readFile(join(SITE, "sitemap.xml"), "utf8");
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
}

export function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
