// Issue 18, item 5: oversized documents. A 15 MiB document in challenge.todo made `todo migrate` fail
// with a raw RangeError naming no document, after `--dry-run` said all was well; a 5 MiB title copied
// "as it is" made `todo ls` and `todo export` fail for everyone and `todo watch --from 0` loop forever
// at its position. Now migrate (and its dry run, which reports the same) refuses each document that
// breaks the rules a create checks, naming its _id and the rule, and copies the rest; import refuses
// too; and a todo over the rules that is stored already (a migrate before this fix) is paged past by
// every reader (written around the rules into a SQLite store here; a reader meets the same on MongoDB).
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Document, Long, MongoClient, ObjectId } from "mongodb";
import { ensureBinary } from "../support/binary";
import { cli, type Daemon, hidden, startDaemon } from "../support/daemon";
import { startFerretDb } from "../support/ferretdb";
import { lineReader } from "../support/lines";
import { scaled } from "../support/time";
import { toolOrSkip } from "../support/tools";

const ferretdb = toolOrSkip("ferretdb", "oversized documents in MongoDB (FerretDB)");
const MiB = 1024 * 1024;

const id = (n: number) => ObjectId.createFromHexString(`5dc586b0a766c6e6404f0${n.toString(16).padStart(3, "0")}`);
const originalDoc = (_id: ObjectId, fields: Document): Document => ({ _id, title: "t", description: "", tags: ["x"], reminder: Long.fromNumber(0), state: "NOT_STARTED", ...fields });

describe.skipIf(!ferretdb)("oversized documents", async () => {
  const server = await startFerretDb(ferretdb!);
  const client = new MongoClient(server.url);
  const daemons: Daemon[] = [];
  afterAll(async () => {
    for (const d of daemons) await d.stop();
    await client.close();
    await server.dispose();
  });

  test("migrate and its dry run refuse each document the rules refuse, naming its _id and the rule; the rest is copied", async () => {
    const original = client.db("challenge").collection("todo");
    const [first, huge, longDescription, manyTags, last] = [id(1), id(2), id(3), id(4), id(5)];
    await original.insertMany([
      originalDoc(first, { title: "first" }),
      // A 15 MiB document: its copy and its event would not fit in one of todo serve's (16 MiB at most).
      originalDoc(huge, { title: "h".repeat(15 * MiB) }),
      originalDoc(longDescription, { title: "long description", description: "d".repeat(5 * MiB) }),
      originalDoc(manyTags, { title: "many tags", tags: Array.from({ length: 40 }, (_, i) => `tag${i}`) }),
      originalDoc(last, { title: "last" }),
    ]);
    const env = { MONGO_URL: server.url };
    const refusals = [
      `${huge.toHexString()}: not copied: todo serve's rules refuse it: title: must be at most 200 characters, got ${15 * MiB}; correct it in challenge.todo and run todo migrate again`,
      `${longDescription.toHexString()}: not copied: todo serve's rules refuse it: description: must be at most 10000 characters, got ${5 * MiB}; correct it in challenge.todo and run todo migrate again`,
      `${manyTags.toHexString()}: not copied: todo serve's rules refuse it: tags: must hold at most 32 tags, got 40; correct it in challenge.todo and run todo migrate again`,
    ];
    const notCopied = "todo: 3 todos not copied (listed above, each with what to do); run todo migrate again once they are dealt with\n";

    const dry = await cli(["migrate", "--dry-run"], env);
    expect({ stderr: dry.stderr, exitCode: dry.exitCode }).toEqual({ stderr: notCopied, exitCode: 1 });
    const dryLines = dry.stdout.trimEnd().split("\n");
    expect(dryLines.slice(0, -1)).toEqual(refusals);
    expect(dryLines.at(-1)).toMatch(/^dry run, nothing written: 5 todos in challenge\.todo → todo\.todos: 2 created, 0 updated, 0 unchanged, 3 skipped \(\d+\.\d s\)$/);

    const run = await cli(["migrate"], env);
    expect({ stderr: run.stderr, exitCode: run.exitCode }).toEqual({ stderr: notCopied, exitCode: 1 });
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.slice(0, -1)).toEqual(refusals);
    expect(lines.at(-1)).toMatch(/^5 todos in challenge\.todo → todo\.todos: 2 created, 0 updated, 0 unchanged, 3 skipped \(\d+\.\d s\)$/);
    const copied = await client.db("todo").collection("todos").find({}, { projection: { _id: 1 }, sort: { _id: 1 } }).toArray();
    expect(copied.map((d) => (d._id as ObjectId).toHexString())).toEqual([first.toHexString(), last.toHexString()]);
  }, 120_000);

  test("import refuses a todo over the rules, naming its line and the rule", async () => {
    const d = await startDaemon({ env: { MONGO_URL: `${server.url}imported` } });
    daemons.push(d);
    const file = `${d.dataDir}/import.jsonl`;
    await Bun.write(file, `${JSON.stringify({ title: "fine" })}\n${JSON.stringify({ title: "t".repeat(5 * MiB) })}\n`);
    const result = await cli(["import", "--in", file, "--addr", d.addr]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toStartWith("todo: line 2: ");
    expect(result.stderr).toContain("title: must be at most 200 characters");
    expect(await client.db("imported").collection("todos").countDocuments()).toBe(1);
  }, 60_000);
});

/** A data directory whose todos have these titles, written around the rules (as no command writes them now). */
async function storedAroundTheRules(titles: string[]): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "todo-oversized-"));
  // In a process of its own: a store's connection closed here can stay open until its statements are
  // collected, holding the file a daemon then cannot open.
  const seed = `
    import { SqliteStore } from ${JSON.stringify(join(import.meta.dir, "../../src/store/sqlite/sqlite-store"))};
    const store = SqliteStore.open(${JSON.stringify(dataDir)});
    for (const title of ${JSON.stringify(titles.map((t) => [t[0], t.length]))}.map(([c, n]) => c.repeat(n)))
      await store.create({ title, description: "", tags: [], reminder: null, state: "STATE_NOT_STARTED" });
    await store.close();`;
  const seeded = Bun.spawnSync(["bun", "-e", seed], { stderr: "pipe" });
  expect({ exitCode: seeded.exitCode, stderr: seeded.stderr.toString() }).toEqual({ exitCode: 0, stderr: "" });
  return dataDir;
}

describe("a todo over the rules stored already", () => {
  // A todo migrate before this fix copied such titles into MongoDB; what a reader meets is the same on either store.
  test("a 5 MiB title is paged past by ls, export and watch --from 0", async () => {
    const titles = ["b", "t".repeat(5 * MiB), "a"];
    const d = await startDaemon({ dataDir: await storedAroundTheRules(titles) });
    try {
      const ls = await cli(["ls", "--json", "--addr", d.addr]);
      expect({ exitCode: ls.exitCode, stderr: ls.stderr.slice(0, 500) }).toEqual({ exitCode: 0, stderr: "" });
      expect(ls.stdout.trimEnd().split("\n").map((l) => JSON.parse(l).title.length)).toEqual([1, 5 * MiB, 1]);

      const exported = await cli(["export", "--addr", d.addr]);
      expect({ exitCode: exported.exitCode, stderr: exported.stderr.slice(0, 500) }).toEqual({ exitCode: 0, stderr: "exported 3 todos\n" });
      expect(exported.stdout.trimEnd().split("\n").map((l) => JSON.parse(l).title.length)).toEqual([1, 5 * MiB, 1]);

      // Before the fix the watch refused the event at position 2 and asked for it again, forever.
      const watch = Bun.spawn(hidden([await ensureBinary(), "watch", "--from", "0", "--json", "--addr", d.addr]), { stdout: "pipe", stderr: "pipe" });
      const stderr = new Response(watch.stderr).text();
      try {
        const out = lineReader(watch.stdout);
        const seen = await out.atLeast(3, "the three events", scaled(30_000)).catch(async (e) => {
          watch.kill("SIGKILL");
          throw new Error(`${(e as Error).message.slice(0, 300)}\nstderr: ${(await stderr).slice(0, 1000)}`);
        });
        expect(seen.map((l) => JSON.parse(l).position)).toEqual(["1", "2", "3"]);
      } finally {
        watch.kill("SIGKILL");
      }
    } finally {
      await d.stop();
    }
  }, 120_000);

  test("a change larger than the CLI takes: watch --from 0 stops at it, naming the position, instead of asking for it again forever", async () => {
    // Only a store written around the rules holds one (MongoDB's documents stop at 16 MiB; the CLI takes 20).
    const d = await startDaemon({ dataDir: await storedAroundTheRules(["b", "w".repeat(21 * MiB), "a"]) });
    try {
      const watch = Bun.spawn(hidden([await ensureBinary(), "watch", "--from", "0", "--json", "--addr", d.addr]), { stdout: "pipe", stderr: "pipe" });
      const ended = await Promise.race([watch.exited, Bun.sleep(scaled(30_000)).then(() => "still running")]);
      watch.kill("SIGKILL");
      const stderr = await new Response(watch.stderr).text();
      expect({ ended, stderr: stderr.slice(0, 1000) }).toEqual({
        ended: 1,
        stderr: expect.stringMatching(/ larger than the 20971520 this client takes; stopped: the next change after position 1 cannot be received, and resuming would ask for it again\n$/),
      });
      expect((await new Response(watch.stdout).text()).trimEnd().split("\n").map((l) => JSON.parse(l).position)).toEqual(["1"]);
    } finally {
      await d.stop();
    }
  }, 120_000);
});
