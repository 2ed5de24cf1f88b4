// The independent connect-go client (test/connect-client): its generated code is current, and it runs every
// todo.v1 method against the compiled binary: over gRPC on the gRPC port, and over Connect JSON, Connect
// binary and gRPC-Web on the HTTP port (the web API, src/api/http/).
// The client is built with `go build` first, so the toolchain's own output stays apart from the client's.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Daemon, startDaemon } from "../support/daemon";
import { goProgram } from "../support/go-program";
import { toolOrSkip } from "../support/tools";

const go = toolOrSkip("go", "the connect-go client of todo.v1 (Go 1.26+ from go.dev)");
const buf = toolOrSkip("buf", "the check that the connect-go client's generated code is current");
const TOKEN = "connect-client-test-token-0123456789";

const program = goProgram("test/connect-client", "the connect-go client", go);
const client = program.binary;

test.skipIf(!go || !buf)("the connect-go client's generated code matches proto/todo/v1 (regenerate: buf generate in test/connect-client)", async () => {
  await program.expectGeneratedCodeCurrent(buf!);
}, 300_000); // a cold Go cache downloads the plugins' modules and builds them first

interface Step {
  step: string;
  method: string;
  code: string;
  expect: string;
  message: string;
  result: unknown;
}

describe.skipIf(!go)("the connect-go client against todo serve", () => {
  let daemon: Daemon;

  beforeAll(async () => {
    daemon = await startDaemon({ env: { TODO_AUTH_TOKENS: `connect:${TOKEN}` } });
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  async function runClient(url: string, protocol: string, token = TOKEN) {
    const proc = Bun.spawn([await client(), "-url", url, "-protocol", protocol, "-token", token], { stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { steps: stdout.trimEnd().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Step), stderr, exitCode };
  }

  test.each([
    ["gRPC", "grpc", () => `http://${daemon.addr}`],
    ["Connect JSON", "connect-json", () => daemon.httpUrl],
    ["Connect binary", "connect-proto", () => daemon.httpUrl],
    ["gRPC-Web", "grpc-web", () => daemon.httpUrl],
  ])("over %s: every todo.v1 method, each step with the code it expects", async (_name, protocol, url) => {
    const { steps, stderr, exitCode } = await runClient(url(), protocol);
    expect(stderr).toBe("");
    expect(exitCode).toBe(0);
    expect(steps.map((s) => [s.step, s.method, s.code])).toEqual([
      ["get-server-info", "GetServerInfo", "ok"],
      ["create", "CreateTodo", "ok"],
      ["get", "GetTodo", "ok"],
      ["update", "UpdateTodo", "ok"],
      ["update-stale-etag", "UpdateTodo", "failed_precondition"],
      ["search", "SearchTodos", "ok"],
      ["watch", "WatchTodos", "ok"],
      ["delete", "DeleteTodo", "ok"],
      ["get-deleted", "GetTodo", "not_found"],
      ["create-empty-title", "CreateTodo", "invalid_argument"],
    ]);
    const step = (name: string) => steps.find((s) => s.step === name)!;
    expect(step("get-server-info").result).toMatchObject({ caller: "connect" });
    expect(step("update").result).toMatchObject({ title: "from connect-go, renamed", state: "STATE_IN_PROGRESS", etag: "2" });
    expect(step("create-empty-title").message).toBe("todo.title: must not be empty");
    const watched = step("watch").result as { event?: { actor: string; created?: unknown; updated?: { updateMask: string } } }[];
    expect(watched.filter((m) => m.event).map((m) => (m.event!.created ? "created" : m.event!.updated?.updateMask))).toEqual(["created", "title,state"]);
    expect(watched.filter((m) => m.event).every((m) => m.event!.actor === "connect")).toBe(true);
  }, 300_000); // a cold Go cache downloads and builds connect-go first

  test.each([
    ["gRPC", "grpc", () => `http://${daemon.addr}`],
    ["Connect JSON", "connect-json", () => daemon.httpUrl],
    ["gRPC-Web", "grpc-web", () => daemon.httpUrl],
  ])("over %s without the token the first call is refused as unauthenticated, and the client exits 1 naming it", async (_name, protocol, url) => {
    const { steps, stderr, exitCode } = await runClient(url(), protocol, "");
    expect(steps.map((s) => [s.step, s.code])).toEqual([["get-server-info", "unauthenticated"]]);
    expect(stderr).toContain("get-server-info: GetServerInfo answered unauthenticated");
    expect(exitCode).toBe(1);
  }, 300_000);
});
