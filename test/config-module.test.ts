// The configuration lives in one module (src/config): nothing else in src/ reads the environment, the
// module imports none of the layers above it, and a default is written once.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./support/binary";

const sources = readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.startsWith("proto/gen/"))
  .map((f) => ({ path: `src/${f}`, text: readFileSync(join(ROOT, "src", f), "utf8") }));

test("no process.env read in src/ outside src/config", () => {
  const reads = sources
    .filter((s) => !s.path.startsWith("src/config/"))
    .flatMap((s) => s.text.split("\n").flatMap((line, i) => (/process\.env\b/.test(line) ? [`${s.path}:${i + 1}: ${line.trim()}`] : [])));
  expect(reads).toEqual([]);
});

test("src/config imports none of the layers above it (cli, server, events, api, store, todos), only src/secrets below it", () => {
  const upward = sources
    .filter((s) => s.path.startsWith("src/config/"))
    .flatMap((s) => [...s.text.matchAll(/from "(\.\.\/[^"]+)"/g)].filter((m) => !m[1]!.startsWith("../secrets/")).map((m) => `${s.path}: ${m[1]}`));
  expect(upward).toEqual([]);
});

test("the default stream name is written once", () => {
  const places = sources.flatMap((s) => (s.text.includes('"todo.events"') ? [s.path] : []));
  expect(places).toEqual(["src/config/shared.ts"]);
});
