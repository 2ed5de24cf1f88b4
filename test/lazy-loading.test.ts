// The client path never loads the daemon, the stores or their drivers: commands are imported lazily
// (src/cli/catalog.ts), which keeps `todo --version` and one-shot calls fast.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { ROOT } from "./support/binary";

const DAEMON_CODE = "/src/server/|/src/store/|/src/api/grpc/|/src/todos/app|node_modules/(mongodb|prom-client|grpc-health-check|@grpc/reflection)/";

function run(forbidden: string, ...args: string[]) {
  const proc = Bun.spawnSync(["bun", "--preload", join(ROOT, "test/support/forbid-modules.ts"), join(ROOT, "src/main.ts"), ...args], {
    env: { ...process.env, TODO_FORBIDDEN_MODULES: forbidden, TODO_ADDR: "127.0.0.1:1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { stderr: proc.stderr.toString(), code: proc.exitCode };
}

test("--version loads no gRPC, server or store code", () => {
  expect(run(`${DAEMON_CODE}|node_modules/@grpc/`, "--version")).toEqual({ stderr: "", code: 0 });
});

test("client commands load neither grpc-js nor protobufjs' reflection, nor server or store code", () => {
  for (const args of [["read", "--id", "5dc58ee5d954d9bc69be5523"], ["create", "--title", "t", "--reminder", "2026-01-01T00:00:00Z"], ["search", "--pattern", "x"], ["export"], ["watch"], ["version"]]) {
    const { stderr } = run(`${DAEMON_CODE}|node_modules/@grpc/|node_modules/protobufjs/src/(root|type|parse)\\.js`, ...args);
    expect(stderr).toStartWith("todo: cannot reach todod at 127.0.0.1:1");
  }
});

test("import reads its input without the daemon's code", () => {
  const { stderr } = run(DAEMON_CODE, "import", "--in", "/nonexistent.jsonl");
  expect(stderr).toBe("todo: --in: cannot read /nonexistent.jsonl (ENOENT)\n");
});

test("migrate checks its flags before it loads the MongoDB driver, and refuses one it does not know", () => {
  expect(run(DAEMON_CODE, "migrate", "--dryrun")).toEqual({ stderr: "todo: unknown flag --dryrun for todo migrate; did you mean --dry-run? (see todo migrate --help)\n", code: 2 });
});

test("the check can fail: serve loads the daemon", () => {
  expect(run(DAEMON_CODE, "serve", "--grpc-port", "0", "--http-port", "0").stderr).toMatch(/^todo: loaded .*\/src\/(server|store)\//);
});

test("stats reads its file without gRPC, the stores or the RabbitMQ client; project checks its flags before loading them", () => {
  const forbidden = `${DAEMON_CODE.replace("/src/server/|", "/src/server/(daemon|grpc|http)|")}|node_modules/(@grpc/|amqplib/)`;
  expect(run(forbidden, "stats", "--db", "/nonexistent/projection.db")).toEqual({
    stderr: "todo: no projection at /nonexistent/projection.db: run todo project to build one (or name another file with --db)\n",
    code: 1,
  });
  expect(run(forbidden, "project", "--events-url", "http://x", "--db", "/nonexistent/projection.db")).toEqual({
    stderr: 'todo: --events-url / EVENTS_URL: "http://x" is not an amqp:// or amqps:// URL with a host (e.g. amqp://user:password@rabbitmq:5672)\n',
    code: 2,
  });
});
