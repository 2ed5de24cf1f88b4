// The event log end to end, through the compiled binary: `todo watch` across restarts, the log after a
// kill -9 in the middle of concurrent writes, `todo replay`, a stalled watcher, and the log's metrics.
import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { ensureBinary } from "../support/binary";
import { cli, type Daemon, hidden, startDaemon } from "../support/daemon";
import { lineReader } from "../support/lines";
import { freePort } from "../support/net";
import { nodeClient } from "../support/node-client";
import { tempDirs } from "../support/temp";

const tempDir = tempDirs();

async function created(daemon: Daemon, title: string): Promise<string> {
  const { stdout, stderr, exitCode } = await cli(["create", "--addr", daemon.addr, "--title", title]);
  expect({ stderr, exitCode }).toEqual({ stderr: "", exitCode: 0 });
  return stdout.trim().split(" ")[1]!;
}

/** The events table and the todos table of a stopped daemon's data file. */
function tables(dataDir: string) {
  const db = new Database(join(dataDir, "todos.db"), { readonly: true });
  try {
    return {
      events: db.query<{ position: number; event_id: string; todo_id: string; version: number; kind: string; todo: string }, []>("SELECT * FROM events ORDER BY position").all(),
      todos: db.query<Record<string, unknown>, []>("SELECT * FROM todos ORDER BY id").all(),
    };
  } finally {
    db.close();
  }
}

describe("todo watch", () => {
  test("prints every event once, in order, across a graceful restart and a kill -9 of the daemon", async () => {
    const dataDir = tempDir("watch");
    const [grpcPort, httpPort] = [await freePort(), await freePort()];
    let daemon = await startDaemon({ dataDir, grpcPort, httpPort });
    const watch = Bun.spawn(hidden([await ensureBinary(), "watch", "--from", "0", "--json", "--addr", daemon.addr]), { stdout: "pipe", stderr: "pipe" });
    try {
      const out = lineReader(watch.stdout);
      const first = await created(daemon, "one");
      await created(daemon, "two");
      await out.atLeast(2, "the first two creates");
      const metrics = await (await fetch(`${daemon.httpUrl}/metrics`)).text();
      expect(metrics).toMatch(/^todo_events_appended_total 2$/m);
      expect(metrics).toMatch(/^todo_event_log_head_position 2$/m);
      expect(metrics).toMatch(/^todo_watchers 1$/m);

      // SIGTERM: the drain ends the watch (UNAVAILABLE naming the position) instead of waiting for it.
      expect(await daemon.stop("SIGTERM")).toBe(0);
      daemon = await startDaemon({ dataDir, grpcPort, httpPort });
      expect((await cli(["update", "--addr", daemon.addr, "--id", first, "--title", "one, renamed"])).exitCode).toBe(0);
      await created(daemon, "three");
      await out.atLeast(4, "the writes after the restart");

      // kill -9: the connection just drops; the watch resumes once a daemon answers again.
      await daemon.stop("SIGKILL");
      daemon = await startDaemon({ dataDir, grpcPort, httpPort });
      expect((await cli(["delete", "--addr", daemon.addr, "--id", first])).exitCode).toBe(0);
      const seen = (await out.atLeast(5, "the delete after the kill")).map((line) => JSON.parse(line));
      await Bun.sleep(300);
      expect(out.seen).toHaveLength(5);
      expect(seen.map((e) => [e.position, Object.keys(e).find((k) => ["created", "updated", "deleted"].includes(k)), e.version])).toEqual([
        ["1", "created", "1"],
        ["2", "created", "1"],
        ["3", "updated", "2"],
        ["4", "created", "1"],
        ["5", "deleted", "3"],
      ]);
      expect(seen[2].updated).toEqual({ updateMask: "title", todo: expect.objectContaining({ id: first, title: "one, renamed", etag: "2" }) });
      watch.kill("SIGTERM");
      const stderr = await new Response(watch.stderr).text();
      expect(stderr).toContain("todod is shutting down; resume the watch after position 2; resuming after position 2 when todod answers");
      expect(stderr).toContain("watching again after position");
    } finally {
      watch.kill("SIGKILL");
      await daemon.stop("SIGKILL");
    }
  }, 120_000);

  test("without --from, prints only what happens after it starts; --ids and --tags filter", async () => {
    const daemon = await startDaemon();
    const watch = Bun.spawn(hidden([await ensureBinary(), "watch", "--tags", "home", "--addr", daemon.addr]), { stdout: "pipe", stderr: "pipe" });
    try {
      await created(daemon, "before the watch");
      // The watch has started once the daemon counts it.
      while (!/^todo_watchers 1$/m.test(await (await fetch(`${daemon.httpUrl}/metrics`)).text())) await Bun.sleep(20);
      const out = lineReader(watch.stdout);
      expect((await cli(["create", "--addr", daemon.addr, "--title", "work only", "--tags", "work"])).exitCode).toBe(0);
      expect((await cli(["create", "--addr", daemon.addr, "--title", "milk\u001b]0;pwned\u0007", "--tags", "home,shop"])).exitCode).toBe(0);
      const [line] = await out.atLeast(1, "the create tagged home");
      // Piped: the whole id and an RFC 3339 time (with the local offset), the title inert and uncut.
      expect(line).toMatch(/^3 {2}\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d) {2}created {3}[0-9a-f]{24} {2}milk\\x1b]0;pwned\\x07 \+home \+shop$/);
      await Bun.sleep(300);
      expect(out.seen).toHaveLength(1);
    } finally {
      watch.kill("SIGKILL");
      await daemon.stop("SIGKILL");
    }
  }, 60_000);

  test("a daemon that never answered is an error, not a wait", async () => {
    const { stderr, exitCode } = await cli(["watch", "--addr", `127.0.0.1:${await freePort()}`]);
    expect([stderr, exitCode]).toEqual([expect.stringMatching(/^todo: cannot reach todod at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/), 1]);
  });

  test("a watcher that stops reading gets RESOURCE_EXHAUSTED naming where to resume, and the daemon serves on", async () => {
    const daemon = await startDaemon();
    try {
      // 400 events of ~10 KB each: far more than HTTP/2's flow-control windows hold.
      await nodeClient(["seed", daemon.addr, "400", "10000"], 120);
      const result = await nodeClient(["stalled-watch", daemon.addr, "15", "90"], 120);
      console.log(`stalled watcher: ${JSON.stringify(result)}`);
      expect(result.code).toBe("RESOURCE_EXHAUSTED");
      // It received what was queued for it (256 events, and what the flow-control windows held before),
      // not the whole log, then the status naming the last of them.
      expect(result.messages).toBeLessThan(401);
      expect(result.details).toBe(`the watcher took none of its 256 unsent events for 10 s; resume the watch after position ${result.lastPosition}`);
      expect((await cli(["read", "--addr", daemon.addr, "--id", "000000000000000000000000"])).stderr).toContain("no todo with id");
    } finally {
      await daemon.stop("SIGKILL");
    }
  }, 180_000);
});

describe("the event log on the embedded store", () => {
  test("kill -9 during concurrent writes: every acknowledged write has its event, and every event its write", async () => {
    const dataDir = tempDir("crash");
    const daemon = await startDaemon({ dataDir });
    const writing = nodeClient(["writes", daemon.addr, "32", "60"], 90);
    // Kill it while the writes are in full flow: after the first 200.
    const appended = async () => Number(/^todo_events_appended_total (\d+)$/m.exec(await (await fetch(`${daemon.httpUrl}/metrics`)).text())?.[1] ?? 0);
    while ((await appended()) < 200) await Bun.sleep(20);
    await daemon.stop("SIGKILL");
    const { acknowledged } = (await writing) as { acknowledged: [string, number][] };
    // Opening the store again (a restart) must not change what the crash left.
    const restarted = await startDaemon({ dataDir });
    await restarted.stop("SIGTERM");
    const { events, todos } = tables(dataDir);
    const logged = new Set(events.map((e) => `${e.todo_id}@${e.version}`));
    const lost = acknowledged.filter(([id, version]) => !logged.has(`${id}@${version}`));
    // Folding the log gives the todos table exactly: no event without its write, no write without its event.
    // The armed reminder too: set by a create or a move of the reminder, cleared when it fires.
    const folded = new Map<string, Record<string, unknown>>();
    for (const e of events) {
      const t = JSON.parse(e.todo);
      const before = folded.get(e.todo_id);
      const armed = e.kind === "reminder_due" ? null : e.kind === "created" || before?.reminder !== t.reminder ? t.reminder : before?.reminder_due;
      folded.set(e.todo_id, { id: t.id, title: t.title, description: t.description, tags: JSON.stringify(t.tags), reminder: t.reminder, state: t.state, create_time: t.createTime, update_time: t.updateTime, version: t.version, reminder_due: armed, number: t.number });
    }
    console.log(`kill -9 during writes: ${acknowledged.length} acknowledged, ${events.length} events, ${todos.length} todos, ${lost.length} acknowledged without an event`);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(events.map((e) => e.position)).toEqual(events.map((_, i) => i + 1));
    expect([...folded.values()].sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual(todos);
  }, 120_000);

  test("todo replay rebuilds the same todos and the same log from a random workload", async () => {
    const dataDir = tempDir("replay-source");
    const daemon = await startDaemon({ dataDir });
    const result = await nodeClient(["workload", daemon.addr, "300", "7"], 120);
    console.log(`replay workload: ${JSON.stringify(result.counts)}`);
    await daemon.stop("SIGTERM");
    const into = tempDir("replay-target");
    const replay = await cli(["replay", "--data-dir", dataDir, "--into-data-dir", into]);
    const [source, target] = [tables(dataDir), tables(into)];
    // 300 writes, and the reminders of the workload's imports (all passed) as they fired.
    const fired = source.events.filter((e) => e.kind === "reminder_due").length;
    expect(source.events).toHaveLength(300 + fired);
    expect(replay).toEqual({ stdout: `replayed ${300 + fired} events of sqlite ${dataDir} into sqlite ${into}\n`, stderr: "", exitCode: 0 });
    expect(target.todos).toEqual(source.todos);
    expect(target.events).toEqual(source.events);
    expect(source.todos).toHaveLength(result.live);
    const again = await cli(["replay", "--data-dir", dataDir, "--into-data-dir", into]);
    expect(again).toEqual({ stdout: "", stderr: `todo: sqlite ${into} is not empty: replay rebuilds into an empty store\n`, exitCode: 2 });
  }, 180_000);
});
