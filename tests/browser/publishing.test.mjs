// The publishing recipes of docs/publishing.md: the YAML and JSON files
// parse and say what they must, and the nginx server block passes
// `nginx -t` and serves the built site as the docs promise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "./harness.mjs";

const PUB = join(ROOT, "examples", "publishing");
// Debian puts nginx in /usr/sbin, which is not on every user's PATH.
const NGINX = existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";

test("the CI recipes parse and build with the sub-path as base URL", () => {
  const gh = parse(readFileSync(join(PUB, "github-pages.yml"), "utf8"));
  const steps = gh.jobs.build.steps.map((s) => s.run ?? s.uses);
  assert.ok(steps.some((s) => /polku check --strict/.test(s)));
  assert.ok(steps.some((s) => /polku build --base-url "\$\{\{ steps\.pages\.outputs\.base_url \}\}\/" --out public/.test(s)));
  assert.equal(gh.jobs.build.steps.at(-1).with.path, "public");
  assert.equal(gh.permissions.pages, "write");
  const gl = parse(readFileSync(join(PUB, "gitlab-ci.yml"), "utf8"));
  assert.deepEqual(gl.pages.artifacts.paths, ["public"]);
  assert.ok(gl.pages.script.some((s) => s.includes('--base-url "$CI_PAGES_URL/"')));
  const swa = JSON.parse(readFileSync(join(PUB, "staticwebapp.config.json"), "utf8"));
  assert.equal(swa.responseOverrides["404"].rewrite, "/404.html");
  assert.match(swa.routes.find((r) => r.route === "/static/*").headers["Cache-Control"], /immutable/);
  const built = join(mkdtempSync(join(tmpdir(), "polku-recipes-")), "public");
  execFileSync(join(ROOT, "target", "release", "polku"), ["build", "--out", built], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const headers = readFileSync(join(built, "_headers"), "utf8");
  const csp = headers.match(/Content-Security-Policy: (.*)/)[1];
  assert.equal(swa.globalHeaders["Content-Security-Policy"], csp, "the same policy as _headers");
  assert.ok(readFileSync(join(PUB, "nginx.conf"), "utf8").includes(csp));
  assert.ok(readFileSync(join(PUB, "apache.conf"), "utf8").includes(csp));
});

async function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = s.address().port;
      s.close(() => ok(port));
    });
  });
}

test("nginx: the server block passes nginx -t and serves pretty URLs, language 404s, MIME types and cache headers", async () => {
  const dir = mkdtempSync(join(tmpdir(), "polku-nginx-"));
  // nginx's workers run as an unprivileged user: let them read the site.
  chmodSync(dir, 0o755);
  const site = join(dir, "public");
  execFileSync(join(ROOT, "target", "release", "polku"), ["build", "--out", site], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const port = await freePort();
  const prefix = mkdtempSync(join(tmpdir(), "polku-nginx-run-"));
  mkdirSync(join(prefix, "logs"));
  // The recipe as published, with a local port instead of TLS and the test's site as root.
  const block = readFileSync(join(PUB, "nginx.conf"), "utf8")
    .replace("listen 443 ssl http2;", `listen 127.0.0.1:${port};`)
    .replace(/^\s*ssl_certificate\S* .*$/gm, "")
    .replace("root /var/www/palvelupolut;", `root ${site};`);
  const conf = join(prefix, "nginx.conf");
  writeFileSync(
    conf,
    `daemon off;\npid ${prefix}/nginx.pid;\nerror_log ${prefix}/logs/error.log;\nevents {}\nhttp {\n  include /etc/nginx/mime.types;\n  access_log off;\n  client_body_temp_path ${prefix};\n  proxy_temp_path ${prefix};\n  fastcgi_temp_path ${prefix};\n  uwsgi_temp_path ${prefix};\n  scgi_temp_path ${prefix};\n${block}\n}\n`,
  );
  try {
    execFileSync(NGINX, ["-t", "-p", prefix, "-c", conf], { stdio: "pipe" });
  } catch (e) {
    assert.fail(`nginx -t: ${e.stderr}`);
  }
  const nginx = spawn(NGINX, ["-p", prefix, "-c", conf], { stdio: "ignore" });
  try {
    const base = `http://127.0.0.1:${port}`;
    let ready = false;
    for (let i = 0; i < 50 && !ready; i++) {
      ready = await fetch(base + "/").then(() => true, () => new Promise((ok) => setTimeout(() => ok(false), 100)));
    }
    const get = (path) => fetch(base + path, { redirect: "manual" });
    let r = await get("/fi/alaselkakipu/");
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type"), /text\/html; charset=utf-8/);
    assert.equal(r.headers.get("cache-control"), "no-cache");
    assert.match(r.headers.get("content-security-policy"), /script-src 'self'/);
    assert.match(await r.text(), /<html lang="fi">/);
    r = await get("/fi/ei-ole-olemassa/");
    assert.equal(r.status, 404);
    assert.match(await r.text(), /Sivua ei löytynyt/);
    r = await get("/sv/finns-inte/");
    assert.equal(r.status, 404);
    assert.match(await r.text(), /Sidan hittades inte/);
    r = await get("/ei-kumpaakaan");
    assert.equal(r.status, 404);
    const root404 = await r.text();
    assert.ok(root404.includes("Sivua ei löytynyt") && root404.includes("Sidan hittades inte"));
    const css = readFileSync(join(site, "fi", "index.html"), "utf8").match(/href="(\/static\/style\.[0-9a-f]{8}\.css)"/)[1];
    r = await get(css);
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type"), /text\/css/);
    assert.equal(r.headers.get("cache-control"), "public, max-age=31536000, immutable");
    r = await get("/search/fi.json");
    assert.match(r.headers.get("content-type"), /application\/json/);
    assert.equal(r.headers.get("cache-control"), "no-cache");
    r = await get("/sitemap.xml");
    assert.match(r.headers.get("content-type"), /xml/);
  } finally {
    nginx.kill("SIGTERM");
  }
});
