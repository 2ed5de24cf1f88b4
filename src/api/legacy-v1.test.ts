// v1.ToDoService through a real grpc-js server and client over a real SqliteStore.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { credentials, makeClientConstructor, Server, type ServiceError, ServerCredentials, status } from "@grpc/grpc-js";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ToDo, ToDo__Output } from "../proto/gen/types/v1/ToDo";
import type { ToDoServiceHandlers } from "../proto/gen/types/v1/ToDoService";
import { createLogger } from "../server/logger";
import { SqliteStore } from "../store/sqlite/sqlite-store";
import { TodoApp } from "../todos/app";
import { internalContext } from "../todos/context";
import { ID_PATTERN } from "../vocabulary/todo";
import { LimitExceededError } from "../todos/errors";
import { implement } from "./grpc/handlers";
import { LEGACY_SERVICE, legacyDefinition, legacyPackage, legacyV1, SEARCH_LIMITS } from "./legacy-v1";
import { todoV1 } from "./todo-v1";

const dir = mkdtempSync(join(tmpdir(), "todo-legacy-"));
const store = SqliteStore.open(dir);
const db = new Database(join(dir, "todos.db"));
// A plain Server, not the daemon's GrpcServer: its headerTableSize=0 workaround makes Bun's own grpc-js client
// fail every other call on a connection (RST_STREAM code 9). The Go acceptance test covers the daemon's.
const server = new Server();
const app = new TodoApp(store);
server.addService(legacyDefinition, implement<ToDoServiceHandlers>(legacyDefinition, legacyV1(app), createLogger("silent", "json")));
const ClientCtor = makeClientConstructor(legacyDefinition, "ToDoService");
/** The generated client: one method per RPC, looked up by name. */
type UnaryMethod = (request: object, callback: (e: ServiceError | null, r: unknown) => void) => void;
let client: InstanceType<typeof ClientCtor> & Record<string, UnaryMethod>;

beforeAll(async () => {
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  client = new ClientCtor(`127.0.0.1:${port}`, credentials.createInsecure()) as typeof client;
});
beforeEach(() => void db.exec("DELETE FROM todos"));
afterAll(async () => {
  client.close();
  server.forceShutdown();
  db.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function call<T = unknown>(method: string, request: object): Promise<T> {
  return new Promise((resolve, reject) => client[method]!(request, (e, r) => (e ? reject(e) : resolve(r as T))));
}

async function rejected(method: string, request: object): Promise<ServiceError> {
  const error = await call(method, request).then(
    () => undefined,
    (e: ServiceError) => e,
  );
  if (!error) throw new Error(`${method} succeeded`);
  return error;
}

const REMINDER = { seconds: "1573228261", nanos: 0 };
const ori = { title: "ori", description: "12factor apps", tags: ["job"], reminder: REMINDER, state: "NOT_STARTED" as const } satisfies ToDo;
const create = async (toDo: ToDo) => (await call<{ id: string }>("Create", { toDo })).id;
const read = async (id: string) => (await call<{ toDo: ToDo__Output | null }>("Read", { id })).toDo;
const search = async (request: object) => (await call<{ toDos: ToDo__Output[] }>("Search", request)).toDos;

test("Create assigns an id and Read returns every field", async () => {
  const id = await create({ ...ori, state: "IN_PROGRESS", reminder: { seconds: "1573228261", nanos: 5_000_000 } });
  expect(id).toMatch(ID_PATTERN);
  expect(await read(id)).toEqual({ ...ori, id, state: "IN_PROGRESS", reminder: { seconds: "1573228261", nanos: 5_000_000 } });
});

test("Create ignores a client's id and defaults to NOT_STARTED with no reminder", async () => {
  const id = await create({ id: "5dc58ee5d954d9bc69be5523", title: "t" });
  expect(id).not.toBe("5dc58ee5d954d9bc69be5523");
  expect(await read(id)).toEqual({ id, title: "t", description: "", tags: [], reminder: { seconds: "0", nanos: 0 }, state: "NOT_STARTED" });
});

test("a reminder of 0 seconds on Create is no reminder, not 1970-01-01; Read and Search answer 0 seconds for it", async () => {
  const zero = await create({ title: "zero", reminder: { seconds: "0", nanos: 0 } });
  const subSecond = await create({ title: "zero seconds, some nanos", reminder: { seconds: "0", nanos: 500_000_000 } });
  for (const id of [zero, subSecond]) {
    expect(await store.get(id)).toMatchObject({ reminder: null });
    expect(await read(id)).toMatchObject({ reminder: { seconds: "0", nanos: 0 } });
  }
  expect((await search({})).map((t) => t.reminder)).toEqual([
    { seconds: "0", nanos: 0 },
    { seconds: "0", nanos: 0 },
  ]);
});

test("Read of an unknown id is an empty response; a malformed id is INVALID_ARGUMENT", async () => {
  expect(await call("Read", { id: "000000000000000000000000" })).toEqual({ toDo: null });
  for (const id of ["", "5dc58ee5", "ZZc58ee5d954d9bc69be5523"]) {
    const error = await rejected("Read", { id });
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toStartWith("id: ");
  }
});

test("bad input is INVALID_ARGUMENT naming the field, and nothing is written", async () => {
  const cases: [object, string][] = [
    [{}, "toDo: is required"],
    [{ toDo: { ...ori, title: "" } }, "toDo.title: must not be empty"],
    [{ toDo: { ...ori, title: "x".repeat(201) } }, "toDo.title: must be at most 200"],
    [{ toDo: { ...ori, description: "x".repeat(10_001) } }, "toDo.description: must be at most 10000"],
    [{ toDo: { ...ori, tags: Array.from({ length: 33 }, (_, i) => `t${i}`) } }, "toDo.tags: must hold at most 32"],
    [{ toDo: { ...ori, tags: [""] } }, "toDo.tags: must not contain an empty tag"],
    [{ toDo: { ...ori, state: 7 } }, "toDo.state: unknown state 7"],
    [{ toDo: { ...ori, reminder: { seconds: "999999999999", nanos: 0 } } }, "toDo.reminder: must be between"],
  ];
  for (const [request, details] of cases) {
    const error = await rejected("Create", request);
    expect([error.code, error.details]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining(details)]);
  }
  expect(await search({})).toEqual([]);
});

describe("Update", () => {
  test("replaces tags and state always; title, description and reminder only when given", async () => {
    const id = await create({ ...ori, state: "DONE" });
    expect(await call("Update", { toDo: { id } })).toEqual({ updated: "1" });
    expect(await read(id)).toEqual({ ...ori, id, tags: [], state: "NOT_STARTED" });

    const reminder = { seconds: "1573228462", nanos: 0 };
    const change = { id, title: "new", description: "12factor eventstore", tags: ["job", "golang"], reminder, state: "IN_PROGRESS" as const };
    expect(await call("Update", { toDo: change })).toEqual({ updated: "1" });
    expect(await read(id)).toEqual(change);
  });

  test("that changes nothing is updated 0 and writes no version and no event; a reminder of 0 seconds clears the reminder", async () => {
    const id = await create(ori);
    const head = await store.headPosition();
    expect(await call("Update", { toDo: { ...ori, id } })).toEqual({ updated: "0" });
    expect(await call("Update", { toDo: { id, tags: ori.tags, state: ori.state } })).toEqual({ updated: "0" });
    expect((await store.get(id))!.version).toBe(1);
    expect(await store.headPosition()).toBe(head);
    expect(await call("Update", { toDo: { id, tags: ori.tags, reminder: { seconds: "0", nanos: 0 } } })).toEqual({ updated: "1" });
    expect(await store.get(id)).toMatchObject({ reminder: null, version: 2 });
    expect(await read(id)).toEqual({ ...ori, id, reminder: { seconds: "0", nanos: 0 } });
    expect(await call("Update", { toDo: { ...ori, id, reminder: { seconds: "0", nanos: 0 } } })).toEqual({ updated: "0" });
    expect((await store.get(id))!.version).toBe(2);
  });

  test("of an unknown id is updated 0; bad input is INVALID_ARGUMENT and changes nothing", async () => {
    expect(await call("Update", { toDo: { ...ori, id: "000000000000000000000000" } })).toEqual({ updated: "0" });
    const id = await create(ori);
    const cases: [object, string][] = [
      [{}, "toDo: is required"],
      [{ toDo: { ...ori, id: "nope" } }, "toDo.id: "],
      [{ toDo: { ...ori, id, title: "   " } }, "toDo.title: must not be empty"],
      [{ toDo: { ...ori, id, state: 3 } }, "toDo.state: unknown state 3"],
    ];
    for (const [request, details] of cases) {
      const error = await rejected("Update", request);
      expect([error.code, error.details]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining(details)]);
    }
    expect(await read(id)).toEqual({ ...ori, id });
  });
});

test("Delete is deleted 1, then 0; a malformed id is INVALID_ARGUMENT", async () => {
  const id = await create(ori);
  expect(await call("Delete", { id })).toEqual({ deleted: "1" });
  expect(await read(id)).toBeNull();
  expect(await call("Delete", { id })).toEqual({ deleted: "0" });
  const error = await rejected("Delete", { id: "x" });
  expect([error.code, error.details]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining("id: ")]);
});

describe("Search", () => {
  async function seed() {
    const a = await create(ori);
    const b = await create({ ...ori, description: "12factor eventstore", tags: ["job", "golang"] });
    const c = await create({ title: "Read - Challenge", description: "micro service", tags: ["golang", "k8s"], state: "DONE" });
    const d = await create({ title: "event title", description: "none", state: "IN_PROGRESS" });
    return { a, b, c, d };
  }
  const ids = (toDos: ToDo__Output[]) => toDos.map((t) => t.id);

  test("without filters returns every todo, oldest first, with every field", async () => {
    const { a, b, c, d } = await seed();
    const all = await search({});
    expect(ids(all)).toEqual([a, b, c, d]);
    expect(all[0]).toEqual({ ...ori, id: a });
  });

  test("pattern matches the description only, as the original did", async () => {
    const { b } = await seed();
    expect(ids(await search({ pattern: ".event.*" }))).toEqual([b]);
    expect(ids(await search({ pattern: "event" }))).toEqual([b]);
    expect(ids(await search({ pattern: "^Read" }))).toEqual([]);
  });

  test("tags all of, states any of, combined with the pattern", async () => {
    const { a, b, c, d } = await seed();
    expect(ids(await search({ tags: ["golang"] }))).toEqual([b, c]);
    expect(ids(await search({ tags: ["job", "golang"] }))).toEqual([b]);
    expect(ids(await search({ states: ["DONE", "IN_PROGRESS"] }))).toEqual([c, d]);
    expect(ids(await search({ states: ["NOT_STARTED"] }))).toEqual([a, b]);
    expect(ids(await search({ pattern: "12factor", tags: ["job"], states: ["NOT_STARTED"] }))).toEqual([a, b]);
  });

  test("bad filters are INVALID_ARGUMENT naming the field", async () => {
    const cases: [object, string][] = [
      [{ pattern: "(" }, "pattern: invalid regular expression"],
      [{ tags: [""] }, "tags: must not contain an empty tag"],
      [{ states: [9] }, "states: unknown state 9"],
    ];
    for (const [request, details] of cases) {
      const error = await rejected("Search", request);
      expect([error.code, error.details]).toEqual([status.INVALID_ARGUMENT, expect.stringContaining(details)]);
    }
  });

  test("returns every match in one response, however many: 9,301 as the original did", async () => {
    // Written straight into the store's table: 9,301 creates through the API would fsync each one.
    const insert = db.prepare("INSERT INTO todos (id, title, description, tags, reminder, state, create_time, update_time, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)");
    const count = 9_301;
    db.transaction(() => {
      for (let i = 0; i < count; i++)
        insert.run(i.toString(16).padStart(24, "0"), `todo ${i}`, `12factor item ${i}`, JSON.stringify(["job"]), 1_573_228_261_000 + i * 1000, "STATE_IN_PROGRESS", i, i);
    })();
    const started = performance.now();
    const found = await search({ tags: ["job"] });
    const ms = Math.round(performance.now() - started);
    expect(found).toHaveLength(count);
    expect(found[0]).toEqual({ id: "0".repeat(24), title: "todo 0", description: "12factor item 0", tags: ["job"], reminder: REMINDER, state: "IN_PROGRESS" });
    expect(found.at(-1)!.title).toBe(`todo ${count - 1}`);
    const size = legacyDefinition.Search.responseSerialize({ toDos: found }).length;
    expect(size).toBeLessThan(SEARCH_LIMITS.bytes);
    console.log(`v1 Search: ${found.length} todos in one response of ${size} bytes (${(size / 1024 / 1024).toFixed(2)} MiB) in ${ms} ms`);
  }, 60_000);

  test("an answer over the limit fails, saying how many matched, instead of a partial list that looks whole", async () => {
    const created: string[] = [];
    for (let i = 0; i < 4; i++) created.push(await create({ title: `t${i}`, description: "x".repeat(100), tags: i < 2 ? ["few"] : [] }));
    // A limit these four fill exactly.
    const limit = legacyDefinition.Search.responseSerialize({ toDos: (await Promise.all(created.map(read))) as ToDo[] }).length;
    const four = legacyV1(app, { bytes: limit });
    const ctx = internalContext();
    const request = { pattern: "", tags: [] as string[], states: [] };
    expect(((await four.Search(request, ctx)).toDos as ToDo__Output[]).map((t) => t.id)).toEqual(created);
    await create({ title: "t4", description: "x".repeat(100) });
    const error = await four.Search(request, ctx).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error!.message).toBe(
      `5 todos match, more than one response can carry (${limit} bytes, the default receive limit of gRPC clients; the first 4 fit): ` +
        "narrow the search with pattern, tags or states, or page through todo.v1.TodoService/SearchTodos",
    );
    expect(((await four.Search({ ...request, tags: ["few"] }, ctx)).toDos as ToDo__Output[]).map((t) => t.id)).toEqual(created.slice(0, 2));
  });

  test("through gRPC, past the 4 MiB a client accepts: RESOURCE_EXHAUSTED naming the count", async () => {
    // 10,000 four-byte characters: the limit counts encoded bytes, not characters.
    const description = "😀".repeat(10_000);
    for (let i = 0; i < 110; i++) await create({ title: "long", description });
    const error = await rejected("Search", {});
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(error.details).toMatch(/^110 todos match, more than one response can carry \(4 MiB, the default receive limit of gRPC clients; the first 10\d fit\): narrow the search/);
    // A narrower search that fits answers in full.
    expect(await search({ pattern: "^$" })).toEqual([]);
  }, 30_000);
});

test("todo.v1 and v1 share todos and ids", async () => {
  const v2 = todoV1(app);
  const ctx = internalContext();
  const legacyId = await create({ ...ori, state: "IN_PROGRESS" });
  expect(await v2.GetTodo({ id: legacyId }, ctx)).toMatchObject({ id: legacyId, title: "ori", description: "12factor apps", tags: ["job"], reminder: REMINDER, state: "STATE_IN_PROGRESS" });
  const { id = "" } = await v2.CreateTodo({ todo: { id: "", title: "new", description: "api", tags: ["x"], reminder: null, state: "STATE_DONE", create_time: null, update_time: null, etag: "", number: "0" }, todo_id: "" }, ctx);
  expect(await read(id)).toEqual({ id, title: "new", description: "api", tags: ["x"], reminder: { seconds: "0", nanos: 0 }, state: "DONE" });
});

test("the service name matches the schema", () => {
  expect(Object.keys(legacyPackage)).toContain(LEGACY_SERVICE);
});
