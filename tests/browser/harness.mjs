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
  ".json": "application/json",
  ".wasm": "application/wasm",
};

/**
 * Serves a built site like static hosting, below `prefix` (a site
 * published under a sub-path): index.html for folders; for misses the
 * language's 404 page under /fi/ and /sv/, the bilingual one elsewhere.
 * `onFile(path, bytes)` sees every file served (to count downloads).
 */
export async function serveDir(dir, { prefix = "/", onFile, headers = false } = {}) {
  const rules = headers ? parseHeaders(await readFile(join(dir, "_headers"), "utf8")) : [];
  const server = createServer(async (req, res) => {
    for (const [pattern, name, value] of rules) {
      if (pattern.test(new URL(req.url, "http://x").pathname.slice(prefix.length - 1))) res.setHeader(name, value);
    }
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const notFound = async () => {
      const lang = path.slice(prefix.length).split("/")[0];
      const page = ["fi", "sv"].includes(lang) ? join(dir, lang, "404.html") : join(dir, "404.html");
      try {
        res.writeHead(404, { "content-type": MIME[".html"] }).end(await readFile(page));
      } catch {
        res.writeHead(404).end();
      }
    };
    if (!path.startsWith(prefix)) return notFound();
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(dir + sep) && file !== dir) {
      res.writeHead(400).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      onFile?.(file, body);
      res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      await notFound();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}${prefix}`;
  return { server, base };
}

/** The rules of a `_headers` file (Netlify / Cloudflare Pages format). */
function parseHeaders(text) {
  const rules = [];
  let pattern = null;
  for (const line of text.split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      const glob = line.trim().replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
      pattern = new RegExp(`^${glob}$`);
    } else if (pattern) {
      const at = line.indexOf(":");
      rules.push([pattern, line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    }
  }
  return rules;
}

/** Serves SITE at the root. */
export function serve() {
  return serveDir(SITE);
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
