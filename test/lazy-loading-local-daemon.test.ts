// `todo add` to the local daemon (issue 21: within 2× a compiled hello-world) goes as Connect JSON over
// fetch() on the daemon's HTTP socket: it loads neither node:http2 nor the protobuf codecs, which were
// most of its time (docs/performance.md, "todo add to the local daemon").
import { afterAll, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./support/binary";
import { cli } from "./support/daemon";
import { tempDirs } from "./support/temp";

const DAEMON_CODE = "/src/server/|/src/store/|/src/api/grpc/|/src/todos/app|node_modules/(mongodb|prom-client|grpc-health-check|@grpc/reflection)/";
/** The client's gRPC transport (the one client module that imports node:http2) and the protobuf codecs. */
const GRPC_CLIENT = "/src/cli/grpc-http2\\.ts|/src/cli/codec\\.ts|/src/proto/gen/static\\.js|node_modules/protobufjs/";

const states: string[] = [];
afterAll(() => {
  for (const state of states)
    try {
      process.kill(JSON.parse(readFileSync(join(state, "daemon.json"), "utf8")).pid, "SIGKILL");
    } catch {}
});
const tempDir = tempDirs();

test("todo add to the running local daemon loads neither node:http2 nor the protobuf codecs", async () => {
  const HOME = tempDir("lazy-local");
  states.push(join(HOME, ".local/state/todo"));
  // The compiled binary starts the daemon; the source, under the check, then talks to it.
  expect((await cli(["add", "first"], { HOME })).exitCode).toBe(0);
  const proc = Bun.spawnSync(["bun", "--preload", join(ROOT, "test/support/forbid-modules.ts"), join(ROOT, "src/main.ts"), "add", "buy milk", "+shop", "--reminder", "tomorrow 9:00"], {
    env: { PATH: process.env.PATH!, HOME, TODO_FORBIDDEN_MODULES: `${DAEMON_CODE}|${GRPC_CLIENT}` },
    stdout: "pipe",
    stderr: "pipe",
  });
  expect({ stdout: proc.stdout.toString(), stderr: proc.stderr.toString(), code: proc.exitCode }).toEqual({ stdout: expect.stringMatching(/^created [0-9a-f]{24}\n$/), stderr: "", code: 0 });
  // And it was made: gRPC (a list) reads it back.
  expect((await cli(["ls", "+shop"], { HOME })).stdout).toContain("buy milk");
  await cli(["daemon", "stop"], { HOME });
}, 60_000);

test("of the client's modules, only its gRPC transport imports node:http2 (so forbidding that module forbids it)", () => {
  const transpiler = new Bun.Transpiler({ loader: "ts" });
  const dir = join(ROOT, "src/cli");
  const importers = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .filter((file) => transpiler.scanImports(readFileSync(join(dir, file), "utf8")).some((i) => /^(node:)?http2$/.test(i.path)));
  expect(importers).toEqual(["grpc-http2.ts"]);
});
