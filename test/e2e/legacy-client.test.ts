// Drop-in for the original todod's clients: a Go client generated from proto/v1/todo.proto (not the
// project's types) runs the original README session through v1.ToDoService against the compiled binary,
// then the todo CLI reads the same todos through todo.v1.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/binary";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { toolOrSkip } from "../support/tools";

const CLIENT = join(ROOT, "test/legacy-client");
const go = toolOrSkip("go", "the generated v1.ToDoService client (Go 1.26+ from go.dev)");
const buf = toolOrSkip("buf", "the check that the legacy client's generated code is current");
const grpcurl = toolOrSkip("grpcurl", "reflection and health of v1.ToDoService");

interface SessionTodo {
  id: string;
  title: string;
  description: string;
  tags: string[];
  reminder: number;
  state: string;
}

test.skipIf(!go || !buf)("the legacy client's generated Go code matches proto/v1/todo.proto (regenerate: buf generate in test/legacy-client)", () => {
  const out = mkdtempSync(join(tmpdir(), "todo-legacy-gen-"));
  try {
    const gen = Bun.spawnSync([buf!, "generate", "--output", out], { cwd: CLIENT, stdout: "pipe", stderr: "pipe" });
    expect(`${gen.stdout}${gen.stderr}`).toBe("");
    const files = (dir: string) => readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".go")).sort();
    expect(files(join(out, "gen"))).toEqual(files(join(CLIENT, "gen")));
    for (const f of files(join(CLIENT, "gen"))) expect(readFileSync(join(out, "gen", f), "utf8")).toBe(readFileSync(join(CLIENT, "gen", f), "utf8"));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 300_000); // a cold Go cache downloads and builds the plugins first

describe.skipIf(!go)("a client generated from the original schema, against todo serve", () => {
  let daemon: Daemon;
  let todos: SessionTodo[] = [];

  beforeAll(async () => {
    daemon = await startDaemon();
  });
  afterAll(async () => {
    await daemon.stop();
  });

  test("runs the README session through v1.ToDoService, every field checked", async () => {
    const proc = Bun.spawn([go!, "run", ".", "-addr", daemon.addr], { cwd: CLIENT, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(stderr).toBe("");
    expect(exitCode).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("#"))).toEqual(["#Create", "#Read", "#Update", "#Delete", "#Search", "#Search --pattern '.event.*'"]);
    expect(lines).toContain("Updated:true");
    expect(lines).toContain("Deleted:true");
    todos = JSON.parse(lines.at(-1)!.replace(/^RESULT /, "")).todos;
    expect(todos.map((t) => t.description)).toEqual(["Read - Should create a micro service with 12factor", "12factor apps", "12factor eventstore"]);
    const eventstore = todos[2]!;
    const asLogged = (t: SessionTodo) => `Todo:{${t.id} ${t.title} ${t.description} ${t.state} [${t.tags.join(" ")}] ${t.reminder}}`;
    expect(lines.slice(lines.indexOf("#Search") + 1, lines.indexOf("#Search --pattern '.event.*'"))).toEqual(todos.map(asLogged));
    expect(lines.slice(lines.indexOf("#Search --pattern '.event.*'") + 1, -1)).toEqual([asLogged(eventstore)]);
    expect(eventstore.tags).toEqual(["job", "golang"]);
  }, 300_000); // a cold Go cache downloads and builds grpc-go first

  test("todo.v1 sees the same todos, with the same ids and fields", async () => {
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
  });

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
