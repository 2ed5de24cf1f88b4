// Reminders that fire, through the compiled binary: on the embedded store, `todo watch --reminders` shows
// a reminder as it fires, never one of a todo done before, and again once the reminder moves; on
// MongoDB (FerretDB here), three daemons and a kill -9 of one of them fire 200 reminders exactly once.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MongoClient } from "mongodb";
import { ensureBinary } from "../support/binary";
import { cli, type Daemon, hidden, startDaemon } from "../support/daemon";
import { startFerretDb } from "../support/ferretdb";
import { lineReader } from "../support/lines";
import { scaled } from "../support/time";
import { toolOrSkip } from "../support/tools";

const work = mkdtempSync(join(tmpdir(), "todo-reminders-"));
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  rmSync(work, { recursive: true, force: true });
});

async function daemon(env: Record<string, string> = {}): Promise<Daemon> {
  const d = await startDaemon({ env, dataDir: mkdtempSync(join(work, "data-")) });
  cleanup.push(() => d.stop("SIGKILL"));
  return d;
}

async function metric(d: Daemon, name: string): Promise<number> {
  const text = await (await fetch(`${d.httpUrl}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
}

/** `todo watch <args> --json` on `d`, once the daemon counts it as open. */
async function watch(d: Daemon, args: string[]) {
  const proc = Bun.spawn(hidden([await ensureBinary(), "watch", "--json", "--addr", d.addr, ...args]), { stdout: "pipe", stderr: "pipe" });
  cleanup.push(async () => proc.kill("SIGKILL"));
  const watchers = await metric(d, "todo_watchers");
  while ((await metric(d, "todo_watchers")) <= watchers) await Bun.sleep(20);
  return lineReader(proc.stdout);
}

async function created(args: string[], d: Daemon): Promise<string> {
  const result = await cli([...args, "--addr", d.addr]);
  expect(result).toMatchObject({ exitCode: 0, stderr: "" });
  return result.stdout.trim().split(" ")[1]!;
}

const iso = (ms: number) => new Date(ms).toISOString();
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

describe("reminders on the embedded store", () => {
  test("todo watch --reminders shows a reminder as it fires, not a done todo's, and again once it moves", async () => {
    const d = await daemon();
    const reminders = await watch(d, ["--reminders"]);
    const everything = await watch(d, []);
    const due = Date.now() + scaled(1500);
    const remind = await created(["add", "remind me", "--reminder", iso(due)], d);
    const done = await created(["add", "done before", "--reminder", iso(due)], d);
    expect((await cli(["done", done, "--addr", d.addr])).exitCode).toBe(0);
    // Due after the other two: once it has fired, theirs have been dealt with.
    const last = await created(["add", "the last", "--reminder", iso(due + 500)], d);
    await reminders.atLeast(2, "two reminders firing", scaled(15_000));
    const fired = reminders.seen.map((line) => JSON.parse(line));
    expect(fired.map((e) => [e.todoId, e.version])).toEqual([
      [remind, "1"],
      [last, "1"],
    ]);
    expect(fired[0].reminderDue).toMatchObject({ reminder: iso(due), todo: { title: "remind me" } });
    // Firing changes nothing of the todo: its etag is the one it was created with.
    expect((await cli(["read", "--id", remind, "--addr", d.addr])).stdout).toMatch(/^Etag\s+1$/m);
    // The default watch is the whole log, reminders included.
    await everything.atLeast(6, "3 creates, 1 update, 2 reminders on the unfiltered watch", scaled(5_000));
    const kinds = everything.seen.map((line) => Object.keys(JSON.parse(line)).find((k) => ["created", "updated", "deleted", "reminderDue"].includes(k)));
    expect(kinds.sort()).toEqual(["created", "created", "created", "reminderDue", "reminderDue", "updated"]);

    const moved = Date.now() + scaled(1000);
    expect((await cli(["update", remind, "--reminder", iso(moved), "--addr", d.addr])).exitCode).toBe(0);
    await reminders.atLeast(3, "the moved reminder firing", scaled(15_000));
    expect(JSON.parse(reminders.seen[2]!)).toMatchObject({ todoId: remind, version: "2", reminderDue: { reminder: iso(moved) } });
    expect(await metric(d, "todo_reminders_fired_total")).toBe(3);
    expect(await metric(d, "todo_reminder_lateness_seconds_count")).toBe(3);
    expect(reminders.seen).toHaveLength(3);
  }, 60_000);
});

const ferretdb = toolOrSkip("ferretdb", "reminders on MongoDB");

describe.skipIf(!ferretdb)("reminders on MongoDB", () => {
  test("three daemons, one killed with kill -9 midway: 200 reminders, each fired once", async () => {
    const server = await startFerretDb(ferretdb!);
    cleanup.push(() => server.dispose());
    const database = "reminders";
    const env = { MONGO_URL: server.url, MONGO_DB: database };
    const daemons = [await daemon(env), await daemon(env), await daemon(env)];
    const client = new MongoClient(server.url);
    cleanup.push(() => client.close());
    const db = client.db(database);

    // 200 reminders due within 3 s, from a moment the import is over by (it takes ~1 s here when idle).
    // Each line keeps its id, so an import that an overloaded FerretDB cuts short is run again without
    // doubling what it imported (--skip-existing).
    const count = 200;
    const first = Date.now() + scaled(6_000);
    const spanMs = 3_000;
    const file = join(work, "reminders.jsonl");
    const id = (i: number) => `${Math.floor(Date.now() / 1000).toString(16)}${(i + 1).toString(16).padStart(16, "0")}`;
    const lines = Array.from({ length: count }, (_, i) => JSON.stringify({ id: id(i), title: `r${i}`, reminder: iso(first + Math.floor((i * spanMs) / count)) }));
    writeFileSync(file, lines.join("\n") + "\n");
    let imported = await cli(["import", "--in", file, "--addr", daemons[0]!.addr]);
    for (let attempt = 1; imported.exitCode !== 0 && attempt < 5; attempt++) {
      console.log(`note: the import stopped (${imported.stderr.trim()}); importing the rest`);
      imported = await cli(["import", "--skip-existing", "--in", file, "--addr", daemons[attempt % 2]!.addr]);
    }
    expect(imported).toMatchObject({ exitCode: 0 });
    const lateImport = Date.now() - first;
    if (lateImport > 0) console.log(`note: the import ended ${lateImport} ms after the first reminder was due; those reminders fire late by as much`);

    // Midway through the reminders falling due, one daemon dies without a word.
    await Bun.sleep(Math.max(0, first + spanMs / 2 - Date.now()));
    await daemons[2]!.stop("SIGKILL");

    const events = db.collection("events");
    const until = Date.now() + Math.min(scaled(60_000), 240_000);
    while ((await events.countDocuments({ kind: "reminder_due" })) < count && Date.now() < until) await Bun.sleep(200);
    // What the dead daemon fired but did not sequence is swept by the others 5 s later; anything fired
    // twice would be sequenced within that time too.
    await Bun.sleep(scaled(8_000));
    const fired = await events.find({ kind: "reminder_due" }).sort({ _id: 1 }).toArray();
    const todos = await db.collection("todos").find({}, { projection: { pending: 0 } }).toArray();
    const spread = fired.map((e) => e.time.getTime() - e.reminder.getTime());
    console.log(
      `MongoDB, 3 daemons (one killed midway), ${count} reminders due within ${spanMs} ms: ${fired.length} ReminderDue events; ` +
        `firing after the due time p50 ${percentile(spread, 50)} ms, p99 ${percentile(spread, 99)} ms, max ${Math.max(...spread)} ms`,
    );
    expect(fired).toHaveLength(count);
    expect(new Set(fired.map((e) => e.todo_id)).size).toBe(count);
    expect(new Set(fired.map((e) => e.todo_id))).toEqual(new Set(todos.map((t) => t._id.toHexString())));
    for (const e of fired) expect(e.reminder.getTime()).toBe(todos.find((t) => t._id.toHexString() === e.todo_id)!.reminder.getTime());
    // Firing changed no todo: every one is still at the version it was created with.
    expect(todos.filter((t) => t.version !== 1)).toEqual([]);
    // The log as a watcher reads it from a surviving daemon: the same 200, once each, in position order.
    const reader = await watch(daemons[0]!, ["--reminders", "--from", "0"]);
    const seen = await reader.atLeast(count, `${count} reminders on a watch from position 0`, scaled(30_000));
    expect(seen.map((line) => JSON.parse(line).eventId)).toEqual(fired.map((e) => e.event_id));
  }, 480_000);
});
