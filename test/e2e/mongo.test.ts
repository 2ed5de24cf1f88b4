// `todo serve` on MongoDB (FerretDB here), as an operator sees it: it starts while MongoDB is down,
// reports not ready and answers UNAVAILABLE within the call's deadline, recovers without a restart, keeps
// the password out of its logs; and `todo export` / `todo import` move todos between stores losslessly.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { freePort } from "../support/net";
import { type FerretDb, startFerretDb } from "../support/ferretdb";
import { toolOrSkip } from "../support/tools";

const ferretdb = toolOrSkip("ferretdb", "todo serve on MongoDB");
const work = mkdtempSync(join(tmpdir(), "todo-mongo-e2e-"));
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  rmSync(work, { recursive: true, force: true });
});

async function ferret(): Promise<FerretDb> {
  const server = await startFerretDb(ferretdb!);
  cleanup.push(() => server.dispose());
  return server;
}

async function daemon(env: Record<string, string> = {}): Promise<Daemon> {
  const d = await startDaemon({ env, dataDir: mkdtempSync(join(work, "data-")) });
  cleanup.push(() => d.stop());
  return d;
}

/** Polls /readyz until it answers `status`; returns the last answer. */
async function readyz(d: Daemon, status: number, withinMs: number): Promise<{ status: number; body: string; ms: number }> {
  const start = performance.now();
  for (;;) {
    const response = await fetch(`${d.httpUrl}/readyz`);
    const answer = { status: response.status, body: await response.text(), ms: performance.now() - start };
    if (answer.status === status || answer.ms > withinMs) return answer;
    await Bun.sleep(100);
  }
}

/** The daemon's count of finished calls with this status code (grpc-go's spelling, as the metrics label it). */
async function handled(d: Daemon, code: string): Promise<number> {
  const text = await (await fetch(`${d.httpUrl}/metrics`)).text();
  let total = 0;
  for (const m of text.matchAll(new RegExp(`^grpc_server_handled_total\\{[^}]*grpc_code="${code}"[^}]*\\} (\\S+)$`, "gm"))) total += Number(m[1]);
  return total;
}

const idOf = (stdout: string) => /[0-9a-f]{24}/.exec(stdout)![0];

describe.skipIf(!ferretdb)("todo serve on MongoDB", () => {
  test("while MongoDB is down: /readyz 503 and UNAVAILABLE within the deadline; back without a restart", async () => {
    const server = await ferret();
    const d = await daemon({ MONGO_URL: `${server.url}todo` });
    expect((await readyz(d, 200, 5000)).status).toBe(200);
    const id = idOf((await cli(["create", "--title", "survives the outage", "--addr", d.addr])).stdout);

    await server.stop("SIGKILL");
    const notReady = await readyz(d, 503, 5000);
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatch(/^not ready: MongoDB at mongodb:\/\/127\.0\.0\.1:\d+\/todo /);
    const started = performance.now();
    const read = await cli(["read", "--id", id, "--timeout", "5", "--addr", d.addr]);
    const ms = performance.now() - started;
    expect(read.exitCode).not.toBe(0);
    expect(read.stderr).toMatch(new RegExp(`^todo: todod at ${d.addr} cannot serve right now: MongoDB at mongodb://127\\.0\\.0\\.1:\\d+/todo `));
    expect(ms).toBeLessThan(5000);
    expect(await handled(d, "Unavailable")).toBeGreaterThanOrEqual(1);
    expect(await handled(d, "Internal")).toBe(0);

    await server.start();
    const ready = await readyz(d, 200, 10_000);
    expect(ready.status).toBe(200);
    console.log(`mongo e2e: /readyz 503 ${Math.round(notReady.ms)} ms after FerretDB died, UNAVAILABLE in ${Math.round(ms)} ms, ready ${Math.round(ready.ms)} ms after it restarted`);
    const again = await cli(["read", "--id", id, "--json", "--addr", d.addr]);
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ id, title: "survives the outage" });
    expect(d.process.exitCode).toBeNull(); // the same process throughout
  }, 60_000);

  test("20 concurrent updates carrying one etag: exactly one wins, the rest FAILED_PRECONDITION", async () => {
    const server = await ferret();
    const d = await daemon({ MONGO_URL: `${server.url}etags` });
    const id = idOf((await cli(["create", "--title", "contended", "--addr", d.addr])).stdout);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => cli(["update", "--id", id, "--etag", "1", "--title", `writer ${i}`, "--addr", d.addr])));
    expect(results.filter((r) => r.exitCode === 0)).toHaveLength(1);
    for (const r of results.filter((r) => r.exitCode !== 0)) expect(r.stderr).toBe(`todo: todo ${id} changed since it was read (etag mismatch): read it again and retry\n`);
    expect(JSON.parse((await cli(["read", "--id", id, "--json", "--addr", d.addr])).stdout)).toMatchObject({ etag: "2" });
    expect(await handled(d, "FailedPrecondition")).toBe(19);
  }, 60_000);

  test("starts while MongoDB is unreachable, and the password appears in no log line or error", async () => {
    const port = await freePort();
    const password = "pa55-w0rd%2Fsecret";
    const d = await daemon({ MONGO_URL: `mongodb://todo:${password}@127.0.0.1:${port}/todo?authSource=admin` });
    const notReady = await readyz(d, 503, 5000);
    expect(notReady.status).toBe(503);
    const read = await cli(["read", "--id", "5dc58ee5d954d9bc69be5523", "--timeout", "5", "--addr", d.addr]);
    expect(read.stderr).toStartWith(`todo: todod at ${d.addr} cannot serve right now: MongoDB at mongodb://todo:***@127.0.0.1:${port}/todo?authSource=admin cannot be reached`);
    const everything = [JSON.stringify(d.logs()), notReady.body, read.stderr].join("\n");
    expect(everything).toContain("mongodb://todo:***@");
    for (const secret of [password, "pa55-w0rd", "pa55-w0rd/secret"]) expect(everything).not.toContain(secret);
  }, 30_000);
});

describe.skipIf(!ferretdb)("todo export and todo import", () => {
  /** What must survive a move, per todo: everything a user wrote, and the id. */
  const userFields = (file: string) =>
    readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .map(({ id, title, description, tags, state, reminder }) => ({ id, title, description, tags, state, reminder }));

  test("embedded → MongoDB → embedded loses nothing", async () => {
    const embedded = await daemon();
    const todos: string[][] = [
      ["--title", "Read - Challenge - todo", "--description", "Read - Should create a micro service with 12factor", "--state", "DONE", "--tags", "golang,12factor,k8s", "--reminder", "1573048261"],
      ["--title", "ori", "--description", "12factor apps", "--tags", "job", "--reminder", "2019-11-08T15:51:01.123Z"],
      ["--title", "ünïcødé ✓ 🗒", "--description", "line one\nline two\ttabbed \"quoted\" \\ backslash", "--state", "IN_PROGRESS"],
      ["--title", "bare"],
      ["--title", "far future", "--reminder", "9999-12-31T23:59:59Z", "--tags", "a,b,c,d,e"],
      ["--title", "before the epoch", "--reminder", "1969-07-20T20:17:40Z"],
    ];
    for (const args of todos) expect((await cli(["create", ...args, "--addr", embedded.addr])).exitCode).toBe(0);
    const first = join(work, "embedded.jsonl");
    const exported = await cli(["export", "--out", first, "--addr", embedded.addr]);
    expect([exported.exitCode, exported.stderr]).toEqual([0, `exported ${todos.length} todos to ${first}\n`]);

    const server = await ferret();
    const mongo = await daemon({ MONGO_URL: `${server.url}roundtrip` });
    const imported = await cli(["import", "--in", first, "--addr", mongo.addr]);
    expect([imported.exitCode, imported.stdout, imported.stderr]).toEqual([0, `imported ${todos.length} todos (${todos.length} kept their ids)\n`, ""]);
    const second = join(work, "mongo.jsonl");
    expect((await cli(["export", "--out", second, "--addr", mongo.addr])).exitCode).toBe(0);

    const back = await daemon();
    expect((await cli(["import", "--in", second, "--addr", back.addr])).exitCode).toBe(0);
    const third = join(work, "back.jsonl");
    expect((await cli(["export", "--out", third, "--addr", back.addr])).exitCode).toBe(0);

    const original = userFields(first);
    expect(original).toHaveLength(todos.length);
    expect(original.find((t) => t.title === "ori")!.reminder).toBe("2019-11-08T15:51:01.123Z");
    expect(userFields(second)).toEqual(original);
    expect(userFields(third)).toEqual(original);
    // The same lines as search --json prints.
    const search = await cli(["search", "--json", "--addr", back.addr]);
    expect(search.stdout.trim().split("\n").map((l) => JSON.parse(l).id)).toEqual(original.map((t) => t.id));
  }, 120_000);

  test("a line without an id gets a new one; a bad line stops the import and says where to resume", async () => {
    const d = await daemon();
    const file = join(work, "mixed.jsonl");
    writeFileSync(
      file,
      [
        '{"title":"new one","tags":["x"]}',
        "",
        '{"id":"5dc58ee5d954d9bc69be5523","title":"kept","state":"STATE_DONE","reminder":"2026-01-02T03:04:05Z"}',
        '{"title":"unfinished line"',
        '{"title":"never reached"}',
      ].join("\n"),
    );
    const result = await cli(["import", "--in", file, "--addr", d.addr]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^todo: line 4: not JSON \(.+\); 2 todos were imported before it: import from line 4 on \(e\.g\. tail -n \+4 FILE \| todo import\)\n$/);
    const found = (await cli(["search", "--json", "--addr", d.addr])).stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(found.map((t) => t.title)).toEqual(["new one", "kept"]);
    expect(found[0].id).not.toBe("5dc58ee5d954d9bc69be5523");
    expect(found[1]).toMatchObject({ id: "5dc58ee5d954d9bc69be5523", state: "STATE_DONE", reminder: "2026-01-02T03:04:05Z" });

    const again = await cli(["import", "--in", file, "--addr", d.addr]);
    expect(again.stderr).toStartWith("todo: line 3: a todo with id 5dc58ee5d954d9bc69be5523 already exists; 1 todo was imported before it");
    expect((await cli(["import", "--in", join(work, "missing.jsonl"), "--addr", d.addr])).stderr).toBe(`todo: --in: cannot read ${join(work, "missing.jsonl")} (ENOENT)\n`);
  }, 60_000);
});
