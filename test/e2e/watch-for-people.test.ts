// `todo watch` for a person (issue 21, item 6): on a terminal each event is one line that fits its
// width, in local time (TZ), with the todo's shortest unique id prefix, a verb (created, done, started,
// deleted, reminder) and colour unless NO_COLOR; ids may be prefixes and tags +tag words. Piped, the
// same line whole; --json stays the exact event.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ensureBinary } from "../support/binary";
import { cli, type Daemon, hidden, startDaemon } from "../support/daemon";
import { lineReader } from "../support/lines";
import { stopProcess } from "../support/process";
import { withoutColour } from "../support/pty";
import { scaled } from "../support/time";

let daemon: Daemon;
const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);
const LONG_TITLE = `a title far too long for one line of an eighty column terminal ${"and more ".repeat(8)}end`;
const ids: Record<string, string> = {};
const HOSTILE_TITLE = "pwned \x1b]0;pwned\x07 \x9b31m \u202eevil";
/** Every control character a terminal acts on, but for our own colour codes. */
const ACTING = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

async function add(name: string, ...args: string[]) {
  const r = await todo("add", ...args);
  expect(r).toMatchObject({ exitCode: 0, stderr: "" });
  ids[name] = /[0-9a-f]{24}/.exec(r.stdout)![0];
}

beforeAll(async () => {
  daemon = await startDaemon();
  await add("milk", "buy", "milk", "+shop");
  await add("long", LONG_TITLE);
  await add("gone", "to be deleted");
  expect((await todo("done", ids.milk!)).exitCode).toBe(0);
  expect((await todo("start", ids.long!)).exitCode).toBe(0);
  expect((await todo("delete", ids.gone!)).exitCode).toBe(0);
  // A reminder that fires: the watch shows it as "reminder".
  await add("remind", "call the bank", "--reminder", new Date(Date.now() + scaled(1000)).toISOString());
  const hostile = await todo("create", "--title", HOSTILE_TITLE);
  expect(hostile.exitCode).toBe(0);
  ids.hostile = /[0-9a-f]{24}/.exec(hostile.stdout)![0];
});
afterAll(async () => {
  await daemon.stop();
});

/** `todo watch <args>` on a pseudo-terminal `columns` wide (or piped), until it has printed `lines` lines. */
async function watched(args: string[], lines: number, options: { columns?: number; env?: Record<string, string> } = {}): Promise<string[]> {
  const binary = await ensureBinary();
  const command = [binary, "watch", ...args, "--addr", daemon.addr];
  const quoted = command.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(" ");
  const argv = options.columns === undefined ? command : ["script", "-qefc", `stty cols ${options.columns} rows 50 -echo; exec ${quoted}`, "/dev/null"];
  const proc = Bun.spawn(hidden(argv), { env: { PATH: process.env.PATH!, HOME: process.env.HOME!, TERM: "xterm-256color", ...options.env }, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  try {
    const out = lineReader(proc.stdout);
    return (await out.atLeast(lines, `${lines} lines of todo watch ${args.join(" ")}`, scaled(20_000))).slice(0, lines).map((l) => l.replace(/\r$/, ""));
  } finally {
    await stopProcess(proc, "SIGTERM", 5_000);
  }
}

/** The first 7 events as --json prints them. */
async function events(): Promise<{ position: string; time: string; todoId: string }[]> {
  return (await watched(["--from", "0", "--json"], 7)).map((l) => JSON.parse(l));
}

const localMinute = (iso: string, tz: string) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
};

test("on a terminal: local time, short ids, verbs, colour, and every line fits 80 columns", async () => {
  const json = await events();
  const screen = await watched(["--from", "0"], 7, { columns: 80, env: { TZ: "Asia/Kolkata" } });
  const plain = screen.map(withoutColour);
  for (const line of plain) expect(Bun.stringWidth(line)).toBeLessThanOrEqual(80);
  const rows = plain.map((line) => /^(\d+) {2}(\d{4}-\d\d-\d\d \d\d:\d\d) {2}(\S+) +([0-9a-f]+) {2}(.*)$/.exec(line)?.slice(1));
  expect(rows.map((r) => r?.[2])).toEqual(["created", "created", "created", "done", "started", "deleted", "created"]);
  rows.forEach((row, i) => {
    expect(row![0]).toBe(json[i]!.position);
    expect(row![1]).toBe(localMinute(json[i]!.time, "Asia/Kolkata"));
    // The shortest unique prefix, not the whole 24 digits.
    expect(row![3]!.length).toBeLessThan(24);
    expect(json[i]!.todoId.startsWith(row![3]!)).toBe(true);
  });
  expect(rows[0]![4]).toBe("buy milk +shop");
  expect(rows[1]![4]).toMatch(/^a title far too long .*…$/);
  // Colour: the verb painted (done green), as on the state in lists.
  expect(screen[3]).toContain("\x1b[32mdone\x1b[39m");
  const reminder = withoutColour((await watched(["--from", "0", "--reminders"], 1, { columns: 80 }))[0]!);
  expect(reminder).toMatch(/ {2}reminder {2}[0-9a-f]{4,23} {2}call the bank \(due \d{4}-\d\d-\d\d \d\d:\d\d\)$/);
  // NO_COLOR: the same lines, without colour codes.
  const uncoloured = await watched(["--from", "0"], 7, { columns: 80, env: { TZ: "Asia/Kolkata", NO_COLOR: "1" } });
  expect(uncoloured).toEqual(plain);
}, 60_000);

test("an id prefix and +tag words select the todos, on the terminal and piped", async () => {
  // 23 of the 24 digits: a prefix, and unique however close in time the todos were made.
  const prefix = ids.milk!.slice(0, 23);
  const byPrefix = await watched(["--from", "0", prefix], 2);
  expect(byPrefix).toEqual([expect.stringMatching(new RegExp(`^1 {2}\\S+ {2}created {3}${ids.milk} {2}buy milk \\+shop$`)), expect.stringMatching(new RegExp(`^4 {2}\\S+ {2}done {6}${ids.milk} {2}buy milk \\+shop$`))]);
  const byTag = await watched(["--from", "0", "+shop"], 2);
  expect(byTag.map((l) => l.split(/ {2,}/)[2])).toEqual(["created", "done"]);
  const byTagFlag = await watched(["--from", "0", "--tags", "+shop"], 2);
  expect(byTagFlag).toEqual(byTag);
  // Stored text is inert on the terminal too.
  const hostile = (await watched(["--from", "0", ids.hostile!], 1, { columns: 200 })).map(withoutColour);
  expect(hostile[0]).not.toMatch(ACTING);
  expect(hostile[0]).toContain("  pwned \\x1b]0;pwned\\x07 \\x9b31m \\u202eevil");
  // --json stays the exact event.
  const json = (await watched(["--from", "0", "--json", "+shop"], 1)).map((l) => JSON.parse(l));
  expect(json[0]).toMatchObject({ position: "1", todoId: ids.milk, created: { todo: { title: "buy milk", tags: ["shop"] } } });
}, 60_000);

test("--help says it prints events, one line each", async () => {
  const help = (await cli(["watch", "--help"])).stdout;
  expect(help).toContain("one line per event (created, done, started");
  expect(help).not.toMatch(/one todo per line/);
});
