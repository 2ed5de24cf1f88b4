// The daemon a client starts for its user: with no address configured (no --addr, TODO_ADDR or addr
// in the config file) and nothing answering at the default, the client starts `todo serve` in the
// background on a Unix socket only this user can reach (0600, in a 0700 directory), with a token only
// this user can read, and goes on. Two clients starting at once start one daemon: the one that creates
// the lock file starts it, the other waits for the address. A daemon that accepts connections but does
// not answer (stopped, hung) is said so within LOCAL_ANSWER_MS. `todo daemon status|stop|logs` manage it.
import { dirname } from "node:path";
import { processEnvironment } from "../config/environment";
import { unixSocketPath } from "../config/fields";
import { type LocalDaemonPaths, localDaemonPaths } from "../config/local-daemon";
import { CliError } from "./errors";
import type { Connection } from "./settings";
import { writeStderr } from "./terminal";

export interface LocalDaemon {
  pid: number;
  addr: string;
  log: string;
  /** The Unix socket of its HTTP side (Connect), when it serves one (a daemon started by an older todo does not). */
  http?: string;
}

/** A connection to a daemon, and the local daemon's record when it is that one. */
export type Target = Connection & { localDaemon?: LocalDaemon };

export const paths = (): LocalDaemonPaths => localDaemonPaths(processEnvironment());

/**
 * node:fs, for starting a daemon; finding the running one reads with Bun.file, which is native: loading
 * node:fs cost a one-shot `todo add` about a millisecond, a fifth of a compiled hello-world.
 */
const fs = () => require("node:fs") as typeof import("node:fs");

/** A file's text; undefined when it cannot be read, and why. */
async function readText(path: string): Promise<{ text: string } | { code: string | undefined }> {
  try {
    return { text: await Bun.file(path).text() };
  } catch (e) {
    return { code: (e as NodeJS.ErrnoException).code };
  }
}

/**
 * How long the local daemon may take to answer a new connection (its HTTP/2 settings) before it is
 * taken for stopped or hung: on this machine and idle, it answers in milliseconds.
 */
export const LOCAL_ANSWER_MS = 2000;

/** What a person reads when the local daemon's process is there but does not answer. */
export const notAnswering = (pid: number) =>
  `the local todo daemon (pid ${pid}) accepts connections but does not answer (stopped or hung): run \`todo daemon stop\`, and the next command starts a new one`;

/** Whether the daemon answers a new connection within LOCAL_ANSWER_MS. */
export async function answering(daemon: LocalDaemon): Promise<boolean> {
  const { GrpcChannel } = await import("./grpc-http2");
  const channel = new GrpcChannel({ addr: daemon.addr });
  try {
    return await channel.answers(LOCAL_ANSWER_MS);
  } finally {
    channel.close();
  }
}

/** Whether a process with this pid runs (and is this user's to signal). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The running local daemon, from its state file; undefined when there is none or its process is gone. */
export async function runningDaemon(p: LocalDaemonPaths = paths()): Promise<LocalDaemon | undefined> {
  const read = await readText(p.state);
  let state: LocalDaemon;
  try {
    state = JSON.parse("text" in read ? read.text : "");
  } catch {
    return undefined;
  }
  return typeof state.pid === "number" && typeof state.addr === "string" && alive(state.pid) && (await serving(state.pid)) ? state : undefined;
}

/** Whether the process is a `todo serve` (where /proc tells): a pid the system gave to another program after a reboot or crash is not. */
async function serving(pid: number): Promise<boolean> {
  const read = await readText(`/proc/${pid}/cmdline`);
  if ("text" in read) return read.text.split("\0").includes("serve");
  return read.code !== "ENOENT" || !(await Bun.file("/proc/self/cmdline").exists());
}

/** The token the local daemon asks for (the file's `local:<token>` line). */
export async function localToken(p: LocalDaemonPaths = paths()): Promise<string> {
  return (await Bun.file(p.token).text()).trim().replace(/^local:/, "");
}

/** Whether something accepts connections at host:port (or unix:/path), within a short bound. */
async function answers(addr: string): Promise<boolean> {
  const { connect } = await import("node:net");
  const i = addr.lastIndexOf(":");
  const host = addr.slice(0, i).replace(/^\[(.*)\]$/, "$1");
  const path = unixSocketPath(addr);
  return new Promise((resolve) => {
    const socket = path !== undefined ? connect(path) : connect({ host, port: Number(addr.slice(i + 1)) });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 500);
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * The connection to use: unchanged when an address is configured or something answers at the default;
 * else the local daemon's (started now when it does not run), with its token.
 */
export async function withLocalDaemon(connection: Connection, addrSource: string, start = true): Promise<Target> {
  if (addrSource !== "default") return connection;
  const p = paths();
  let daemon = await runningDaemon(p);
  if (!daemon) {
    if (!start || (await answers(connection.addr))) return connection;
    daemon = await startLocalDaemon(p);
  }
  return { ...connection, addr: daemon.addr, token: await localToken(p), localDaemon: daemon };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the local daemon, or waits for the one another client is starting; says so once on stderr. */
export async function startLocalDaemon(p: LocalDaemonPaths): Promise<LocalDaemon> {
  const { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } = fs();
  // The system's limit on a socket's path (sun_path, with its closing NUL).
  const limit = process.platform === "linux" ? 107 : 103;
  for (const socket of [p.socket, p.httpSocket])
    if (Buffer.byteLength(socket) > limit)
      throw new CliError(`the local daemon's socket ${socket} is longer than a Unix socket's path may be (${limit} bytes): set XDG_RUNTIME_DIR to a shorter directory`, "input");
  for (const dir of new Set([p.dir, dirname(p.socket)])) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }
  const until = Date.now() + 15_000;
  for (;;) {
    let lock: number;
    try {
      lock = openSync(p.lock, "wx", 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      // Another client is starting it: wait for its address, or take over a lock its holder left behind.
      const running = await runningDaemon(p);
      if (running) return running;
      let holder = 0;
      let age = 0;
      try {
        holder = Number(readFileSync(p.lock, "utf8").trim() || "0");
        age = Date.now() - statSync(p.lock).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      // A lock whose holder is gone (killed while starting), or still without a pid after 2 s.
      if ((holder && !alive(holder)) || (!holder && age > 2000)) unlinkSync(p.lock);
      else if (Date.now() > until) throw new CliError(`another todo (pid ${holder}) has been starting the local daemon for 15 s; see ${p.log}, or remove ${p.lock} if it is stuck`, "unavailable");
      else await sleep(25);
      continue;
    }
    try {
      writeFileSync(lock, String(process.pid));
      // It may have started between our look and the lock.
      const running = await runningDaemon(p);
      if (running) return running;
      const daemon = await spawnDaemon(p);
      writeStderr(`todo: started a local todo daemon (log: ${daemon.log}; todo daemon stop stops it)`);
      return daemon;
    } finally {
      closeSync(lock);
      unlinkSync(p.lock);
    }
  }
}

/** The command that runs this program: the compiled binary itself, or bun and the script. */
function self(): string[] {
  return Bun.main.startsWith("/$bunfs/") || Bun.main.startsWith("B:/~BUN/") ? [process.execPath] : [process.execPath, Bun.main];
}

/** A daemon log larger than this is set aside (daemon.log.1) when the next daemon starts. */
const LOG_KEEP_BYTES = 1024 * 1024;

async function spawnDaemon(p: LocalDaemonPaths): Promise<LocalDaemon> {
  const { chmodSync, closeSync, existsSync, openSync, readFileSync, renameSync, statSync, writeFileSync } = fs();
  if (!existsSync(p.token)) writeFileSync(p.token, `local:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex")}\n`, { mode: 0o600 });
  chmodSync(p.token, 0o600);
  // The log is the daemon's stdout and stderr: it grows while one runs, so each start begins a new one
  // once it passed LOG_KEEP_BYTES, keeping the one before as daemon.log.1.
  if (existsSync(p.log) && statSync(p.log).size > LOG_KEEP_BYTES) renameSync(p.log, `${p.log}.1`);
  const log = openSync(p.log, "a", 0o600);
  const start = statSync(p.log).size;
  // Settings meant for a daemon elsewhere must not reach this one: its address, credentials and TLS are its own.
  const env = { ...processEnvironment() };
  for (const name of ["TODO_AUTH_TOKENS", "TLS_CERT_FILE", "TLS_KEY_FILE", "TLS_CLIENT_CA_FILE", "TODO_INSECURE", "TODO_PUBLIC_REFLECTION", "LOG_FORMAT"]) delete env[name];
  env.TODO_AUTH_TOKENS_FILE = p.token;
  // This user's daemon shows reminders on this user's desktop, unless they chose a program.
  env.TODO_REMINDER_COMMAND ??= "desktop";
  const { spawn } = await import("node:child_process");
  const child = spawn(self()[0]!, [...self().slice(1), "serve", "--grpc-socket", p.socket, "--http-socket", p.httpSocket, "--http-api", "--host", "127.0.0.1", "--log-format", "json"], {
    detached: true,
    stdio: ["ignore", log, log],
    env,
  });
  closeSync(log);
  const pid = child.pid!;
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  child.unref();
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    const text = readFileSync(p.log, "utf8").slice(start);
    for (const line of text.split("\n")) {
      if (!line.includes('"todod listening"')) continue;
      const daemon = { pid, addr: `unix:${p.socket}`, log: p.log, http: p.httpSocket };
      writeFileSync(`${p.state}.new`, JSON.stringify(daemon), { mode: 0o600 });
      renameSync(`${p.state}.new`, p.state);
      writeFileSync(p.pid, `${pid}\n`, { mode: 0o600 });
      return daemon;
    }
    if (exited !== undefined) {
      const last = text.trim().split("\n").pop() ?? "";
      throw new CliError(`the local todo daemon exited (${exited}) before listening: ${last.slice(0, 300)} (log: ${p.log})`, "unavailable");
    }
    await sleep(10);
  }
  throw new CliError(`the local todo daemon did not listen within 15 s (log: ${p.log})`, "unavailable");
}
