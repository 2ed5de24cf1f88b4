// With no address configured and nothing answering at the default, the client starts `todo serve` for
// its user (issue 21): on 127.0.0.1, with a token only this user can read, a log and a pid file; two
// clients at once start one daemon; `todo daemon status|stop|logs` manage it. Each test has a fresh HOME.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { cli } from "../support/daemon";
import { accepts, freePort } from "../support/net";
import { tempDirs } from "../support/temp";

const pids: number[] = [];
const states: string[] = [];
// Registered before tempDirs' hook, so it reads the state files before their directories go: every
// daemon a test started, even one that failed before noting its pid, is killed.
afterAll(() => {
  for (const state of states)
    try {
      pids.push(JSON.parse(readFileSync(join(state, "daemon.json"), "utf8")).pid);
    } catch {}
  for (const pid of pids)
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
});
const tempDir = tempDirs();

beforeAll(async () => {
  // The default address is the one thing these tests cannot choose: nothing may answer there.
  const taken = await new Promise<boolean>((resolve) => {
    const socket = connect(8080, "localhost");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
  if (taken) throw new Error("something listens on localhost:8080 (the client's default address): these tests need it free");
});
/** A fresh HOME (nothing configured, no daemon), its state directory, and `todo` run in it. */
function freshHome() {
  const HOME = tempDir("local-home");
  const state = join(HOME, ".local/state/todo");
  states.push(state);
  const todo = (...args: string[]) => cli(args, { HOME });
  const daemonPid = () => JSON.parse(readFileSync(join(state, "daemon.json"), "utf8")).pid as number;
  return { HOME, state, todo, daemonPid };
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

test("the first command starts a local daemon, says so once, and the next ones use it", async () => {
  const { HOME, state, todo, daemonPid } = freshHome();
  const add = await todo("add", "my first todo");
  expect(add.stderr).toBe(`todo: started a local todo daemon (log: ${state}/daemon.log; todo daemon stop stops it)\n`);
  expect(add).toMatchObject({ stdout: expect.stringMatching(/^created [0-9a-f]{24}\n$/), exitCode: 0 });
  pids.push(daemonPid());
  const ls = await todo("ls");
  expect(ls).toMatchObject({ stderr: "", exitCode: 0 });
  expect(ls.stdout).toContain("my first todo");
  // Only this user can reach it: a loopback port, a token in a 0600 file, in a 0700 directory.
  expect(mode(state)).toBe("700");
  for (const file of ["token", "daemon.json", "daemon.log", "daemon.pid"]) expect([file, mode(join(state, file))]).toEqual([file, "600"]);
  const { addr } = JSON.parse(readFileSync(join(state, "daemon.json"), "utf8"));
  expect(addr).toMatch(/^127\.0\.0\.1:\d+$/);
  const tokenless = await cli(["ls", "--addr", addr], { HOME: tempDir("other-user") });
  expect(tokenless).toMatchObject({ exitCode: 1, stderr: expect.stringContaining("requires a token") });
  // Its data is where `todo serve` keeps it by default.
  expect(readFileSync(join(state, "daemon.log"), "utf8")).toContain(`sqlite ${join(HOME, ".local/share/todo")}`);

  const status = await todo("daemon", "status");
  expect(status).toEqual({ stdout: `local todo daemon running: pid ${daemonPid()}, ${addr}, log ${state}/daemon.log\n`, stderr: "", exitCode: 0 });
  expect((await todo("daemon", "logs")).stdout).toContain('"todod listening"');
  const pid = daemonPid();
  expect(await todo("daemon", "stop")).toEqual({ stdout: `stopped the local todo daemon (pid ${pid})\n`, stderr: "", exitCode: 0 });
  expect(() => process.kill(pid, 0)).toThrow();
  expect(await todo("daemon", "status")).toMatchObject({ stdout: expect.stringContaining("no local todo daemon runs"), exitCode: 1 });
  // Started again by the next command, over the same data.
  const again = await todo("ls");
  pids.push(daemonPid());
  expect(again.stderr).toContain("started a local todo daemon");
  expect(again.stdout).toContain("my first todo");
  await todo("daemon", "stop");
}, 60_000);

test("two clients starting at once start one daemon", async () => {
  const { state, todo, daemonPid } = freshHome();
  const [a, b] = await Promise.all([todo("add", "first"), todo("add", "second")]);
  pids.push(daemonPid());
  expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
  expect([a.stderr, b.stderr].filter((s) => s.includes("started a local todo daemon"))).toHaveLength(1);
  const listening = readFileSync(join(state, "daemon.log"), "utf8").split("\n").filter((l) => l.includes('"todod listening"'));
  expect(listening).toHaveLength(1);
  const ls = await todo("ls");
  expect(ls.stdout).toContain("first");
  expect(ls.stdout).toContain("second");
  await todo("daemon", "stop");
}, 60_000);

test("an address that is configured is used as it is: nothing is started", async () => {
  const { HOME, state } = freshHome();
  const port = await freePort();
  const r = await cli(["ls"], { HOME, TODO_ADDR: `127.0.0.1:${port}` });
  expect(r).toEqual({ stdout: "", stderr: `todo: cannot reach todod at 127.0.0.1:${port} (ECONNREFUSED) — is \`todo serve\` running?\n`, exitCode: 1 });
  expect(await accepts(port)).toBe(false);
  expect(() => statSync(state)).toThrow();
});

test("commands that only ask (version, the completion scripts' __complete) start nothing, and use a daemon that runs", async () => {
  const { state, todo, daemonPid } = freshHome();
  const version = await todo("version");
  expect(version).toMatchObject({ stdout: expect.stringMatching(/^todo \S+ \(commit \S+\)\n$/), stderr: expect.stringContaining("cannot reach todod at localhost:8080"), exitCode: 0 });
  expect(await todo("__complete", "ids")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  expect(() => statSync(state)).toThrow();
  expect((await todo("add", "hello")).exitCode).toBe(0);
  pids.push(daemonPid());
  expect((await todo("__complete", "ids")).stdout).toMatch(/^[0-9a-f]{4,}\thello\n$/);
  expect((await todo("version")).stdout).toContain(`todod `);
  await todo("daemon", "stop");
}, 60_000);

test("a state file naming a process that is not the daemon (its pid reused) is replaced by a new daemon", async () => {
  const { state, todo, daemonPid } = freshHome();
  expect((await todo("add", "first")).exitCode).toBe(0);
  pids.push(daemonPid());
  expect((await todo("daemon", "stop")).exitCode).toBe(0);
  // A live process of this user that is not todo serve now holds the recorded pid.
  const other = Bun.spawn(["sleep", "60"]);
  pids.push(other.pid);
  writeFileSync(join(state, "daemon.json"), JSON.stringify({ pid: other.pid, addr: "127.0.0.1:1", log: join(state, "daemon.log") }), { mode: 0o600 });
  const ls = await todo("ls");
  pids.push(daemonPid());
  expect(ls).toMatchObject({ exitCode: 0, stderr: expect.stringContaining("started a local todo daemon"), stdout: expect.stringContaining("first") });
  other.kill();
  await todo("daemon", "stop");
}, 60_000);

test("a daemon log over 1 MiB is set aside as daemon.log.1 when the next daemon starts; a smaller one goes on", async () => {
  const { state, todo, daemonPid } = freshHome();
  expect((await todo("add", "first")).exitCode).toBe(0);
  pids.push(daemonPid());
  expect((await todo("daemon", "stop")).exitCode).toBe(0);
  const log = join(state, "daemon.log");
  const small = readFileSync(log, "utf8");
  expect((await todo("ls")).exitCode).toBe(0); // a second daemon: the small log goes on
  pids.push(daemonPid());
  expect(readFileSync(log, "utf8").startsWith(small)).toBe(true);
  expect((await todo("daemon", "stop")).exitCode).toBe(0);
  writeFileSync(log, "x".repeat(1024 * 1024 + 1));
  expect((await todo("ls")).exitCode).toBe(0);
  pids.push(daemonPid());
  expect(statSync(join(state, "daemon.log.1")).size).toBe(1024 * 1024 + 1);
  expect(statSync(log).size).toBeLessThan(64 * 1024);
  expect(readFileSync(log, "utf8")).toContain("todod listening");
  await todo("daemon", "stop");
}, 60_000);
