// `todo serve` as an operator sees it: durability, shutdown, probes, metrics, reflection, health, config.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cli, type Daemon, hidden, startDaemon, watchLogs } from "../support/daemon";
import { ensureBinary } from "../support/binary";
import { freePort, readUntil } from "../support/net";
import { toolOrSkip } from "../support/tools";
import pkg from "../../package.json";

let daemon: Daemon;
beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

const idOf = (stdout: string) => /[0-9a-f]{24}/.exec(stdout)![0];
const promtool = toolOrSkip("promtool", "the check of /metrics by promtool (Debian package prometheus)");

/** grpc-go's spelling of every status code (codes.Code.String()), as go-grpc-prometheus labels them. */
const GRPC_CODES = ["OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted",
  "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable", "DataLoss", "Unauthenticated"];

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (label values here hold no escaped quotes). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Whether `labels` are exactly `expected`, apart from those named in `ignore`. */
function sameLabels(labels: Record<string, string>, expected: Record<string, string>, ignore: string[] = []): boolean {
  const keys = Object.keys(labels).filter((k) => !ignore.includes(k));
  return keys.length === Object.keys(expected).length && keys.every((k) => labels[k] === expected[k]);
}

test("an acknowledged write survives kill -9", async () => {
  const d = await startDaemon();
  const created = await cli(["create", "--title", "durable", "--addr", d.addr]);
  expect(created.exitCode).toBe(0);
  expect(await d.stop("SIGKILL")).not.toBe(0);
  const again = await startDaemon({ dataDir: d.dataDir });
  const read = await cli(["read", "--id", idOf(created.stdout), "--json", "--addr", again.addr]);
  expect(JSON.parse(read.stdout)).toMatchObject({ title: "durable" });
  await again.stop();
});

test("SIGTERM drains, closes the store and exits 0", async () => {
  const d = await startDaemon();
  expect(await d.stop("SIGTERM")).toBe(0);
  const messages = d.logs().map((l) => l.msg);
  expect(messages).toContain("draining");
  expect(messages.at(-1)).toBe("stopped");
});

describe("HTTP", () => {
  test("/healthz and /readyz answer 200 while the store is reachable", async () => {
    expect((await fetch(`${daemon.httpUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${daemon.httpUrl}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, "ok\n"]);
    expect((await fetch(`${daemon.httpUrl}/nope`)).status).toBe(404);
  });

  test("/metrics: the original's go-grpc-prometheus series, every one from the start, and todo_build_info", async () => {
    const fresh = await startDaemon();
    const before = parseMetrics(await (await fetch(`${fresh.httpUrl}/metrics`)).text());
    // Every method of every served service, with every code grpc-go knows, at zero before any call.
    const handled = before.filter((m) => m.name === "grpc_server_handled_total");
    const methods = new Set(handled.map((m) => `${m.labels.grpc_service}/${m.labels.grpc_method}`));
    expect([...methods]).toEqual(expect.arrayContaining(["todo.v1.TodoService/GetTodo", "v1.ToDoService/Search", "grpc.health.v1.Health/Check"]));
    expect(handled).toHaveLength(methods.size * GRPC_CODES.length);
    expect(new Set(handled.map((m) => m.labels.grpc_code))).toEqual(new Set(GRPC_CODES));
    expect(handled.every((m) => m.value === 0)).toBe(true);
    const search = { grpc_type: "unary", grpc_service: "v1.ToDoService", grpc_method: "Search" };
    for (const name of ["grpc_server_started_total", "grpc_server_msg_received_total", "grpc_server_msg_sent_total", "grpc_server_handling_seconds_count"])
      expect(before.find((m) => m.name === name && sameLabels(m.labels, search))?.value).toBe(0);
    expect(before.find((m) => m.name === "grpc_server_started_total" && m.labels.grpc_method === "Watch")?.labels.grpc_type).toBe("server_stream");
    expect(before.find((m) => m.name === "grpc_server_started_total" && m.labels.grpc_method === "ServerReflectionInfo")?.labels.grpc_type).toBe("bidi_stream");
    // Prometheus client_golang's default buckets, as go-grpc-prometheus uses them.
    const buckets = before.filter((m) => m.name === "grpc_server_handling_seconds_bucket" && sameLabels(m.labels, search, ["le"])).map((m) => m.labels.le);
    expect(buckets).toEqual(["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"]);
    expect(before.find((m) => m.name === "todo_build_info")).toEqual({ name: "todo_build_info", labels: { version: pkg.version, commit: expect.any(String) }, value: 1 });

    const id = idOf((await cli(["create", "--title", "metrics", "--addr", fresh.addr])).stdout);
    await cli(["read", "--id", id, "--addr", fresh.addr]);
    await cli(["read", "--id", "000000000000000000000000", "--addr", fresh.addr]);
    // Hex but too long for an id: the daemon, not the client, refuses it (INVALID_ARGUMENT).
    await cli(["read", "--id", "a".repeat(25), "--addr", fresh.addr]);
    const after = parseMetrics(await (await fetch(`${fresh.httpUrl}/metrics`)).text());
    const value = (name: string, labels: Record<string, string>) => after.find((m) => m.name === name && sameLabels(m.labels, { grpc_type: "unary", grpc_service: "todo.v1.TodoService", ...labels }))?.value;
    expect(value("grpc_server_started_total", { grpc_method: "GetTodo" })).toBe(3);
    expect(value("grpc_server_msg_received_total", { grpc_method: "GetTodo" })).toBe(3);
    expect(value("grpc_server_msg_sent_total", { grpc_method: "GetTodo" })).toBe(1); // only an OK call answers with a message
    expect(value("grpc_server_handled_total", { grpc_method: "GetTodo", grpc_code: "OK" })).toBe(1);
    expect(value("grpc_server_handled_total", { grpc_method: "GetTodo", grpc_code: "NotFound" })).toBe(1);
    expect(value("grpc_server_handled_total", { grpc_method: "GetTodo", grpc_code: "InvalidArgument" })).toBe(1);
    expect(value("grpc_server_handling_seconds_count", { grpc_method: "CreateTodo" })).toBe(1);
    expect(after.some((m) => m.name === "process_resident_memory_bytes")).toBe(true);
    await fresh.stop();
 }, 30_000);

  test.skipIf(!promtool)("promtool check metrics finds nothing wrong with /metrics", async () => {
    await cli(["read", "--id", "000000000000000000000000", "--addr", daemon.addr]);
    const text = await (await fetch(`${daemon.httpUrl}/metrics`)).text();
    const check = Bun.spawn([promtool!, "check", "metrics"], { stdin: new TextEncoder().encode(text), stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(check.stdout).text(), new Response(check.stderr).text(), check.exited]);
    expect({ code, problems: stdout + stderr }).toEqual({ code: 0, problems: "" });
  });
});

describe("grpcurl against the binary (node_modules hidden)", () => {
  const grpcurl = toolOrSkip("grpcurl", "reflection and health through grpcurl");
  const run = async (...args: string[]) => {
    const proc = Bun.spawn([grpcurl!, "-plaintext", ...args], { stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { stdout, stderr, code };
  };

  test.skipIf(!grpcurl)("list, describe and call through server reflection", async () => {
    const list = await run(daemon.addr, "list");
    expect(list.stdout.trim().split("\n")).toEqual(expect.arrayContaining(["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "todo.v1.TodoService"]));
    const describe = await run(daemon.addr, "describe", "todo.v1.Todo");
    expect(describe.stdout).toContain(".google.protobuf.Timestamp create_time = 7;");
    expect(describe.stdout).toContain(".todo.v1.Todo.State state = 6;");
    // The service's file imports google/api/annotations.proto for its HTTP routes: reflection must
    // still resolve everything the service's methods name.
    const service = await run(daemon.addr, "describe", "todo.v1.TodoService");
    expect({ code: service.code, stderr: service.stderr }).toEqual({ code: 0, stderr: "" });
    expect(service.stdout).toContain("rpc WatchTodos ( .todo.v1.WatchTodosRequest ) returns ( stream .todo.v1.WatchTodosResponse )");
    const created = await run("-d", '{"todo": {"title": "from grpcurl", "tags": ["x"], "reminder": "2026-01-02T03:04:05Z"}}', daemon.addr, "todo.v1.TodoService/CreateTodo");
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ title: "from grpcurl", tags: ["x"], reminder: "2026-01-02T03:04:05Z", state: "STATE_NOT_STARTED", etag: "1" });
    const assigned = await run("-d", '{"todo": {"title": "imported"}, "todo_id": "5dc58ee5d954d9bc69be5523"}', daemon.addr, "todo.v1.TodoService/CreateTodo");
    expect(JSON.parse(assigned.stdout)).toMatchObject({ id: "5dc58ee5d954d9bc69be5523", title: "imported" });
    const taken = await run("-d", '{"todo": {"title": "again"}, "todo_id": "5dc58ee5d954d9bc69be5523"}', daemon.addr, "todo.v1.TodoService/CreateTodo");
    expect(taken.stderr).toContain("Code: AlreadyExists");
    const malformed = await run("-d", '{"todo": {"title": "x"}, "todo_id": "nope"}', daemon.addr, "todo.v1.TodoService/CreateTodo");
    expect(malformed.stderr).toContain('todo_id: "nope" is not a todo id');
    const bad = await run("-d", '{"page_size": 5000}', daemon.addr, "todo.v1.TodoService/SearchTodos");
    expect(bad.stderr).toContain("Code: InvalidArgument");
    expect(bad.stderr).toContain("page_size: must be between 0 and 1000, got 5000");
  });

  test.skipIf(!grpcurl)("a health Watch hears SERVING, then NOT_SERVING on SIGTERM, and its stream ends so the drain does not wait", async () => {
    const d = await startDaemon();
    const watch = Bun.spawn([grpcurl!, "-plaintext", "-d", '{"service": "todo.v1.TodoService"}', d.addr, "grpc.health.v1.Health/Watch"], { stdout: "pipe", stderr: "pipe" });
    let { text: seen, reader } = await readUntil(watch.stdout, '"SERVING"');
    expect(await d.stop("SIGTERM")).toBe(0);
    for (let r = await reader.read(); !r.done; r = await reader.read()) seen += new TextDecoder().decode(r.value);
    expect(seen.match(/"(NOT_)?SERVING"/g)).toEqual(['"SERVING"', '"NOT_SERVING"']);
    expect(await new Response(watch.stderr).text()).toContain("todod is shutting down");
    expect(d.logs().map((l) => l.msg)).not.toContain("drain deadline passed; cancelling the calls still running");
  });

  test.skipIf(!grpcurl)("grpc.health.v1 reports SERVING for the server and the service", async () => {
    for (const service of ["", "todo.v1.TodoService"]) {
      const check = await run("-d", JSON.stringify({ service }), daemon.addr, "grpc.health.v1.Health/Check");
      expect(JSON.parse(check.stdout)).toEqual({ status: "SERVING" });
    }
    const unknown = await run("-d", '{"service": "nope.Service"}', daemon.addr, "grpc.health.v1.Health/Check");
    expect(unknown.stderr).toContain("Code: NotFound");
  });
});

describe("configuration", () => {
  test("flags win over the environment", async () => {
    const d = await startDaemon({ env: { LOG_LEVEL: "silent" }, args: ["--log-level", "info"] });
    expect(d.logs().some((l) => l.msg === "todod listening")).toBe(true);
    await d.stop();
  });

  test("LOG_FORMAT=pretty logs readable text, not JSON", async () => {
    const binary = await ensureBinary();
    const proc = Bun.spawn(hidden([binary, "serve", "--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0"]), {
      env: { PATH: process.env.PATH!, TODO_DATA_DIR: daemon.dataDir + "-pretty", LOG_FORMAT: "pretty" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const { text: out } = await readUntil(proc.stdout, "todod listening");
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    expect(out).toContain("todod listening { version: '");
    expect(out).not.toContain('"msg"');
  });

  test("the original todod's settings work: LOG_LEVEL=fatal starts, Go-style -flag=value binds, an unknown -flag is refused", async () => {
    const binary = await ensureBinary();
    const env = { PATH: process.env.PATH!, TODO_DATA_DIR: daemon.dataDir + "-go-flags", LOG_LEVEL: "fatal" };
    // At fatal nothing is logged, not even the ports: fixed ones, and /readyz tells when it is up.
    const quietHttp = await freePort();
    const quiet = Bun.spawn(hidden([binary, "serve", "--host", "127.0.0.1", "--grpc-port", String(await freePort()), "--http-port", String(quietHttp)]), { env, stdout: "pipe", stderr: "pipe" });
    let ready = 0;
    for (let i = 0; i < 150 && ready !== 200 && quiet.exitCode === null; i++) {
      ready = await fetch(`http://127.0.0.1:${quietHttp}/readyz`).then((r) => r.status, () => 0);
      if (ready !== 200) await Bun.sleep(100);
    }
    expect(ready).toBe(200);
    quiet.kill("SIGTERM");
    expect([await quiet.exited, await new Response(quiet.stdout).text(), await new Response(quiet.stderr).text()]).toEqual([0, "", ""]);

    const [grpcPort, httpPort] = [await freePort(), await freePort()];
    env.LOG_LEVEL = "warning";
    const go = Bun.spawn(hidden([binary, "serve", "-host=127.0.0.1", `-grpc-port=${grpcPort}`, "-http-port", String(httpPort), "-log-level=info"]), { env, stdout: "pipe", stderr: "pipe" });
    const { listening } = watchLogs(go, "todo serve with Go-style flags");
    expect(await listening).toMatchObject({ grpcPort, httpPort });
    expect((await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status).toBe(200);
    go.kill("SIGTERM");
    expect(await go.exited).toBe(0);

    const typo = Bun.spawn(hidden([binary, "serve", "-grpc_port=9"]), { env, stdout: "pipe", stderr: "pipe" });
    expect([await new Response(typo.stderr).text(), await typo.exited]).toEqual(["todo: unknown flag -grpc_port for todo serve; did you mean --grpc-port? (see todo serve --help)\n", 2]);
 }, 30_000);

  test("a bad setting or a taken port is one line naming it, and no daemon", async () => {
    const binary = await ensureBinary();
    const run = async (args: string[], env: Record<string, string> = {}) => {
      const proc = Bun.spawn(hidden([binary, "serve", "--host", "127.0.0.1", ...args]), { env: { PATH: process.env.PATH!, TODO_DATA_DIR: daemon.dataDir + "-other", ...env }, stdout: "pipe", stderr: "pipe" });
      return { stderr: await new Response(proc.stderr).text(), code: await proc.exited };
    };
    expect(await run([], { GRPC_PORT: "eighty" })).toEqual({ stderr: 'todo: --grpc-port / GRPC_PORT: "eighty" is not a port (0 to 65535)\n', code: 2 });
    expect(await run(["--log-level", "loud"])).toEqual({ stderr: 'todo: --log-level / LOG_LEVEL: "loud" is not one of silent, error, warn, info, debug, trace\n', code: 2 });
    const taken = await run(["--grpc-port", String(daemon.grpcPort), "--http-port", "0"]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(`todo: cannot listen for gRPC on 127.0.0.1:${daemon.grpcPort}: address already in use; set GRPC_PORT to a free port\n`);
  });
});

test("logs are one JSON object per line with time, level and msg", () => {
  const lines = daemon.logs();
  expect(lines.length).toBeGreaterThan(0);
  // Types checked by hand: toMatchObject with expect.any overwrites the received values (oven-sh/bun#3521).
  for (const line of lines) expect([typeof line.time, typeof line.level, typeof line.msg]).toEqual(["string", "string", "string"]);
  expect(lines.find((l) => l.msg === "todod listening")).toMatchObject({ store: `sqlite ${daemon.dataDir}`, version: pkg.version });
  // LOG_LEVEL=debug (set by the harness) adds a line per call.
  // (Which calls this daemon served depends on the tools installed: grpcurl's health checks, …)
  const call = lines.find((l) => l.msg === "call");
  expect(call).toMatchObject({ level: "debug", principal: "" });
  expect([typeof call!.method, typeof call!.code, typeof call!.ms, typeof call!.peer]).toEqual(["string", "string", "number", "string"]);
  expect(typeof call!.ms).toBe("number");
});
