// Open data: every JSON file `polku build` writes under api/v1/ is valid
// against the JSON Schemas in docs/open-data/, and says what the pages say.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./harness.mjs";

const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = (ajv) => {
  // The formats the schemas use, checked strictly enough for this data.
  ajv.addFormat("uri", /^https?:\/\/[^\s]+$/);
  ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
};

test("every open-data file validates against its schema and matches the content", () => {
  const out = join(mkdtempSync(join(tmpdir(), "polku-open-data-")), "public");
  execFileSync(join(ROOT, "target", "release", "polku"), ["build", "--out", out], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const schema = (name) => JSON.parse(readFileSync(join(ROOT, "docs", "open-data", name), "utf8"));
  const validatePath = ajv.compile(schema("path.schema.json"));
  const validateIndex = ajv.compile(schema("index.schema.json"));
  const api = join(out, "api", "v1");
  const index = JSON.parse(readFileSync(join(api, "index.json"), "utf8"));
  assert.ok(validateIndex(index), JSON.stringify(validateIndex.errors, null, 2));
  let files = 0;
  for (const lang of index.languages) {
    for (const name of readdirSync(join(api, lang, "paths"))) {
      const data = JSON.parse(readFileSync(join(api, lang, "paths", name), "utf8"));
      assert.ok(validatePath(data), `${lang}/${name}: ${JSON.stringify(validatePath.errors, null, 2)}`);
      assert.equal(data.lang, lang);
      files++;
    }
  }
  assert.equal(files, index.paths.length * index.languages.length, "one file per path and language");
  // Spot checks against the sample content.
  const sv = JSON.parse(readFileSync(join(api, "sv", "paths", "alaselkakipu.json"), "utf8"));
  assert.equal(sv.title, "Ländryggssmärta");
  assert.equal(sv.owner, "Rehabiliteringstjänster, serviceförman för fysioterapin");
  assert.deepEqual(sv.phases.map((p) => p.number), sv.phases.map((_, i) => i + 1));
  const withHours = sv.phases.flatMap((p) => p.channels).find((c) => c.hours.length);
  assert.match(withHours.hours[0].opens, /^\d\d:\d\d$/);
  const guidance = sv.phases.flatMap((p) => p.guidance);
  assert.ok(guidance.some((g) => g.label === "Jag vill ha hjälp snabbt"), "public labels, never S4");
  assert.ok(!JSON.stringify(sv).includes('"S4"'));
  assert.match(sv.phases[0].page, /\/sv\/landryggssmarta\/#/);
  assert.match(index.paths[0].languages.fi.data, /\/api\/v1\/fi\/paths\/[a-z0-9-]+\.json$/);
});
