// Shared words and helpers are said once. The todo's vocabulary (src/vocabulary/) imports nothing, and
// no production module restates its states, id form, order fields or limits in a literal of its own;
// the helpers that keep secrets out of text (src/secrets/) are defined nowhere else.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./support/binary";

const SRC = join(ROOT, "src");
const transpiler = new Bun.Transpiler({ loader: "ts" });

const production = () =>
  readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.endsWith(".d.ts") && !file.startsWith("proto/gen/"))
    .map((file) => ({ path: `src/${file}`, text: readFileSync(join(SRC, file), "utf8") }));

test("src/vocabulary imports nothing", () => {
  const imports = production()
    .filter((f) => f.path.startsWith("src/vocabulary/"))
    .flatMap((f) => transpiler.scanImports(f.text).map((i) => `${f.path} imports ${i.path}`));
  expect(imports).toEqual([]);
});

/** Literals that restate the vocabulary: each names what it copies. */
const COPIES: [string, RegExp][] = [
  ["the id pattern", /\[0-9a-f\]\{(24|1,23)\}/i],
  ["the list of states", /"(STATE_)?NOT_STARTED",\s*"(STATE_)?IN_PROGRESS",\s*"(STATE_)?DONE"/],
  ["the states as prose", /NOT_STARTED, IN_PROGRESS,? (or )?DONE/],
  ["the order fields", /"create_time",\s*"update_time",\s*"reminder",\s*"title"/],
  ["a length limit as prose", /\b(200|10,000|10000) characters/],
  ["tag de-duplication", /\[\.\.\.new Set\([^)]*tags/],
];

test("no production module outside src/vocabulary restates its vocabulary", () => {
  const found = production()
    .filter((f) => !f.path.startsWith("src/vocabulary/"))
    .flatMap((f) => COPIES.filter(([, pattern]) => pattern.test(f.text)).map(([what]) => `${f.path}: ${what}`));
  expect(found).toEqual([]);
});

/** Functions that must have one definition in src/, where it lives. */
const OWNED: [string, string][] = [
  ["redactUrl", "src/secrets/redact.ts"],
  ["secretsOf", "src/secrets/redact.ts"],
  ["scrub", "src/secrets/redact.ts"],
  ["stateFromSpelling", "src/vocabulary/todo.ts"],
  ["uniqueTags", "src/vocabulary/todo.ts"],
];

test("each shared helper is defined once, by its owner, and re-exported nowhere", () => {
  const found = production().flatMap((f) =>
    OWNED.filter(([name]) => new RegExp(`(function|const|let)\\s+${name}\\b|export\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*from`).test(f.text)).map(([name]) => `${name} in ${f.path}`),
  );
  expect(found.sort()).toEqual(OWNED.map(([name, owner]) => `${name} in ${owner}`).sort());
});
