// With no address configured and nothing answering at the default, the client starts `todo serve` for
// its user (issue 21): on a Unix socket only this user can reach, with a token only this user can read, a
// log and a pid file; two clients at once start one daemon; one that does not answer is said so at once;
// `todo daemon status|stop|logs` manage it. Each test has a fresh HOME.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { ensureBinary } from "../support/binary";
import { cli, hidden } from "../support/daemon";
import { lineReader } from "../support/lines";
import { accepts, freePort } from "../support/net";
import { tempDirs } from "../support/temp";
import { scaled } from "../support/time";

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
/** A fresh HOME (nothing configured, no daemon), its state directory, and `todo` run in it (with `env` too). */
function freshHome(env: Record<string, string> = {}) {
  const HOME = tempDir("local-home");
  const state = join(HOME, ".local/state/todo");
  states.push(state);
  const todo = (...args: string[]) => cli(args, { HOME, ...env });
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
  // Only this user can reach it: a Unix socket (0600) and a token in a 0600 file, in a 0700 directory;
  // no gRPC port at all (with no XDG_RUNTIME_DIR, the socket is in the state directory).
  expect(mode(state)).toBe("700");
  for (const file of ["token", "daemon.json", "daemon.log", "daemon.pid", "daemon.sock"]) expect([file, mode(join(state, file))]).toEqual([file, "600"]);
  expect(statSync(join(state, "daemon.sock")).isSocket()).toBe(true);
  const { addr } = JSON.parse(readFileSync(join(state, "daemon.json"), "utf8"));
  expect(addr).toBe(`unix:${state}/daemon.sock`);
  const listening = JSON.parse(readFileSync(join(state, "daemon.log"), "utf8").split("\n").find((l) => l.includes('"todod listening"'))!);
  expect(listening).toMatchObject({ grpcSocket: `${state}/daemon.sock` });
  expect(listening.grpcPort).toBeUndefined();
  // An explicit unix: address works too; the token still keeps out whoever reaches the socket without it.
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

test("the daemon's HTTP side is a 0600 socket beside its gRPC one, which serves; add, read, update and delete go there and answer as over gRPC", async () => {
  const { HOME, state, todo, daemonPid } = freshHome();
  const added = await todo("add", "pay rent", "+bills", "--description", "by the 3rd", "--reminder", "2030-01-02T03:04:05.5Z", "--json");
  pids.push(daemonPid());
  expect(added.exitCode).toBe(0);
  const socket = join(state, "daemon-http.sock");
  expect([statSync(socket).isSocket(), mode(socket)]).toEqual([true, "600"]);
  expect(JSON.parse(readFileSync(join(state, "daemon.json"), "utf8")).http).toBe(socket);
  const listening = JSON.parse(readFileSync(join(state, "daemon.log"), "utf8").split("\n").find((l) => l.includes('"todod listening"'))!);
  expect(listening).toMatchObject({ httpSocket: socket });
  expect(listening.httpPort).toBeUndefined();
  // It serves: the probes, and Connect to whoever has the token.
  expect(await (await fetch("http://localhost/healthz", { unix: socket })).text()).toBe("ok\n");
  const token = readFileSync(join(state, "token"), "utf8").trim().replace(/^local:/, "");
  const get = (authorization?: string) =>
    fetch("http://localhost/todo.v1.TodoService/GetTodo", {
      unix: socket,
      method: "POST",
      headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ id: JSON.parse(added.stdout).id }),
    });
  expect((await get()).status).toBe(401);
  expect(await (await get(`Bearer ${token}`)).json()).toEqual(JSON.parse(added.stdout));
  // What add printed (Connect JSON, read into the client's shapes) is what a list (gRPC) prints of it.
  const listed = await todo("ls", "+bills", "--json");
  expect(JSON.parse(listed.stdout.trim())).toEqual(JSON.parse(added.stdout));
  // The same refusals, word for word, as the same commands over gRPC (--addr of the same daemon, with its token).
  const overGrpc = (...args: string[]) => cli([...args, "--addr", `unix:${state}/daemon.sock`], { HOME, TODO_TOKEN: token });
  for (const args of [
    ["add", "x".repeat(100_000)],
    ["update", "5dc58ee5d954d9bc69be5523", "--title", "t"],
    ["delete", "5dc58ee5d954d9bc69be5523", "--yes"],
  ]) {
    const local = await todo(...args);
    expect(local.exitCode).not.toBe(0);
    expect(local).toEqual(await overGrpc(...args));
  }
  // Update and delete go there too.
  const id = JSON.parse(added.stdout).id;
  expect(await todo("update", id, "--title", "pay the rent")).toMatchObject({ exitCode: 0, stderr: "" });
  expect(JSON.parse((await todo("read", id, "--json")).stdout).title).toBe("pay the rent");
  expect(await todo("delete", id, "--yes")).toMatchObject({ exitCode: 0, stderr: "" });
  expect((await todo("ls", "--json")).stdout).toBe("");
  await todo("daemon", "stop");
  expect(existsSync(socket)).toBe(false);
}, 60_000);

// Root reaches every socket; another user is what the modes keep out.
test.if(process.getuid?.() === 0)("another user of the machine cannot reach the local daemon", async () => {
  const { HOME, state, todo, daemonPid } = freshHome();
  expect((await todo("add", "mine")).exitCode).toBe(0);
  pids.push(daemonPid());
  // Their home open to all, as many are: the daemon's own directory must keep others out by itself.
  for (const dir of [HOME, join(HOME, ".local"), join(HOME, ".local/state")]) chmodSync(dir, 0o755);
  const { addr } = JSON.parse(readFileSync(join(state, "daemon.json"), "utf8"));
  const asNobody = Bun.spawn(hidden(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", await ensureBinary(), "ls", "--addr", addr]), {
    env: { PATH: process.env.PATH!, HOME: "/nonexistent" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(asNobody.stdout).text(), new Response(asNobody.stderr).text(), asNobody.exited]);
  expect({ stdout, stderr, exitCode }).toEqual({ stdout: "", stderr: `todo: cannot reach todod at ${addr} (EACCES): this user may not connect to that socket\n`, exitCode: 1 });
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

test("a configured unix: address with no socket there fails at once, naming it; nothing is started", async () => {
  const { HOME, state } = freshHome();
  const socket = join(tempDir("no-daemon"), "todo.sock");
  const started = performance.now();
  const add = await cli(["add", "x", "--timeout", "30"], { HOME, TODO_ADDR: `unix:${socket}` });
  expect(add).toEqual({ stdout: "", stderr: `todo: cannot reach todod at unix:${socket} (ENOENT) — is \`todo serve\` running?\n`, exitCode: 1 });
  expect(performance.now() - started).toBeLessThan(scaled(5000));
  expect(existsSync(state)).toBe(false);
});

test("a state directory too deep for a socket's path is refused, naming the way out; nothing is started", async () => {
  const HOME = join(tempDir("deep"), "d".repeat(90));
  mkdirSync(HOME);
  states.push(join(HOME, ".local/state/todo")); // a daemon started here after all is killed
  const socket = join(HOME, ".local/state/todo/daemon.sock");
  expect(await cli(["ls"], { HOME })).toEqual({
    stdout: "",
    stderr: `todo: the local daemon's socket ${socket} is longer than a Unix socket's path may be (107 bytes): set XDG_RUNTIME_DIR to a shorter directory\n`,
    exitCode: 2,
  });
  expect(existsSync(join(HOME, ".local"))).toBe(false);
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

test("a watch on the local daemon's socket goes on while other commands connect and leave", async () => {
  const { HOME, todo, daemonPid } = freshHome();
  expect((await todo("add", "first")).exitCode).toBe(0);
  pids.push(daemonPid());
  const watch = Bun.spawn(hidden([await ensureBinary(), "watch", "--from", "0", "--json"]), { env: { PATH: process.env.PATH!, HOME }, stdout: "pipe", stderr: "pipe" });
  try {
    const out = lineReader(watch.stdout);
    await out.atLeast(1, "the first create, once watching");
    for (const title of ["second", "third"]) expect((await todo("add", title)).exitCode).toBe(0);
    await out.atLeast(3, "the creates made while watching");
    watch.kill("SIGTERM");
    // Not cut off and resumed: each command's connection closing left the watch's alone.
    expect(await new Response(watch.stderr).text()).toBe("");
  } finally {
    watch.kill("SIGKILL");
  }
  await todo("daemon", "stop");
}, 60_000);

test("a watch whose daemon stops answering (SIGSTOP) says so within seconds, and goes on when it answers again", async () => {
  const { HOME, todo, daemonPid } = freshHome();
  expect((await todo("add", "first")).exitCode).toBe(0);
  const pid = daemonPid();
  pids.push(pid);
  const watch = Bun.spawn(hidden([await ensureBinary(), "watch", "--from", "0", "--json"]), { env: { PATH: process.env.PATH!, HOME }, stdout: "pipe", stderr: "pipe" });
  try {
    const out = lineReader(watch.stdout);
    const err = lineReader(watch.stderr);
    await out.atLeast(1, "the first create, once watching");
    process.kill(pid, "SIGSTOP");
    // A ping every 10 s, answered within the local daemon's 2 s: said within about 12 s, not never.
    const [said] = await err.atLeast(1, "the watch saying its daemon stopped answering", scaled(30_000));
    expect(said).toBe(`todo: the local todo daemon (pid ${pid}) accepts connections but does not answer (stopped or hung): run \`todo daemon stop\`, and the next command starts a new one; resuming after position 1 when todod answers`);
    process.kill(pid, "SIGCONT");
    expect((await todo("add", "second")).exitCode).toBe(0);
    const lines = await out.atLeast(2, "the create made once the daemon answered again", scaled(30_000));
    expect(JSON.parse(lines[1]!)).toMatchObject({ created: { todo: { title: "second" } } });
  } finally {
    watch.kill("SIGKILL");
    process.kill(pid, "SIGCONT");
  }
  await todo("daemon", "stop");
}, 120_000);

test("with XDG_RUNTIME_DIR, the socket is in its todo directory (0700); a daemon that stops removes it", async () => {
  const runtime = tempDir("runtime");
  const { state, todo, daemonPid } = freshHome({ XDG_RUNTIME_DIR: runtime });
  expect((await todo("add", "first")).exitCode).toBe(0);
  pids.push(daemonPid());
  const socket = join(runtime, "todo/daemon.sock");
  expect(mode(join(runtime, "todo"))).toBe("700");
  expect([statSync(socket).isSocket(), mode(socket)]).toEqual([true, "600"]);
  const httpSocket = join(runtime, "todo/daemon-http.sock");
  expect([statSync(httpSocket).isSocket(), mode(httpSocket)]).toEqual([true, "600"]);
  expect(JSON.parse(readFileSync(join(state, "daemon.json"), "utf8")).addr).toBe(`unix:${socket}`);
  expect(existsSync(join(state, "daemon.sock"))).toBe(false);
  expect((await todo("daemon", "stop")).exitCode).toBe(0);
  expect([existsSync(socket), existsSync(httpSocket)]).toEqual([false, false]);
}, 60_000);

test("a socket left by a daemon that died does not keep the next one from starting", async () => {
  const { state, todo, daemonPid } = freshHome();
  expect((await todo("add", "first")).exitCode).toBe(0);
  const pid = daemonPid();
  process.kill(pid, "SIGKILL");
  for (const until = Date.now() + scaled(5000); alive(pid) && Date.now() < until; ) await Bun.sleep(20);
  expect(statSync(join(state, "daemon.sock")).isSocket()).toBe(true);
  const ls = await todo("ls");
  pids.push(daemonPid());
  expect(ls).toMatchObject({ exitCode: 0, stderr: expect.stringContaining("started a local todo daemon"), stdout: expect.stringContaining("first") });
  expect(daemonPid()).not.toBe(pid);
  await todo("daemon", "stop");
}, 60_000);

test("a daemon that accepts connections but does not answer (SIGSTOP) is said so within 2 s; todo daemon stop ends it; the next command starts a new one", async () => {
  const { state, todo, daemonPid } = freshHome();
  expect((await todo("add", "first")).exitCode).toBe(0);
  const pid = daemonPid();
  pids.push(pid);
  process.kill(pid, "SIGSTOP");
  try {
    const started = performance.now();
    // A long --timeout: the answer must not wait for it.
    const add = await todo("add", "second", "--timeout", "30");
    const took = performance.now() - started;
    expect(add).toEqual({
      stdout: "",
      stderr: `todo: the local todo daemon (pid ${pid}) accepts connections but does not answer (stopped or hung): run \`todo daemon stop\`, and the next command starts a new one\n`,
      exitCode: 1,
    });
    expect(took).toBeLessThan(scaled(5000));
    expect(await todo("daemon", "status")).toEqual({
      stdout: `local todo daemon not answering: pid ${pid} (stopped or hung), unix:${state}/daemon.sock, log ${state}/daemon.log; todo daemon stop stops it\n`,
      stderr: "",
      exitCode: 1,
    });
    // Nothing of the refused call was sent: continued, the daemon finds no create waiting for it.
    process.kill(pid, "SIGCONT");
    const ls = await todo("ls");
    expect([ls.exitCode, ls.stdout.includes("first"), ls.stdout.includes("second")]).toEqual([0, true, false]);
    process.kill(pid, "SIGSTOP");
    expect(await todo("daemon", "stop")).toEqual({ stdout: `stopped the local todo daemon (pid ${pid})\n`, stderr: "", exitCode: 0 });
  } finally {
    if (alive(pid)) process.kill(pid, "SIGCONT");
  }
  expect(alive(pid)).toBe(false);
  const again = await todo("add", "third");
  pids.push(daemonPid());
  expect(again).toMatchObject({ exitCode: 0, stderr: expect.stringContaining("started a local todo daemon") });
  expect(daemonPid()).not.toBe(pid);
  const ls = (await todo("ls")).stdout;
  expect([ls.includes("first"), ls.includes("second"), ls.includes("third")]).toEqual([true, false, true]);
  await todo("daemon", "stop");
}, 90_000);

test("a daemon that hangs once a create was sent is said so within seconds, naming the todo that may have been created; it is not retried", async () => {
  const { state, todo } = freshHome();
  // A process of this user that runs as `… serve` (not stopped), accepts connections on both sockets,
  // reads what is sent and never answers: hung after the call reached it.
  mkdirSync(state, { recursive: true, mode: 0o700 });
  const [socket, httpSocket] = [join(state, "daemon.sock"), join(state, "daemon-http.sock")];
  const requests = join(state, "requests");
  const hung = Bun.spawn([
    process.execPath,
    "-e",
    `const net = require("node:net"), fs = require("node:fs");
     for (const path of ${JSON.stringify([socket, httpSocket])}) net.createServer((c) => c.on("data", (d) => fs.appendFileSync(${JSON.stringify(requests)}, d))).listen(path);`,
    "serve",
  ]);
  pids.push(hung.pid);
  for (const until = Date.now() + scaled(10_000); !(existsSync(socket) && existsSync(httpSocket)) && Date.now() < until; ) await Bun.sleep(20);
  writeFileSync(join(state, "token"), "local:t\n", { mode: 0o600 });
  writeFileSync(join(state, "daemon.json"), JSON.stringify({ pid: hung.pid, addr: `unix:${socket}`, log: join(state, "daemon.log"), http: httpSocket }), { mode: 0o600 });
  const started = performance.now();
  const add = await todo("add", "second", "--timeout", "60");
  const took = performance.now() - started;
  expect(add).toEqual({
    stdout: "",
    stderr: expect.stringMatching(
      new RegExp(
        `^todo: the local todo daemon \\(pid ${hung.pid}\\) accepts connections but does not answer \\(stopped or hung\\): run \`todo daemon stop\`, and the next command starts a new one; todo ([0-9a-f]{24}) may have been created: \`todo read \\1\` tells, and \`todo add\` again would make a second one\n$`,
      ),
    ),
    exitCode: 1,
  });
  // Well before --timeout; and the create was sent once, not retried.
  expect(took).toBeLessThan(scaled(15_000));
  expect(readFileSync(requests, "utf8").match(/POST \/todo\.v1\.TodoService\/CreateTodo/g)).toHaveLength(1);
  hung.kill("SIGKILL");
}, 60_000);

test("todo daemon stop kills a daemon that neither answers nor ends on SIGTERM", async () => {
  const { state, todo } = freshHome();
  // A process of this user that runs as `… serve`, accepts connections on the socket, never answers,
  // and ignores SIGTERM: a daemon hung for good.
  mkdirSync(state, { recursive: true, mode: 0o700 });
  const socket = join(state, "daemon.sock");
  const hung = Bun.spawn([process.execPath, "-e", `process.on("SIGTERM", () => {}); require("node:net").createServer(() => {}).listen(${JSON.stringify(socket)})`, "serve"]);
  pids.push(hung.pid);
  for (const until = Date.now() + scaled(10_000); !existsSync(socket) && Date.now() < until; ) await Bun.sleep(20);
  writeFileSync(join(state, "daemon.json"), JSON.stringify({ pid: hung.pid, addr: `unix:${socket}`, log: join(state, "daemon.log") }), { mode: 0o600 });
  const stop = await todo("daemon", "stop");
  expect(stop).toEqual({ stdout: `stopped the local todo daemon (pid ${hung.pid}) with SIGKILL: it did not end within 5 s of SIGTERM\n`, stderr: "", exitCode: 0 });
  expect(await hung.exited).toBe(137);
  expect([existsSync(socket), existsSync(join(state, "daemon.json"))]).toEqual([false, false]);
}, 60_000);

/** Whether a process with this pid runs. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
