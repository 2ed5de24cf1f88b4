// The gRPC layer keeps its state in the server instance (src/api/grpc/server.ts), not in modules shared
// by every server of the process; the interceptors' order is said in that one list; and nothing writes
// to grpc-js's private fields.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./support/binary";

const GRPC_LAYER = ["src/api", "src/server"];

const modules = () =>
  GRPC_LAYER.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
      .map((file) => ({ path: `${dir}/${file}`, text: readFileSync(join(ROOT, dir, file), "utf8") })),
  );

test("no module-level mutable state in the gRPC layer (counters, flags, registries)", () => {
  const found = modules().flatMap((m) =>
    m.text
      .split("\n")
      .flatMap((line, i) => (/^(let|var) |^(export )?const \w+ = new (Set|Map|WeakMap|WeakSet)\b/.test(line) ? [`${m.path}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(found).toEqual([]);
});

test("the interceptors' order is said once, in the server's list", () => {
  const found = modules()
    .filter((m) => m.path !== "src/api/grpc/server.ts" && /\b(outermost|innermost)\b/i.test(m.text))
    .map((m) => m.path);
  expect(found).toEqual([]);
});

test("nothing writes to grpc-js's private commonServerOptions", () => {
  expect(modules().filter((m) => m.text.includes("commonServerOptions")).map((m) => m.path)).toEqual([]);
});
