// The import graph of src/: no cycle, so each module can be read (and loaded) after those it needs;
// no import running up a layer; and no test code among the production modules.
// Dynamic import() is counted too: a lazily loaded command that imports its loader is still a cycle.
import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
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
      .map((p) => resolve(dirname(path), p))
      // A folder's import is its index.ts.
      .map((p) => relative(ROOT, existsSync(join(p, "index.ts")) ? join(p, "index.ts") : p).replace(/(\.ts)?$/, ".ts"));
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

/**
 * The layers, bottom up: a folder of src/ imports only from layers below its own, never sideways. The
 * wire mapping (proto ↔ domain, proto3 JSON, the event codec) sits below every transport and consumer,
 * so the CLI and the events reach it without going through the server's transports in src/api.
 */
const LAYERS: string[][] = [
  ["vocabulary", "secrets", "web"],
  ["proto", "config", "version"],
  ["todos"],
  ["store", "wire"],
  ["api", "events"],
  ["server"],
  ["cli"],
  ["main"],
];

/** Beyond the layers: the server's transports are the daemon's alone; the CLI and the events use src/wire. */
const ONLY_IMPORTED_BY: Record<string, string[]> = { api: ["server"] };

test("no import in src/ runs up a layer or sideways", () => {
  const layerOf = (file: string) => {
    const top = relative(SRC, join(ROOT, file)).split("/")[0]!.replace(/\.ts$/, "");
    return { top, layer: LAYERS.findIndex((names) => names.includes(top)) };
  };
  const offenders: string[] = [];
  for (const [file, imports] of importGraph()) {
    const from = layerOf(file);
    if (from.layer < 0) offenders.push(`${file}: src/${from.top} has no layer`);
    for (const target of imports) {
      if (!target.startsWith("src/")) continue;
      const to = layerOf(target);
      if (to.top === from.top) continue;
      if (to.layer >= from.layer) offenders.push(`${file} → ${target}`);
      else if (ONLY_IMPORTED_BY[to.top] && !ONLY_IMPORTED_BY[to.top]!.includes(from.top)) offenders.push(`${file} → ${target} (src/${to.top} is for ${ONLY_IMPORTED_BY[to.top]!.join(", ")} only)`);
    }
  }
  expect(offenders).toEqual([]);
});

/** Adapters whose folder has one public face: code outside the folder imports its index.ts and nothing else. */
const FACES = ["src/store/mongo"];

test("nothing outside an adapter's folder imports its internals, only its index.ts", () => {
  const offenders: string[] = [];
  for (const [file, imports] of importGraph()) {
    for (const face of FACES) {
      if (file.startsWith(`${face}/`)) continue;
      const inside = imports.filter((target) => target.startsWith(`${face}/`) && target !== `${face}/index.ts`);
      offenders.push(...inside.map((target) => `${file} → ${target}`));
    }
  }
  expect(offenders).toEqual([]);
});
