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
import { ID_PATTERN } from "../todos/id";
import { implement } from "./grpc/server";
import { LEGACY_SERVICE, legacyDefinition, legacyPackage, legacyV1, SEARCH_LIMITS } from "./legacy-v1";
import { todoV1 } from "./todo-v1";

const dir = mkdtempSync(join(tmpdir(), "todo-legacy-"));
const store = SqliteStore.open(dir);
const db = new Database(join(dir, "todos.db"));
// A plain Server, not createGrpcServer: its headerTableSize=0 workaround makes Bun's own grpc-js client
// fail every other call on a connection (RST_STREAM code 9). The Go acceptance test covers the daemon's.
const server = new Server();
const app = new TodoApp(store);
server.addService(legacyDefinition, implement<ToDoServiceHandlers>(legacyDefinition, legacyV1(app), createLogger("silent", "json")));
const ClientCtor = makeClientConstructor(legacyDefinition, "ToDoService");
let client: any;

beforeAll(async () => {
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  client = new ClientCtor(`127.0.0.1:${port}`, credentials.createInsecure());
});
beforeEach(() => void db.exec("DELETE FROM todos"));
afterAll(async () => {
  client.close();
  server.forceShutdown();
  db.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function call<T = any>(method: string, request: object): Promise<T> {
  return new Promise((resolve, reject) => client[method](request, (e: ServiceError | null, r: T) => (e ? reject(e) : resolve(r))));
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
  expect(await read(id)).toEqual({ id, title: "t", description: "", tags: [], reminder: null, state: "NOT_STARTED" });
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

  test("returns at most the cap's number of todos, the oldest", async () => {
    const { a, b, c } = await seed();
    const capped = legacyV1(app, { todos: 3, bytes: SEARCH_LIMITS.bytes });
    expect(ids((await capped.Search({ pattern: "", tags: [], states: [] }, internalContext())).toDos as ToDo__Output[])).toEqual([a, b, c]);
  });

  test("stops before the response would pass a client's default 4 MiB receive limit", async () => {
    // 10,000 four-byte characters: the limit counts encoded bytes, not characters.
    const description = "😀".repeat(10_000);
    const created: string[] = [];
    for (let i = 0; i < 110; i++) created.push(await create({ title: "long", description }));
    // grpc-js's client refuses a message over 4 MiB by default, so arriving proves it fits.
    const found = await search({});
    expect(found.length).toBeGreaterThan(100);
    expect(found.length).toBeLessThan(110);
    expect(ids(found)).toEqual(created.slice(0, found.length));
    const size = legacyDefinition.Search.responseSerialize({ toDos: found }).length;
    expect(size).toBeLessThanOrEqual(SEARCH_LIMITS.bytes);
    expect(size + legacyDefinition.Search.responseSerialize({ toDos: [found[0]!] }).length).toBeGreaterThan(SEARCH_LIMITS.bytes);
  }, 30_000);
});

test("todo.v1 and v1 share todos and ids", async () => {
  const v2 = todoV1(app);
  const ctx = internalContext();
  const legacyId = await create({ ...ori, state: "IN_PROGRESS" });
  expect(await v2.GetTodo({ id: legacyId }, ctx)).toMatchObject({ id: legacyId, title: "ori", description: "12factor apps", tags: ["job"], reminder: REMINDER, state: "STATE_IN_PROGRESS" });
  const { id = "" } = await v2.CreateTodo({ todo: { id: "", title: "new", description: "api", tags: ["x"], reminder: null, state: "STATE_DONE", create_time: null, update_time: null, etag: "" }, todo_id: "" }, ctx);
  expect(await read(id)).toEqual({ id, title: "new", description: "api", tags: ["x"], reminder: null, state: "DONE" });
});

test("the service name matches the schema", () => {
  expect(Object.keys(legacyPackage)).toContain(LEGACY_SERVICE);
});
