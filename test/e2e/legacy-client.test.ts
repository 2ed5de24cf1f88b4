// Drop-in for the original todod's clients: a Go client generated from proto/v1/todo.proto (not the
// project's types) runs the original README session through v1.ToDoService against the compiled binary,
// then the todo CLI reads the same todos through todo.v1. The client is built with `go build` first, so
// the toolchain's own output (module downloads on a cold cache) is kept apart from the client's.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, } from "node:fs";
import { join } from "node:path";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { startFerretDb } from "../support/ferretdb";
import { goProgram, once } from "../support/go-program";
import { toolOrSkip } from "../support/tools";

const go = toolOrSkip("go", "the generated v1.ToDoService client (Go 1.26+ from go.dev)");
const buf = toolOrSkip("buf", "the check that the legacy client's generated code is current");
const grpcurl = toolOrSkip("grpcurl", "reflection and health of v1.ToDoService");
const ferretdb = toolOrSkip("ferretdb", "v1.ToDoService's fidelity to the original on MongoDB");

interface SessionTodo {
  id: string;
  title: string;
  description: string;
  tags: string[];
  reminder: number;
  state: string;
}

const program = goProgram("test/legacy-client", "the legacy client", go);
const client = program.binary;

test.skipIf(!go || !buf)("the legacy client's generated Go code matches proto/v1/todo.proto (regenerate: buf generate in test/legacy-client)", async () => {
  await program.expectGeneratedCodeCurrent(buf!);
}, 300_000); // a cold Go cache downloads the plugins' modules and builds them first

describe.skipIf(!go)("a client generated from the original schema, against todo serve", () => {
  let daemon: Daemon;

  beforeAll(async () => {
    daemon = await startDaemon();
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  /** The README session, run once by the built client against the daemon: what it printed, and its exit code. */
  const session = once(async () => {
    const proc = Bun.spawn([await client(), "-addr", daemon.addr], { stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    return { stdout, stderr, exitCode };
  });

  /** The todos the session left, from its last line (`RESULT {...}`). */
  function leftBy(stdout: string): SessionTodo[] {
    return JSON.parse(stdout.trimEnd().split("\n").at(-1)!.replace(/^RESULT /, "")).todos;
  }

  test("runs the README session through v1.ToDoService, every field checked", async () => {
    const { stdout, stderr, exitCode } = await session();
    expect(stderr).toBe("");
    expect(exitCode).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("#"))).toEqual(["#Create", "#Read", "#Update", "#Delete", "#Search", "#Search --pattern '.event.*'"]);
    expect(lines).toContain("Updated:true");
    expect(lines).toContain("Deleted:true");
    expect(lines.at(-1)).toStartWith("RESULT ");
    const todos = leftBy(stdout);
    expect(todos.map((t) => t.description)).toEqual(["Read - Should create a micro service with 12factor", "12factor apps", "12factor eventstore"]);
    const eventstore = todos[2]!;
    const asLogged = (t: SessionTodo) => `Todo:{${t.id} ${t.title} ${t.description} ${t.state} [${t.tags.join(" ")}] ${t.reminder}}`;
    expect(lines.slice(lines.indexOf("#Search") + 1, lines.indexOf("#Search --pattern '.event.*'"))).toEqual(todos.map(asLogged));
    expect(lines.slice(lines.indexOf("#Search --pattern '.event.*'") + 1, -1)).toEqual([asLogged(eventstore)]);
    expect(eventstore.tags).toEqual(["job", "golang"]);
  }, 300_000); // a cold Go cache downloads and builds grpc-go first

  test("todo.v1 sees the same todos, with the same ids and fields", async () => {
    // The todos are the ones the session above wrote through v1.ToDoService; without them there is nothing to compare.
    const ran = await session();
    if (ran.exitCode !== 0 || !ran.stdout.trimEnd().split("\n").at(-1)?.startsWith("RESULT "))
      throw new Error(`the README session through v1.ToDoService (the test above) did not complete, so it left no todos to read back: exit ${ran.exitCode}\n${ran.stderr}`);
    const todos = leftBy(ran.stdout);
    expect(todos).toHaveLength(3);
    const state = { NOT_STARTED: "STATE_NOT_STARTED", IN_PROGRESS: "STATE_IN_PROGRESS", DONE: "STATE_DONE" } as Record<string, string>;
    for (const t of todos) {
      const read = await cli(["read", "--id", t.id, "--json", "--addr", daemon.addr]);
      expect(read.stderr).toBe("");
      expect(JSON.parse(read.stdout)).toMatchObject({
        id: t.id,
        title: t.title,
        description: t.description,
        tags: t.tags,
        reminder: new Date(t.reminder * 1000).toISOString().replace(".000Z", "Z"),
        state: state[t.state],
      });
    }
    const search = await cli(["search", "--json", "--addr", daemon.addr]);
    expect(search.stdout.trimEnd().split("\n").map((l) => JSON.parse(l).id)).toEqual(todos.map((t) => t.id));
  }, 300_000); // runs the session itself when run alone

  test.skipIf(!grpcurl)("reflection lists v1.ToDoService and health reports it SERVING", async () => {
    const run = async (...args: string[]) => {
      const proc = Bun.spawn([grpcurl!, "-plaintext", ...args], { stdout: "pipe", stderr: "pipe" });
      return { stdout: await new Response(proc.stdout).text(), exitCode: await proc.exited };
    };
    expect((await run(daemon.addr, "list")).stdout.split("\n")).toEqual(expect.arrayContaining(["todo.v1.TodoService", "v1.ToDoService"]));
    const described = await run(daemon.addr, "describe", "v1.ToDo");
    expect(described.stdout).toContain("repeated string tags = 4;");
    expect(described.stdout).toContain("NOT_STARTED = 0;");
    const health = await run("-d", '{"service": "v1.ToDoService"}', daemon.addr, "grpc.health.v1.Health/Check");
    expect(JSON.parse(health.stdout)).toEqual({ status: "SERVING" });
  });
});

/** One call through the client generated from the original schema: its answer as protojson, unset fields null. */
async function v1(addr: string, method: string, request: object): Promise<any> {
  const proc = Bun.spawn([await client(), "-addr", addr, "-call", method, "-request", JSON.stringify(request)], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (exitCode !== 0 || stderr !== "") throw new Error(`v1 ${method} ${JSON.stringify(request)} exited ${exitCode}:\n${stdout}${stderr}`);
  return JSON.parse(stdout);
}

/** The todo as todo.v1 sees it (`todo read --json`): no reminder field when it has none. */
async function readV2(d: Daemon, id: string): Promise<Record<string, unknown>> {
  const read = await cli(["read", "--id", id, "--json", "--addr", d.addr]);
  expect(read.stderr).toBe("");
  return JSON.parse(read.stdout);
}

/** Events this daemon appended to the log, from its metrics. */
async function appended(d: Daemon): Promise<number> {
  const text = await (await fetch(`${d.httpUrl}/metrics`)).text();
  return Number(/^todo_events_appended_total (\S+)$/m.exec(text)![1]);
}

// Where todo serve follows the original todod's semantics through its schema, on each store, since the
// no-op update is compared against what the store holds and the reminder is stored by each adapter.
for (const store of ["SQLite", "MongoDB (FerretDB)"] as const) {
  const mongo = store !== "SQLite";
  describe.skipIf(!go || (mongo && !ferretdb))(`a client generated from the original schema, as the original answered it, on ${store}`, () => {
    let daemon: Daemon;
    const stops: (() => Promise<unknown>)[] = [];

    beforeAll(async () => {
      const env: Record<string, string> = {};
      if (mongo) {
        const server = await startFerretDb(ferretdb!);
        stops.push(() => server.dispose());
        env.MONGO_URL = `${server.url}todo`;
      }
      daemon = await startDaemon({ env, dataDir: mkdtempSync(join(program.work, "data-")) });
      stops.push(() => daemon.stop());
    }, 120_000);
    afterAll(async () => {
      for (const stop of stops.reverse()) await stop();
    });

    const ZERO = "1970-01-01T00:00:00Z";
    const later = () => new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000).toISOString().replace(".000Z", "Z");

    test("an Update that changes nothing answers updated 0 and writes no version and no event (MongoDB's modified count)", async () => {
      const reminder = later();
      const { id } = await v1(daemon.addr, "Create", { toDo: { title: "ori", description: "12factor apps", tags: ["job"], reminder, state: "IN_PROGRESS" } });
      const bare = (await v1(daemon.addr, "Create", { toDo: { title: "bare" } })).id;
      const before = { ori: await readV2(daemon, id), bare: await readV2(daemon, bare), appended: await appended(daemon) };

      // The same fields again; and a todo read and written back as it was answered (its reminder 0 seconds).
      expect(await v1(daemon.addr, "Update", { toDo: { id, title: "ori", description: "12factor apps", tags: ["job"], reminder, state: "IN_PROGRESS" } })).toEqual({ updated: "0" });
      expect(await v1(daemon.addr, "Update", { toDo: { id, tags: ["job"], state: "IN_PROGRESS" } })).toEqual({ updated: "0" });
      const { toDo } = await v1(daemon.addr, "Read", { id: bare });
      expect(await v1(daemon.addr, "Update", { toDo })).toEqual({ updated: "0" });
      expect({ ori: await readV2(daemon, id), bare: await readV2(daemon, bare), appended: await appended(daemon) }).toEqual(before);

      // One field differs: updated 1, one new version, one event.
      expect(await v1(daemon.addr, "Update", { toDo: { id, tags: ["job", "golang"], state: "IN_PROGRESS" } })).toEqual({ updated: "1" });
      const after = await readV2(daemon, id);
      expect(after.etag).not.toBe(before.ori.etag);
      expect(after).toMatchObject({ tags: ["job", "golang"], reminder, description: "12factor apps" });
      expect(await appended(daemon)).toBe(before.appended + 1);
    }, 300_000); // a cold Go cache builds the client first

    test("answers carry reminder 0 seconds for a todo without one, as the original's did (Read and Search)", async () => {
      const viaV1 = (await v1(daemon.addr, "Create", { toDo: { title: "no reminder" } })).id;
      const viaV2 = /[0-9a-f]{24}/.exec((await cli(["add", "no reminder either", "--addr", daemon.addr])).stdout)![0];
      for (const id of [viaV1, viaV2]) {
        expect(await readV2(daemon, id)).not.toHaveProperty("reminder");
        expect((await v1(daemon.addr, "Read", { id })).toDo).toEqual({ id, title: expect.any(String), description: "", tags: [], reminder: ZERO, state: "NOT_STARTED" });
      }
      const found = (await v1(daemon.addr, "Search", { pattern: "" })).toDos.filter((t: { id: string }) => t.id === viaV1 || t.id === viaV2);
      expect(found.map((t: { reminder: string }) => t.reminder)).toEqual([ZERO, ZERO]);
    }, 300_000);

    test("a reminder of 0 seconds on Create is no reminder, not 1970-01-01 (which todo ls showed as overdue)", async () => {
      const { id } = await v1(daemon.addr, "Create", { toDo: { title: "zero reminder", reminder: ZERO } });
      expect(await readV2(daemon, id)).not.toHaveProperty("reminder");
      expect((await v1(daemon.addr, "Read", { id })).toDo).toMatchObject({ id, reminder: ZERO });
      const ls = await cli(["ls", "--addr", daemon.addr], { NO_COLOR: "1" });
      expect(ls.stdout).toContain("zero reminder");
      expect(ls.stdout).not.toMatch(/1970-|1969-/);
    }, 300_000);

    test("an Update with a reminder of 0 seconds clears it (the original stored its 0, no reminder); an unset reminder keeps it", async () => {
      const reminder = later();
      const { id } = await v1(daemon.addr, "Create", { toDo: { title: "remind me", reminder } });
      expect(await v1(daemon.addr, "Update", { toDo: { id, tags: ["kept"] } })).toEqual({ updated: "1" });
      expect(await readV2(daemon, id)).toMatchObject({ reminder, tags: ["kept"] });

      expect(await v1(daemon.addr, "Update", { toDo: { id, tags: ["kept"], reminder: ZERO } })).toEqual({ updated: "1" });
      expect(await readV2(daemon, id)).not.toHaveProperty("reminder");
      expect((await v1(daemon.addr, "Read", { id })).toDo).toMatchObject({ id, reminder: ZERO, tags: ["kept"] });
      // Cleared already: the same update again changes nothing.
      expect(await v1(daemon.addr, "Update", { toDo: { id, tags: ["kept"], reminder: ZERO } })).toEqual({ updated: "0" });
    }, 300_000);
  });
}
