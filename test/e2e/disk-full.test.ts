// The embedded store on a disk that fills up: a real file system (a 4 MiB tmpfs, mounted in a private
// mount namespace that only this file's daemons enter, so the machine's mounts are untouched and it goes
// when the namespace's holder ends). A write that cannot get space surely did not happen, and says so:
// RESOURCE_EXHAUSTED naming the disk, never UNKNOWN. Reads go on; /readyz says "degraded" with the reason
// (and todo_store_degraded is 1) rather than taking the only daemon of its data directory out of a load
// balancer; writes work again once space is freed; and a daemon started on the full disk serves reads.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { unary } from "../support/grpc-call";
import { lineReader } from "../support/lines";
import { stopProcess } from "../support/process";

// Root in a mount namespace of its own: what CI has (the end-to-end tests hide node_modules the same way).
const canMount = process.getuid?.() === 0 && Bun.spawnSync(["unshare", "-m", "--propagation", "private", "true"], { stderr: "ignore" }).exitCode === 0;
if (!canMount) {
  if (process.env.CI === "true") throw new Error("the disk-full test needs root and `unshare -m` to mount a small tmpfs");
  console.warn("skipping the disk-full test: it needs root and `unshare -m` to mount a small tmpfs");
}

const mountPoint = mkdtempSync(join(tmpdir(), "todo-small-disk-"));
const dataDir = join(mountPoint, "data");
let holder: Subprocess;
const daemons: Daemon[] = [];

/** Runs a shell command in the namespace where the small disk is mounted. */
function onSmallDisk(command: string): string {
  const r = Bun.spawnSync(["nsenter", "-t", String(holder.pid), "-m", "--", "sh", "-c", command], { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${command}: exit ${r.exitCode}: ${r.stderr}`);
  return r.stdout.toString();
}
/** Takes every free byte of the small disk. */
const fill = () => onSmallDisk(`dd if=/dev/zero of=${mountPoint}/filler bs=4k 2>/dev/null; df -k ${mountPoint} | tail -1`);
const free = () => onSmallDisk(`rm -f ${mountPoint}/filler`);

async function start(): Promise<Daemon> {
  const daemon = await startDaemon({ dataDir, mountNamespaceOf: holder.pid });
  daemons.push(daemon);
  return daemon;
}

const readyz = async (d: Daemon) => {
  const r = await fetch(`${d.httpUrl}/readyz`);
  return { status: r.status, body: await r.text() };
};
const degradedGauge = async (d: Daemon) => /^todo_store_degraded (\d)$/m.exec(await (await fetch(`${d.httpUrl}/metrics`)).text())?.[1];
const titles = async (d: Daemon) =>
  (await cli(["search", "--json", "--addr", d.addr])).stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line).title)
    .sort();

/** Polls /readyz (it looks at the disk each time) until `want`; fails with the last answer after 20 s. */
async function readyzBecomes(d: Daemon, want: string) {
  let last = await readyz(d);
  for (const until = Date.now() + 20_000; last.body !== want && Date.now() < until; last = await readyz(d)) await Bun.sleep(100);
  expect(last).toEqual({ status: 200, body: want });
}

const FULL = `the disk holding the data directory ${dataDir} is full`;
const DEGRADED = `degraded: ${FULL}: writes are refused until space is freed there; reads are served\n`;
const REFUSED = `${FULL}: nothing was written; free space on it, and writes work again (reads still do)`;

beforeAll(async () => {
  if (!canMount) return;
  holder = Bun.spawn(["unshare", "-m", "--propagation", "private", "sh", "-c", `mount -t tmpfs -o size=4m,mode=0700 tmpfs "$0" && echo mounted && exec sleep 3600`, mountPoint], {
    stdout: "pipe",
    stderr: "pipe",
  });
  await lineReader(holder.stdout as ReadableStream<Uint8Array>).atLeast(1, "the small disk mounted", 10_000);
});
// Each test leaves no daemon and a disk with room, whatever it got to.
afterEach(async () => {
  for (const d of daemons.splice(0)) await d.stop("SIGKILL");
  if (canMount) free();
});
afterAll(async () => {
  // The tmpfs lives only in the holder's namespace: it is gone with it.
  if (holder) await stopProcess(holder, "SIGTERM", 5_000);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!canMount)("a full disk under the embedded store", () => {
  test("a write that cannot get space is RESOURCE_EXHAUSTED naming the disk, and none happened; reads go on; space freed, writes work", async () => {
    const d = await start();
    for (const title of ["one", "two", "three"]) expect((await cli(["add", title, "--addr", d.addr])).exitCode).toBe(0);
    expect(await readyz(d)).toEqual({ status: 200, body: "ok\n" });
    fill();

    const added = await cli(["add", "on the full disk", "--addr", d.addr]);
    expect(added.stderr).toBe(`todo: todod at ${d.addr} answered RESOURCE_EXHAUSTED: ${REFUSED}\n`);
    expect(added.exitCode).toBe(1);
    // Many at once (one group commit or a few): each is either written or RESOURCE_EXHAUSTED, and the
    // todos are exactly the three and those answered OK.
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => unary(d.addr, "/todo.v1.TodoService/CreateTodo", { todo: { title: `burst ${i}`, description: "x".repeat(4000) } })));
    const codes = answers.map((a) => a.code);
    expect(codes.filter((c) => c !== 0 && c !== 8)).toEqual([]);
    expect(codes).toContain(8);
    expect(answers.filter((a) => a.code === 8).every((a) => a.details === REFUSED)).toBe(true);
    const written = answers.filter((a) => a.code === 0).map((a) => a.response.title);
    expect(await titles(d)).toEqual(["one", "three", "two", ...written].sort());

    expect(await readyz(d)).toEqual({ status: 200, body: DEGRADED });
    expect(await degradedGauge(d)).toBe("1");
    expect((await cli(["search", "--pattern", "thre", "--addr", d.addr])).stdout).toContain("three");

    free();
    await readyzBecomes(d, "ok\n");
    expect(await degradedGauge(d)).toBe("0");
    expect((await cli(["add", "four", "--addr", d.addr])).exitCode).toBe(0);
    expect(await titles(d)).toContain("four");
    expect(await d.stop()).toBe(0);
  }, 60_000);

  test("a daemon started on the full disk serves reads read-only, refuses writes naming the disk, and writes once space is freed", async () => {
    // The first daemon stopped cleanly, with room: its WAL is checkpointed into the data file and gone,
    // so this one would have to create its -shm and -wal on the full disk.
    const before = await (async () => {
      const d = await start();
      const t = await titles(d);
      expect(await d.stop()).toBe(0);
      return t;
    })();
    fill();
    const d = await start();
    expect(await readyz(d)).toEqual({ status: 200, body: DEGRADED });
    expect(await titles(d)).toEqual(before);
    expect((await cli(["search", "--pattern", "thre", "--addr", d.addr])).stdout).toContain("three");
    const added = await cli(["add", "on the full disk", "--addr", d.addr]);
    expect(added.stderr).toBe(`todo: todod at ${d.addr} answered RESOURCE_EXHAUSTED: ${REFUSED}\n`);
    expect(d.logs().some((l) => l.level === "warn" && String(l.msg).startsWith(`started read-only: the disk holding ${dataDir} is full`))).toBe(true);

    free();
    await readyzBecomes(d, "ok\n");
    expect((await cli(["add", "after the space came back", "--addr", d.addr])).exitCode).toBe(0);
    expect(await titles(d)).toEqual([...before, "after the space came back"].sort());
    expect((await cli(["search", "--pattern", "space came", "--addr", d.addr])).stdout).toContain("after the space came back");
    expect(await d.stop()).toBe(0);
  }, 60_000);
});
