// The web API on the HTTP port, driven with curl as a person or a script would: every REST route, its
// codes and bodies (proto3 JSON, google.rpc.Status errors), bad input that writes nothing, tokens,
// If-Match, the watch as server-sent events, CORS, and the protocol label in metrics and the access log.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Daemon, startDaemon } from "../support/daemon";

const TOKEN = "alice-token-0123456789abcdef";
const ORIGIN = "https://todo.example.com";
let daemon: Daemon;
const bodies = mkdtempSync(join(tmpdir(), "todo-web-api-"));
let bodyCount = 0;

beforeAll(async () => {
  daemon = await startDaemon({ env: { TODO_AUTH_TOKENS: `alice:${TOKEN}`, TODO_CORS_ORIGINS: ORIGIN } });
});
afterAll(async () => {
  await daemon?.stop();
  rmSync(bodies, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: () => Record<string, unknown>;
}

/** One request with curl: `-i` output split into the status, the headers (lower-cased) and the body. */
async function curl(method: string, path: string, options: { body?: string; headers?: Record<string, string>; token?: string | null } = {}): Promise<Answer> {
  const args = ["curl", "-sS", "-i", "-X", method, `${daemon.httpUrl}${path}`];
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) args.push("-H", `authorization: Bearer ${token}`);
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push("-H", `${name}: ${value}`);
  if (options.body !== undefined) {
    // From a file: a body of megabytes does not fit in an argument.
    const file = join(bodies, `${++bodyCount}.json`);
    writeFileSync(file, options.body);
    args.push("-H", "content-type: application/json", "-H", "expect:", "--data-binary", `@${file}`);
  }
  const proc = Bun.spawnSync(args, { stdout: "pipe", stderr: "pipe" });
  if (proc.exitCode !== 0) throw new Error(`curl failed: ${proc.stderr.toString()}`);
  const text = proc.stdout.toString();
  const split = text.indexOf("\r\n\r\n");
  const [statusLine = "", ...lines] = text.slice(0, split).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = text.slice(split + 4);
  return { status: Number(statusLine.split(" ")[1]), headers, body, json: () => JSON.parse(body) };
}

const count = async () => ((await curl("GET", "/v1/todos?pageSize=1000")).json().todos as unknown[] | undefined)?.length ?? 0;

test("without a token every route answers 401 UNAUTHENTICATED and writes nothing", async () => {
  const before = await count();
  for (const [method, path, body] of [
    ["GET", "/v1/todos", undefined],
    ["POST", "/v1/todos", '{"title":"sneaky"}'],
    ["GET", "/v1/todos/6b1700000000000000000001", undefined],
    ["GET", "/v1/serverInfo", undefined],
  ] as const) {
    const answer = await curl(method, path, { body, token: null });
    expect(answer.status).toBe(401);
    expect(answer.headers["www-authenticate"]).toBe('Bearer realm="todo"');
    expect(answer.json()).toEqual({ code: 16, message: expect.stringContaining("requires a token"), details: [] });
  }
  expect((await curl("GET", "/v1/todos", { token: "wrong-token-0123456789" })).status).toBe(401);
  expect(await count()).toBe(before);
});

test("create, get, search, update with If-Match, delete: codes, bodies and ETags", async () => {
  const created = await curl("POST", "/v1/todos", { body: JSON.stringify({ title: "buy bread", description: "rye", tags: ["shop"], reminder: "2031-01-02T09:00:00Z" }) });
  expect(created.status).toBe(200);
  const todo = created.json();
  expect(todo).toMatchObject({ title: "buy bread", description: "rye", tags: ["shop"], reminder: "2031-01-02T09:00:00Z", state: "STATE_NOT_STARTED", etag: "1" });
  expect(todo.id).toMatch(/^[0-9a-f]{24}$/);
  expect(created.headers.etag).toBe('"1"');
  const id = todo.id as string;

  const got = await curl("GET", `/v1/todos/${id}`);
  expect(got.status).toBe(200);
  expect(got.json()).toEqual(todo);
  expect(got.headers.etag).toBe('"1"');

  await curl("POST", "/v1/todos", { body: '{"title":"walk the dog","tags":["home"]}' });
  const shop = await curl("GET", "/v1/todos?tags=shop&states=STATE_NOT_STARTED&orderBy=create_time%20desc");
  expect((shop.json().todos as { id: string }[]).map((t) => t.id)).toEqual([id]);
  const paged = (await curl("GET", "/v1/todos?pageSize=1")).json();
  expect(paged.todos).toHaveLength(1);
  expect(paged.nextPageToken).toEqual(expect.any(String));
  const rest = (await curl("GET", `/v1/todos?pageSize=1&pageToken=${encodeURIComponent(paged.nextPageToken as string)}`)).json();
  expect((rest.todos as { id: string }[])[0]!.id).not.toBe((paged.todos as { id: string }[])[0]!.id);

  const stale = await curl("PATCH", `/v1/todos/${id}?updateMask=title`, { body: '{"title":"buy rye bread"}', headers: { "if-match": '"7"' } });
  expect(stale.status).toBe(412);
  expect(stale.json()).toEqual({ code: 9, message: expect.stringContaining("etag mismatch"), details: [] });
  const updated = await curl("PATCH", `/v1/todos/${id}?updateMask=title,state`, { body: '{"title":"buy rye bread","state":"STATE_DONE"}', headers: { "if-match": '"1"' } });
  expect(updated.status).toBe(200);
  expect(updated.json()).toMatchObject({ title: "buy rye bread", state: "STATE_DONE", description: "rye", tags: ["shop"], etag: "2" });
  expect(updated.headers.etag).toBe('"2"');

  expect((await curl("DELETE", `/v1/todos/${id}`, { headers: { "if-match": '"1"' } })).status).toBe(412);
  const deleted = await curl("DELETE", `/v1/todos/${id}`, { headers: { "if-match": 'W/"2"' } });
  expect(deleted.status).toBe(200);
  expect(deleted.json()).toEqual({});
  const gone = await curl("GET", `/v1/todos/${id}`);
  expect(gone.status).toBe(404);
  expect(gone.json()).toEqual({ code: 5, message: `no todo with id ${id}`, details: [] });
});

test("bad input is 400 INVALID_ARGUMENT naming the field, and writes nothing", async () => {
  const before = await count();
  const cases: [string, string, string, string | undefined, string][] = [
    ["an empty title", "POST", "/v1/todos", '{"title":""}', "todo.title: "],
    ["a reminder that is not RFC 3339", "POST", "/v1/todos", '{"title":"x","reminder":"tomorrow"}', "todo.reminder: "],
    ["an unknown field", "POST", "/v1/todos", '{"title":"x","colour":"red"}', "todo.colour: "],
    ["a body that is not JSON", "POST", "/v1/todos", '{"title":', "the request body is not JSON"],
    ["a malformed id", "GET", "/v1/todos/zzz", undefined, "id: "],
    ["an unknown query parameter", "GET", "/v1/todos?colour=red", undefined, "colour: not a query parameter"],
    ["a state that does not exist", "GET", "/v1/todos?states=DONE", undefined, 'states: "DONE" is not one of'],
    ["a page size that is not a number", "GET", "/v1/todos?pageSize=many", undefined, "pageSize: "],
    ["a bool that is not one", "GET", "/v1/todos:watch?fromNow=maybe", undefined, "fromNow: "],
  ];
  for (const [what, method, path, body, message] of cases) {
    const answer = await curl(method, path, { body });
    expect({ what, status: answer.status }).toEqual({ what, status: 400 });
    expect({ what, code: answer.json().code, message: answer.json().message }).toEqual({ what, code: 3, message: expect.stringContaining(message) });
  }
  expect(await count()).toBe(before);
});

test("a body over 4 MiB is 413, a verb a route does not serve 405, a path no route has 404", async () => {
  const big = await curl("POST", "/v1/todos", { body: JSON.stringify({ title: "x".repeat(5 * 1024 * 1024) }) });
  expect(big.status).toBe(413);
  expect(big.json()).toMatchObject({ code: 8, message: expect.stringContaining("exceeds") });
  const put = await curl("PUT", "/v1/todos/6b1700000000000000000001", { body: "{}" });
  expect(put.status).toBe(405);
  expect(put.headers.allow).toBe("GET, PATCH, DELETE");
  expect((await curl("GET", "/v2/nothing")).status).toBe(404);
});

test("the watch is server-sent events: each event's position as its id, its proto3 JSON as data, the caller as actor", async () => {
  const { id } = (await curl("POST", "/v1/todos", { body: '{"title":"watched"}' })).json() as { id: string };
  const response = await fetch(`${daemon.httpUrl}/v1/todos:watch?afterPosition=0&todoIds=${id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const reader = response.body!.getReader();
  let text = "";
  const deadline = Date.now() + 10_000;
  while (!text.includes('"title":"watched"') && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  await reader.cancel();
  const events = text
    .split("\n\n")
    .filter((block) => block.includes("data: "))
    .map((block) => ({ id: /^id: (\d+)$/m.exec(block)?.[1], data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) }));
  const created = events.find((e) => e.data.event?.todoId === id)!;
  expect(created.id).toBe(created.data.position);
  expect(created.data.event).toMatchObject({ actor: "alice", version: "1", created: { todo: { id, title: "watched" } } });
});

test("the caller is named; a browser page from an allowed origin may call, others get no CORS grant", async () => {
  expect((await curl("GET", "/v1/serverInfo")).json()).toMatchObject({ caller: "alice" });
  const preflight = await curl("OPTIONS", "/v1/todos", { token: null, headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" } });
  expect(preflight.status).toBe(204);
  expect(preflight.headers["access-control-allow-origin"]).toBe(ORIGIN);
  expect(preflight.headers["access-control-allow-headers"]).toContain("authorization");
  const allowed = await curl("GET", "/v1/todos", { headers: { origin: ORIGIN } });
  expect(allowed.headers["access-control-allow-origin"]).toBe(ORIGIN);
  expect(allowed.headers["access-control-expose-headers"]).toContain("etag");
  const other = await curl("GET", "/v1/todos", { headers: { origin: "https://evil.example.com" } });
  expect(other.headers["access-control-allow-origin"]).toBeUndefined();
});

test("metrics and the access log carry the protocol", async () => {
  const metrics = await (await fetch(`${daemon.httpUrl}/metrics`)).text();
  expect(metrics).toMatch(/grpc_server_handled_total\{[^}]*grpc_method="CreateTodo"[^}]*protocol="rest"[^}]*grpc_code="OK"[^}]*\} [1-9]/);
  expect(metrics).toMatch(/grpc_server_handled_total\{[^}]*grpc_method="SearchTodos"[^}]*protocol="rest"[^}]*grpc_code="Unauthenticated"[^}]*\} [1-9]/);
  const call = daemon.logs().find((line) => line.msg === "call" && line.protocol === "rest" && line.method === "/todo.v1.TodoService/CreateTodo" && line.code === "OK");
  expect(call).toMatchObject({ code: "OK", principal: "alice", requestId: expect.any(String) });
});

test("/openapi.json is served, and every route it lists is a route the daemon serves", async () => {
  const served = await curl("GET", "/openapi.json", { token: null });
  expect(served.status).toBe(200);
  const document = served.json() as { paths: Record<string, Record<string, unknown>> };
  expect(document).toEqual(await Bun.file(join(import.meta.dir, "../../src/api/http/openapi.json")).json());
  const routes = Object.entries(document.paths).flatMap(([path, verbs]) => Object.keys(verbs).map((verb) => `${verb.toUpperCase()} ${path}`));
  expect(routes.sort()).toEqual(["DELETE /v1/todos/{id}", "GET /v1/serverInfo", "GET /v1/todos", "GET /v1/todos/{id}", "GET /v1/todos:watch", "PATCH /v1/todos/{todo.id}", "POST /v1/todos"]);
  // Each is answered by its route (a well-formed id that names no todo: 404 NOT_FOUND from the store, not "no such route").
  const id = "6b1700000000000000000001";
  for (const route of routes) {
    const [verb, template] = route.split(" ") as [string, string];
    const path = template.replace(/\{[^}]+\}/, id);
    const answer = verb === "GET" && path.endsWith(":watch") ? await curl("GET", `${path}?fromNow=true`, { headers: { "x-server-timeout": "0.2" } }) : await curl(verb, path, { body: verb === "POST" || verb === "PATCH" ? '{"title":"from the document"}' : undefined });
    expect({ route, status: answer.status }).not.toEqual({ route, status: 405 });
    if (answer.status === 404) expect({ route, code: answer.json().code, message: answer.json().message }).toEqual({ route, code: 5, message: `no todo with id ${id}` });
  }
});
