// The todo's vocabulary (src/vocabulary/) is said once: it imports nothing, and no production module
// restates its states, id form, order fields or limits in a literal of its own.
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
