// A request body the client got wrong is INVALID_ARGUMENT naming what is wrong, never INTERNAL, and
// writes nothing: a nested message that does not decode, invalid UTF-8 in a string (which protobufjs
// would have stored as U+FFFD), a compressed flag without an encoding, a body that is not gzip. And an
// error never echoes unbounded input: 600 GetTodo calls with 100 KB ids on one connection are each
// answered at once with a short message, and a normal call on that connection is answered too.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import { status } from "@grpc/grpc-js";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { field, rawCalls } from "../support/raw-client";

let daemon: Daemon;

beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

const INVALID_UTF8 = Buffer.from([0x62, 0x61, 0xff, 0xfe, 0x64]);

test("malformed bodies are INVALID_ARGUMENT naming the cause, on every service, and write nothing", async () => {
  const answers = await rawCalls(
    daemon.addr,
    [
      // CreateTodoRequest.todo claims a 5-byte title and holds 1 byte.
      { path: "/todo.v1.TodoService/CreateTodo", body: field(1, Buffer.from([0x12, 0x05, 0x61])) },
      { path: "/todo.v1.TodoService/CreateTodo", body: field(1, field(2, INVALID_UTF8)) },
      { path: "/todo.v1.TodoService/CreateTodo", body: field(1, Buffer.concat([field(2, "fine"), field(4, "ok"), field(4, INVALID_UTF8)])) },
      { path: "/v1.ToDoService/Create", body: field(1, field(2, INVALID_UTF8)) },
      { path: "/v1.ToDoService/Create", body: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]) },
      { path: "/todo.v1.TodoService/GetTodo", body: field(1, "6b0a05d5ce81181cbe2a53ff"), flag: 1 },
      { path: "/todo.v1.TodoService/GetTodo", body: Buffer.from("this is not gzip"), flag: 1, encoding: "gzip" },
      { path: "/grpc.health.v1.Health/Check", body: Buffer.from([0x0a, 0x09, 0x61]) },
      // Well-formed and gzip-compressed: served as usual.
      { path: "/todo.v1.TodoService/GetTodo", body: gzipSync(field(1, "6b0a05d5ce81181cbe2a53ff")), flag: 1, encoding: "gzip" },
    ],
    30,
  );
  const summary = answers.map((a) => [a.status, a.message]);
  expect(summary).toEqual([
    [status.INVALID_ARGUMENT, expect.stringMatching(/^request: the body is not a valid todo\.v1\.TodoService\/CreateTodo request/)],
    [status.INVALID_ARGUMENT, "request: todo.title: is not valid UTF-8"],
    [status.INVALID_ARGUMENT, "request: todo.tags[1]: is not valid UTF-8"],
    [status.INVALID_ARGUMENT, "request: toDo.title: is not valid UTF-8"],
    [status.INVALID_ARGUMENT, expect.stringMatching(/^request: the body is not a valid v1\.ToDoService\/Create request/)],
    [status.INVALID_ARGUMENT, expect.stringContaining("compressed flag is set but the request's grpc-encoding names no compression")],
    [status.INVALID_ARGUMENT, "the message is not valid gzip data"],
    [status.INVALID_ARGUMENT, expect.stringMatching(/^request: the body is not a valid grpc\.health\.v1\.Health\/Check request/)],
    [status.NOT_FOUND, "no todo with id 6b0a05d5ce81181cbe2a53ff"],
  ]);
  expect((await cli(["search", "--json", "--addr", daemon.addr])).stdout).toBe("");
});

test("600 calls with 100 KB ids on one connection are each answered, briefly, and the daemon serves on", async () => {
  const huge = field(1, "a".repeat(100_000));
  const answers = await rawCalls(
    daemon.addr,
    [...Array.from({ length: 600 }, () => ({ path: "/todo.v1.TodoService/GetTodo", body: huge })), { path: "/todo.v1.TodoService/GetTodo", body: field(1, "6b0a05d5ce81181cbe2a53ff") }],
    60,
  );
  const statuses: Record<string, number> = {};
  for (const a of answers) {
    const key = a.status === "stream error" ? a.message : String(a.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  console.log(`600 calls with 100 KB ids and one normal call on one connection: ${JSON.stringify(statuses)}; slowest answer ${Math.max(...answers.map((a) => a.ms))} ms`);
  // Each is answered: INVALID_ARGUMENT with a short message, or — when Bun's HTTP/2 has had enough of a
  // connection that sends 60 MB of bodies it answers before reading — the stream refused ENHANCE_YOUR_CALM.
  expect(answers.filter((a) => a.status === "no answer")).toEqual([]);
  for (const a of answers) expect([status.INVALID_ARGUMENT, status.NOT_FOUND, "stream error"]).toContain(a.status);
  expect(answers.filter((a) => a.status === status.INVALID_ARGUMENT).length).toBeGreaterThan(300);
  expect(Math.max(...answers.map((a) => a.messageLength ?? 0))).toBeLessThan(200);
  expect(answers[0]!.message).toBe(`id: "${"a".repeat(48)}"… (100000 characters) is not a todo id (24 lowercase hex digits)`);
  const after = await rawCalls(daemon.addr, [{ path: "/todo.v1.TodoService/GetTodo", body: field(1, "6b0a05d5ce81181cbe2a53ff") }], 10);
  expect(after.map((a) => a.status)).toEqual([status.NOT_FOUND]);
});
