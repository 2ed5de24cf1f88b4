// The embedded store's data directory: one daemon at a time (a second names the holder; a kill -9
// leaves no stale lock), and todos private to their user (a directory todo creates is 0700, its files 0600).
import { afterAll, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBinary } from "../support/binary";
import { cli, hidden, startDaemon } from "../support/daemon";

const root = mkdtempSync(join(tmpdir(), "todo-datadir-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `todo serve` on `dataDir` expected to refuse to start: its exit code and stderr. */
async function refused(dataDir: string) {
  const proc = Bun.spawn(hidden([await ensureBinary(), "serve", "--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0"]), {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, TODO_DATA_DIR: dataDir },
    stdout: "pipe",
    stderr: "pipe",
  });
  const guard = setTimeout(() => proc.kill("SIGKILL"), 15_000);
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(guard);
  return { stdout, stderr, exitCode };
}

test("a second daemon on the same data directory refuses to start, naming the first; after a kill -9 the next one starts", async () => {
  const dataDir = join(root, "shared");
  const first = await startDaemon({ dataDir });
  const second = await refused(dataDir);
  console.log(`second daemon: exit ${second.exitCode}, ${second.stderr.trim()}`);
  expect(second.exitCode).toBe(1);
  expect(second.stderr).toBe(`todo: the data directory ${dataDir} is in use by another todo serve (pid ${first.pid}): stop it, or give this daemon another TODO_DATA_DIR\n`);
  expect(second.stdout).not.toContain("todod listening");
  // The first is unharmed, and keeps serving.
  const created = await cli(["add", "still here", "--addr", first.addr]);
  expect(created.exitCode).toBe(0);

  expect(await first.stop("SIGKILL")).not.toBe(0);
  const third = await startDaemon({ dataDir });
  try {
    const read = await cli(["read", created.stdout.trim().split(" ")[1]!, "--addr", third.addr]);
    expect(read.stdout).toContain("still here");
    expect(await refused(dataDir)).toMatchObject({ exitCode: 1, stderr: expect.stringContaining(`(pid ${third.pid})`) });
  } finally {
    expect(await third.stop()).toBe(0);
  }
  // A clean stop releases it too.
  const fourth = await startDaemon({ dataDir });
  expect(await fourth.stop()).toBe(0);
}, 60_000);

test("a data directory the daemon creates is 0700 and every file in it 0600", async () => {
  const dataDir = join(root, "created", "nested");
  // startDaemon creates the directory it is given: this one only the daemon creates.
  const d = await startDaemon({ env: { TODO_DATA_DIR: dataDir } });
  try {
    expect((await cli(["add", "private", "--addr", d.addr])).exitCode).toBe(0);
    const modes = Object.fromEntries(readdirSync(dataDir).map((f) => [f, (statSync(join(dataDir, f)).mode & 0o777).toString(8)]));
    console.log(`modes in a new data directory: ${JSON.stringify(modes)}`);
    expect(Object.keys(modes)).toEqual(expect.arrayContaining(["todos.db", "todos.db-wal", "todos.db-shm", "todod.lock", "todod.pid"]));
    for (const mode of Object.values(modes)) expect(mode).toBe("600");
    expect((statSync(dataDir).mode & 0o777).toString(8)).toBe("700");
    expect((statSync(join(root, "created")).mode & 0o777).toString(8)).toBe("700");
  } finally {
    await d.stop();
  }
}, 60_000);

test("an existing directory others can read is left as it is, and the daemon says how to close it", async () => {
  const dataDir = join(root, "shared-on-purpose");
  mkdirSync(dataDir, { mode: 0o755 });
  chmodSync(dataDir, 0o755);
  const d = await startDaemon({ dataDir });
  try {
    const warning = d.logs().find((l) => l.level === "warn" && String(l.msg).includes("can be read by other users"));
    expect(warning?.msg).toBe(`${dataDir} can be read by other users; todos are personal: chmod 700 ${dataDir} && chmod 600 ${join(dataDir, "todos.db")}*`);
    expect((statSync(dataDir).mode & 0o777).toString(8)).toBe("755");
  } finally {
    await d.stop();
  }
}, 60_000);
