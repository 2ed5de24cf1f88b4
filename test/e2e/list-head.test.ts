// `todo list | head -3` over many open todos (issue 22, streams and lists): the table is laid out from
// its first page and streamed, so the CLI prints its first lines without reading every todo, stops
// asking the daemon for pages once `head` has gone, exits 0 saying nothing, and its memory holds a page,
// not the list. (It used to read all 200 pages of 500 and lay the table out from every row first: ~300
// MiB for 100,000 todos.) A reader that holds the CLI (a full pipe) longer than --timeout does not fail
// the list. How fast is bench/lists.bench.ts's to say, not a test's.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ensureBinary } from "../support/binary";
import { type Daemon, hidden, startDaemon } from "../support/daemon";
import { seededDataDir } from "../support/seed";

const TODOS = 100_000;
/** The CLI's peak resident memory may be at most this: a page of todos and the runtime (~60 MiB here), well below the whole list. */
const PEAK_MIB = 150;

let daemon: Daemon;
beforeAll(async () => {
  const dataDir = await seededDataDir(TODOS, (i) => ({ title: `open todo number ${i} to list`, description: `its description, ${i}`, tags: ["bulk", `t${i % 100}`] }));
  daemon = await startDaemon({ dataDir });
}, 120_000);
afterAll(async () => {
  await daemon.stop();
});

const searchCalls = () => daemon.logs().filter((l) => l.msg === "call" && l.method === "/todo.v1.TodoService/SearchTodos").length;

/** `todo <args> | <reader>`: what the reader printed, what the CLI said on stderr and its exit status, and the pipeline's peak RSS in MiB. */
async function piped(args: string[], reader: string) {
  const binary = await ensureBinary();
  // A real pipe; the CLI's exit status comes on stderr after whatever it printed there. Run by a small
  // Bun process of its own that writes the pipeline's ru_maxrss (sh, the CLI, head: the CLI's, in bytes)
  // to a file: a child forked by this test process counts this process's own memory as its peak (the
  // pages it shares until exec), which was 739 MiB late in a full run of the suite.
  const rssFile = join(mkdtempSync(join(tmpdir(), "todo-rss-")), "maxrss");
  const measure = `const p = Bun.spawn(process.argv.slice(1), { stdio: ["inherit", "inherit", "inherit"] }); await p.exited; await Bun.write(process.env.RSS_FILE, String(p.resourceUsage().maxRSS));`;
  const pipeline = Bun.spawn(
    [process.execPath, "-e", measure, "sh", "-c", `{ "$@"; echo "todo exited $?" >&2; } | ${reader}`, "sh", ...hidden([binary, ...args, "--addr", daemon.addr])],
    { stdout: "pipe", stderr: "pipe", env: { ...process.env, RSS_FILE: rssFile } },
  );
  const [stdout, stderr] = await Promise.all([new Response(pipeline.stdout).text(), new Response(pipeline.stderr).text(), pipeline.exited]);
  const peakMib = Number(readFileSync(rssFile, "utf8")) / 2 ** 20;
  rmSync(dirname(rssFile), { recursive: true, force: true });
  return { lines: stdout.trimEnd().split("\n"), stderr, peakMib };
}

test("todo list | head -3 prints the first rows, stops paging once head has gone, exits 0, and its memory holds a page", async () => {
  const before = searchCalls();
  const { lines, stderr, peakMib } = await piped(["list"], "head -3");
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^# +ID +STATE +TITLE +DESCRIPTION +TAGS +REMINDER$/);
  expect(lines[1]).toContain("open todo number ");
  // The CLI said nothing when its reader left, and exited 0.
  expect(stderr).toBe("todo exited 0\n");
  // The first page and the one asked for while it was printed: not the other 98.
  expect(searchCalls() - before).toBeLessThanOrEqual(3);
  console.log(`todo list | head -3 over ${TODOS} open todos: peak RSS ${peakMib.toFixed(1)} MiB, ${searchCalls() - before} SearchTodos calls`);
  expect(peakMib).toBeLessThan(PEAK_MIB);
}, 120_000);

test("todo search --json | head -1 prints the first todo and stops there too", async () => {
  const before = searchCalls();
  const { lines, stderr, peakMib } = await piped(["search", "--json"], "head -1");
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0]!).title).toBe("open todo number 0 to list");
  expect(stderr).toBe("todo exited 0\n");
  expect(searchCalls() - before).toBeLessThanOrEqual(3);
  expect(peakMib).toBeLessThan(PEAK_MIB);
}, 120_000);

test("a reader that holds the list past --timeout (a full pipe blocks the CLI) still gets all of it", async () => {
  // The next page is asked for before this one is written; its deadline passes while the write waits
  // for the reader, and the page is asked again instead of failing with "did not answer within 2 s".
  const { lines, stderr } = await piped(["list", "--timeout", "2"], "{ sleep 4; wc -l; }");
  expect(stderr).toBe("todo exited 0\n");
  expect(lines).toEqual([String(TODOS + 1)]);
}, 120_000);
