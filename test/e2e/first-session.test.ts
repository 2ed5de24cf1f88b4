// A new user's first session (issue 21, the first "Done when"), played on a terminal as a person plays
// it: tmux, two panes 100 columns wide, a fresh HOME with nothing configured and no daemon running, TZ
// fixed. The commands are typed into one pane (send-keys) and the screens read back (capture-pane):
// `todo add` starts the local daemon and says so once, `todo ls` shows # numbers, done 2, undo, modify
// with words, a bulk `todo done +shop` that asks (answered y); `todo watch` in the other pane finds the
// same daemon and prints one human line per change. Every wait polls the screen up to a bound.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { ensureBinary } from "../support/binary";
import { cli, hidden } from "../support/daemon";
import { tempDirs } from "../support/temp";
import { scaled } from "../support/time";
import { toolOrSkip } from "../support/tools";

const tmuxPath = toolOrSkip("tmux", "the first session on a terminal (tmux)");
const TZ = "Asia/Kolkata";
const COLUMNS = 100;
const ROWS = 40;
const WATCH_ROWS = 12;

let root = "";
/** The person's environment: a fresh HOME and the XDG directories in it, nothing else of ours. */
let env: Record<string, string> = {};
let socket = "";

// Registered before tempDirs' hook, so it runs first: the socket and the daemon's state file are in
// the temp dir.
afterAll(async () => {
  if (!tmuxPath || !root) return;
  Bun.spawnSync([tmuxPath, "-S", socket, "kill-server"], { env: tmuxEnv(), stdout: "ignore", stderr: "ignore" });
  // The self-started daemon outlives the panes: stopped as its user would, killed if that fails.
  const state = join(env.XDG_STATE_HOME!, "todo/daemon.json");
  let pid: number | undefined;
  try {
    pid = JSON.parse(readFileSync(state, "utf8")).pid;
  } catch {
    return; // none was started
  }
  if ((await cli(["daemon", "stop"], env)).exitCode === 0) return;
  try {
    // Still that daemon (its pid not yet given to another program)?
    if (readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes("serve")) process.kill(pid!, "SIGKILL");
  } catch {}
});
const tempDir = tempDirs();

beforeAll(async () => {
  if (!tmuxPath) return;
  // The default address is the one thing a first session cannot choose: nothing may answer there, or the
  // client uses it and starts nothing.
  const taken = await new Promise<boolean>((resolve) => {
    const s = connect(8080, "localhost");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
  if (taken) throw new Error("something listens on localhost:8080 (the client's default address): this test needs it free");
  root = tempDir("first-session");
  const home = join(root, "home");
  const bin = join(root, "bin");
  mkdirSync(home);
  mkdirSync(bin);
  // `todo` on PATH, as an installed binary is.
  symlinkSync(await ensureBinary(), join(bin, "todo"));
  env = {
    PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local/share"),
    XDG_STATE_HOME: join(home, ".local/state"),
    TZ,
    LANG: "C.UTF-8",
    TERM: "tmux-256color",
    PS1: "$ ",
    // No ~/.bash_history written as the panes close (after the test has read what it wrote).
    HISTFILE: "",
  };
  socket = join(root, "tmux.sock");
});

/** tmux's own environment: none of the runner's (a TMUX of a session the tests run in would refuse nesting). */
const tmuxEnv = () => ({ PATH: process.env.PATH!, HOME: env.HOME!, LANG: "C.UTF-8", TERM: "xterm-256color" });

/** A tmux command on this test's own server (its socket in the temp dir); its stdout. */
function tmux(...args: string[]): string {
  const r = Bun.spawnSync([tmuxPath!, "-S", socket, ...args], { env: tmuxEnv(), stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`tmux ${args.join(" ")} exited ${r.exitCode}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

/** Everything the pane has shown, scrollback included, wrapped lines joined, trailing blanks trimmed. */
const screen = (pane: string) => tmux("capture-pane", "-p", "-J", "-S", "-", "-t", pane).replace(/\s+$/, "");

/** Polls the pane until `ok` holds of its screen, for at most `bound` ms; else fails showing the screen. */
async function until(pane: string, what: string, ok: (text: string) => boolean, bound = scaled(20_000)): Promise<string> {
  const deadline = Date.now() + bound;
  for (;;) {
    const text = screen(pane);
    if (ok(text)) return text;
    if (Date.now() > deadline) throw new Error(`pane ${pane}: no ${what} within ${bound} ms; its screen:\n${text}`);
    await Bun.sleep(50);
  }
}

/** Types a line into the pane and presses Enter, as a person would. */
function type(pane: string, line: string) {
  tmux("send-keys", "-t", pane, "-l", line);
  tmux("send-keys", "-t", pane, "Enter");
}

const PROMPT = /^\$( |$)/;
const prompts = (text: string) => text.split("\n").filter((l) => PROMPT.test(l)).length;
/** The shell is waiting for input: its last line is an empty prompt. */
const waiting = (text: string) => /^\$ ?$/.test(text.split("\n").at(-1)!);

/** Types `line` at the pane's prompt and waits for the next prompt; what the command printed. */
async function run(pane: string, line: string): Promise<string> {
  const before = prompts(screen(pane));
  type(pane, line);
  const text = await until(pane, `prompt after \`${line}\``, (t) => prompts(t) === before + 1 && waiting(t));
  return afterCommand(text, line);
}

/** The lines between the last `$ line` and the prompt that followed it. */
function afterCommand(text: string, line: string): string {
  const lines = text.split("\n");
  const start = lines.lastIndexOf(`$ ${line}`);
  if (start < 0) throw new Error(`\`$ ${line}\` is not on the screen:\n${text}`);
  return lines.slice(start + 1, -1).join("\n");
}

/** yyyy-mm-dd hh:mm in TZ, as todo watch shows a time on a terminal. */
const localMinute = (ms: number) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
};

test.skipIf(!tmuxPath)(
  "a new user's first session: add starts the daemon, ls numbers, done 2, undo, modify, a bulk done that asks, and todo watch in a second pane",
  async () => {
    const started = Date.now();
    // One shell per pane, with only the person's environment (tmux's own server environment aside).
    const shell = `exec env -i ${Object.entries(env)
      .map(([k, v]) => `${k}='${v}'`)
      .join(" ")} bash --norc --noprofile`;
    // The server runs where node_modules is hidden (see hidden()), and so does every pane it starts.
    const server = Bun.spawnSync(hidden([tmuxPath!, "-S", socket, "-f", "/dev/null", "new-session", "-d", "-x", String(COLUMNS), "-y", String(ROWS), "-P", "-F", "#{pane_id}", shell]), {
      cwd: env.HOME,
      env: tmuxEnv(),
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(server.exitCode).toBe(0);
    const commands = server.stdout.toString().trim();
    const watch = tmux("split-window", "-v", "-l", String(WATCH_ROWS), "-t", commands, "-P", "-F", "#{pane_id}", shell).trim();
    expect(tmux("display-message", "-p", "-t", commands, "#{pane_width}x#{pane_height}").trim()).toBe(`${COLUMNS}x${ROWS - WATCH_ROWS - 1}`);
    await until(commands, "first prompt", waiting);
    await until(watch, "first prompt", waiting);

    // No daemon runs and nothing is configured: the first add starts one and says so, once.
    const notice = `todo: started a local todo daemon (log: ${env.XDG_STATE_HOME}/todo/daemon.log; todo daemon stop stops it)`;
    const ids: Record<string, string> = {};
    const titles = { mom: "call mom +work", milk: "buy milk +shop", eggs: "buy eggs +shop", bread: "buy bread +shop" };
    for (const [name, words] of Object.entries(titles)) {
      const printed = await run(commands, `todo add ${words}`);
      const lines = printed.split("\n");
      expect(lines.at(-1)).toMatch(/^created [0-9a-f]{24}$/);
      ids[name] = lines.at(-1)!.slice("created ".length);
      expect(lines.slice(0, -1)).toEqual(name === "mom" ? [notice] : []);
    }

    // The watch, started now, finds the same daemon (starts none) and shows everything from the start.
    type(watch, "todo watch --from 0");

    // Short numbers in the # column, in the order added; the ID column the shortest unique prefixes.
    const listed = (await run(commands, "todo ls")).split("\n");
    expect(listed[0]).toMatch(/^#\s+ID\s+STATE\s+TITLE\s+TAGS\b/);
    const rows = listed.slice(1).map((l) => l.split(/\s{2,}/));
    expect(rows.map((r) => [r[0], r[2], r[3], r[4]])).toEqual([
      ["1", "NOT_STARTED", "call mom", "work"],
      ["2", "NOT_STARTED", "buy milk", "shop"],
      ["3", "NOT_STARTED", "buy eggs", "shop"],
      ["4", "NOT_STARTED", "buy bread", "shop"],
    ]);
    const order = ["mom", "milk", "eggs", "bread"] as const;
    rows.forEach((r, i) => {
      expect(ids[order[i]!]!.startsWith(r[1]!)).toBe(true);
      expect(r[1]!.length).toBeLessThan(24);
    });

    expect(await run(commands, "todo done 2")).toBe(`done ${ids.milk}`);
    expect(await run(commands, "todo undo")).toBe("reverted 2 (buy milk): state as before");
    const tomorrow = (ms: number) => `${localMinute(ms + 86_400_000).slice(0, 10)} 00:00`;
    const modifying = tomorrow(Date.now());
    expect(await run(commands, "todo modify 1 +home -work due:tomorrow")).toBe(`modified ${ids.mom}`);
    // Tomorrow is local midnight in TZ (the day it was typed, or after: the session may cross midnight),
    // shown as a time from now; +home added, work removed.
    const reminder = Date.parse(JSON.parse((await cli(["read", "1", "--json"], env)).stdout).reminder);
    expect([modifying, tomorrow(Date.now())]).toContain(localMinute(reminder));
    const modified = (await run(commands, "todo ls")).split("\n");
    expect(modified[1]).toMatch(/^1\s+[0-9a-f]+\s+NOT_STARTED\s+call mom\s+home\s+(in \d+[mhd]|now)$/);
    expect(modified.slice(2).map((l) => l.split(/\s{2,}/)[3])).toEqual(["buy milk", "buy eggs", "buy bread"]);

    // A bulk change asks first, naming the first todos by number; y does it.
    const before = prompts(screen(commands));
    type(commands, "todo done +shop");
    const question = 'Mark 3 todos (2 "buy milk", 3 "buy eggs", 4 "buy bread") done? [y/N]';
    // The question, or (a binary that does not ask) the next prompt.
    const asked = await until(commands, "the bulk question", (t) => t.split("\n").at(-1)!.endsWith("[y/N]") || prompts(t) > before);
    expect(afterCommand(`${asked}\n`, "todo done +shop")).toBe(question);
    type(commands, "y");
    const answered = await until(commands, "prompt after the bulk done", (t) => prompts(t) === before + 1 && waiting(t));
    expect(afterCommand(answered, "todo done +shop")).toBe([`${question} y`, `done ${ids.milk}`, `done ${ids.eggs}`, `done ${ids.bread}`].join("\n"));
    expect((await run(commands, "todo ls")).split("\n").slice(1).map((l) => l.split(/\s{2,}/)[3])).toEqual(["call mom"]);

    // The watch pane: one line per change, in local time, with verbs and short ids; the bulk's three
    // events in the order they were written.
    const watched = await until(watch, "10 watch lines", (t) => t.split("\n").length >= 11);
    const [typed, ...events] = watched.split("\n");
    expect(typed).toBe("$ todo watch --from 0");
    const shown = events.map((line) => {
      const m = /^(\d+) {2}(\d{4}-\d\d-\d\d \d\d:\d\d) {2}(\S+) +([0-9a-f]+) {2}(.*)$/.exec(line);
      if (!m) throw new Error(`not a todo watch line: ${JSON.stringify(line)}\n${watched}`);
      return { position: m[1]!, time: m[2]!, verb: m[3]!, id: m[4]!, text: m[5]! };
    });
    const named = (id: string) => Object.keys(ids).find((name) => ids[name]!.startsWith(id) && id.length >= 4 && id.length < 24) ?? `(${id})`;
    expect(shown.map((e) => e.position)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    expect(shown.slice(0, 7).map((e) => [e.verb, named(e.id), e.text])).toEqual([
      ["created", "mom", "call mom +work"],
      ["created", "milk", "buy milk +shop"],
      ["created", "eggs", "buy eggs +shop"],
      ["created", "bread", "buy bread +shop"],
      ["done", "milk", "buy milk +shop"],
      ["reopened", "milk", "buy milk +shop"],
      ["updated", "mom", "call mom +home (tags, reminder)"],
    ]);
    expect(shown.slice(7).map((e) => [e.verb, named(e.id), e.text]).sort()).toEqual([
      ["done", "bread", "buy bread +shop"],
      ["done", "eggs", "buy eggs +shop"],
      ["done", "milk", "buy milk +shop"],
    ]);
    // Local time (TZ), within the session.
    const minutes = new Set<string>();
    for (let t = started - 60_000; t <= Date.now() + 60_000; t += 30_000) minutes.add(localMinute(t));
    for (const e of shown) expect(minutes).toContain(e.time);
    // Each line fits the pane: nothing was wrapped.
    expect(tmux("capture-pane", "-p", "-S", "-", "-t", watch).trimEnd().split("\n")).toHaveLength(11);
    // The notice was said once in the whole session, and never in the watch pane.
    expect(screen(commands).split(notice).length - 1).toBe(1);
    expect(watched).not.toContain("started a local todo daemon");

    // The end of the session: Ctrl-C ends the watch, and the daemon is stopped as its user would.
    tmux("send-keys", "-t", watch, "C-c");
    await until(watch, "prompt after Ctrl-C", waiting);
    const pid = JSON.parse(readFileSync(join(env.XDG_STATE_HOME!, "todo/daemon.json"), "utf8")).pid;
    expect(await run(commands, "todo daemon stop")).toBe(`stopped the local todo daemon (pid ${pid})`);
  },
  120_000,
);
