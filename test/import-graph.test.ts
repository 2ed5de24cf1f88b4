// The import graph of src/: no cycle, so each module can be read (and loaded) after those it needs;
// and no test code among the production modules.
// Dynamic import() is counted too: a lazily loaded command that imports its loader is still a cycle.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "./support/binary";

const SRC = join(ROOT, "src");
const transpiler = new Bun.Transpiler({ loader: "ts" });

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(SRC, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".ts") || file.endsWith(".test.ts") || file.endsWith(".d.ts")) continue;
    const path = join(SRC, file);
    const imports = transpiler
      .scanImports(readFileSync(path, "utf8"))
      .map((i) => i.path)
      .filter((p) => p.startsWith("."))
      .map((p) => relative(ROOT, resolve(dirname(path), p)).replace(/(\.ts)?$/, ".ts"));
    graph.set(relative(ROOT, path), imports);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the path that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (node: string) => {
    const at = stack.indexOf(node);
    if (at >= 0) return void found.push([...stack.slice(at), node]);
    if (done.has(node)) return;
    stack.push(node);
    for (const next of graph.get(node) ?? []) visit(next);
    stack.pop();
    done.add(node);
  };
  for (const node of graph.keys()) visit(node);
  return found;
}

test("src/ has no import cycle", () => {
  expect(cycles(importGraph()).map((c) => c.join(" → "))).toEqual([]);
});

test("no production module under src/ imports bun:test (test code lives in *.test.ts or under test/)", () => {
  const offenders = readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .filter((file) => transpiler.scanImports(readFileSync(join(SRC, file), "utf8")).some((i) => i.path === "bun:test"))
    .map((file) => `src/${file}`);
  expect(offenders).toEqual([]);
});
