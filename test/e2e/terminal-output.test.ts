// Human output as a terminal shows it: stored text never acts on the terminal, the table fits the
// terminal's width (measured in columns, cut between graphemes), colour follows --color and NO_COLOR,
// and times are local. Piped output is uncut and uncoloured; --json stays exact.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MongoClient } from "mongodb";
import { ensureBinary } from "../support/binary";
import { cli, type Daemon, hidden, startDaemon } from "../support/daemon";
import { startFerretDb } from "../support/ferretdb";
import { lineReader } from "../support/lines";
import { stopProcess } from "../support/process";
import { onTerminal, withoutColour } from "../support/pty";
import { toolOrSkip } from "../support/tools";

let daemon: Daemon;
const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);
const ids: Record<string, string> = {};

const HOSTILE_TITLE = "pwned \x1b]0;pwned\x07 \x9b31m \u202eevil";
const HOSTILE_DESCRIPTION = "red \x1b[31mtext\x1b[0m\tafter a tab\nsecond line\rreturn";
const CJK_TITLE = "日本語のタイトルはとても長いので端で切られるはずです、本当に長いですね";
const FAMILY = "👨‍👩‍👧";
const EMOJI_TITLE = `family ${FAMILY.repeat(30)}`;

beforeAll(async () => {
  daemon = await startDaemon();
  const create = async (name: string, ...args: string[]) => {
    const r = await todo("create", ...args);
    expect(r.exitCode).toBe(0);
    ids[name] = /[0-9a-f]{24}/.exec(r.stdout)![0];
  };
  await create("hostile", "--title", HOSTILE_TITLE, "--description", HOSTILE_DESCRIPTION, "--tags", "a\x1b[2Jb,ok");
  await create("cjk", "--title", CJK_TITLE, "--description", "説明".repeat(40), "--state", "IN_PROGRESS", "--reminder", "1573228261");
  await create("emoji", "--title", EMOJI_TITLE, "--description", "x".repeat(150), "--state", "DONE", "--tags", "family,a-rather-long-tag");
  await create("future", "--title", "later", "--reminder", "4102444800");
});
afterAll(async () => {
  await daemon.stop();
});

/** Every control character a terminal acts on, but for our own colour codes. */
const ACTING = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe("stored text never acts on the terminal", () => {
  test("no control character from a todo reaches the screen, in the table or the record", async () => {
    for (const args of [["search"], ["read", "--id", ids.hostile!]]) {
      for (const color of ["always", "never"]) {
        const screen = await onTerminal([...args, "--color", color, "--addr", daemon.addr], { columns: 200 });
        expect(screen.exitCode).toBe(0);
        expect(withoutColour(screen.text)).not.toMatch(ACTING);
        if (color === "never") expect(screen.text).not.toContain("\x1b");
      }
      const piped = await todo(...args);
      expect(piped.stdout).not.toMatch(ACTING);
    }
    const record = (await todo("read", "--id", ids.hostile!)).stdout;
    expect(record).toContain("Title        pwned \\x1b]0;pwned\\x07 \\x9b31m \\u202eevil\n");
    // The description keeps its lines; a tab and a carriage return show as escapes.
    expect(record).toContain("Description  red \\x1b[31mtext\\x1b[0m\\tafter a tab\n             second line\\rreturn\n");
    expect(record).toContain("Tags         a\\x1b[2Jb, ok\n");
  });

  test("in the table a tab or newline is a space, so the columns hold", async () => {
    const row = (await todo("search", "--pattern", "^pwned")).stdout.split("\n")[1]!;
    expect(row.split(/ {2,}/)).toEqual(["1", ids.hostile!, "NOT_STARTED", "pwned \\x1b]0;pwned\\x07 \\x9b31m \\u202eevil", "red \\x1b[31mtext\\x1b[0m after a tab second line return", "a\\x1b[2Jb,ok", "-"]);
  });

  test("--json keeps the stored text exact, every control character escaped (C1 and bidi too)", async () => {
    const out = (await todo("read", "--id", ids.hostile!, "--json")).stdout;
    expect(out).not.toMatch(ACTING);
    const json = JSON.parse(out);
    expect(json.title).toBe(HOSTILE_TITLE);
    expect(json.description).toBe(HOSTILE_DESCRIPTION);
  });

  /** The lines `todo watch --from 0 <args>` prints up to the one naming the hostile todo. */
  async function watched(...args: string[]): Promise<string> {
    const watch = Bun.spawn(hidden([await ensureBinary(), "watch", "--from", "0", ...args, "--addr", daemon.addr]), { stdout: "pipe", stderr: "pipe" });
    try {
      const lines = lineReader(watch.stdout);
      for (let n = 1; !lines.seen.some((line) => line.includes(ids.hostile!)); n++) await lines.atLeast(n, "the hostile todo's created event");
      return lines.seen.join("\n");
    } finally {
      await stopProcess(watch, "SIGTERM", 5_000);
    }
  }

  test("todo watch shows a title inert: C1 controls (CSI) and bidi overrides escaped, not only C0", async () => {
    const human = await watched();
    expect(human).not.toMatch(ACTING);
    expect(human).toContain(`${ids.hostile}  pwned \\x1b]0;pwned\\x07 \\x9b31m \\u202eevil`);
    const json = await watched("--json");
    expect(json).not.toMatch(ACTING);
    const event = json.split("\n").map((line) => JSON.parse(line)).find((e) => e.todoId === ids.hostile);
    expect(event.created.todo.title).toBe(HOSTILE_TITLE);
  });

  test("an error that carries a daemon's text is one inert line too", async () => {
    const r = await todo("search", "--pattern", "(\x1b]0;x\x07");
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(ACTING);
  });
});

describe("a table that fits the terminal", () => {
  test("at 80 columns every line fits, counted in display columns, and wide text is cut between graphemes", async () => {
    const screen = await onTerminal(["search", "--addr", daemon.addr], { columns: 80 });
    expect(screen.exitCode).toBe(0);
    const lines = withoutColour(screen.text).trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(Bun.stringWidth(line)).toBeLessThanOrEqual(80);
    expect(screen.text).not.toContain("\ufffd");
    const cjk = lines.find((l) => l.includes("日本語"))!;
    expect(cjk).toContain("…");
    const emoji = lines.find((l) => l.includes("family"))!;
    // Cut after a whole family emoji (a ZWJ sequence), never inside one.
    expect(emoji).toMatch(new RegExp(`family (${FAMILY})+…`));
    // The REMINDER column starts at the same screen column on every line.
    const reminderColumn = (line: string) => Bun.stringWidth(line.slice(0, line.search(/(-|\d{4}-\d\d-\d\d|in \S+|\S+ ago|now)$/)));
    expect(new Set(lines.slice(1).map(reminderColumn))).toEqual(new Set([Bun.stringWidth(lines[0]!.slice(0, lines[0]!.indexOf("REMINDER")))]));
  });

  test("COLUMNS overrides the terminal's width; a narrow terminal drops the description before the title", async () => {
    const wide = await onTerminal(["search", "--addr", daemon.addr], { columns: 80, env: { COLUMNS: "120" } });
    for (const line of withoutColour(wide.text).trimEnd().split("\n")) expect(Bun.stringWidth(line)).toBeLessThanOrEqual(120);
    expect(withoutColour(wide.text).trimEnd().split("\n").some((l) => Bun.stringWidth(l) > 80)).toBe(true);
    const narrow = withoutColour((await onTerminal(["search", "--addr", daemon.addr], { columns: 60 })).text).trimEnd().split("\n");
    expect(narrow[0]).not.toContain("DESCRIPTION");
    expect(narrow[0]).toContain("TI");
    for (const line of narrow) expect(Bun.stringWidth(line)).toBeLessThanOrEqual(60);
  });

  test("piped, nothing is cut", async () => {
    const lines = (await todo("search")).stdout.trimEnd().split("\n");
    expect(lines.find((l) => l.includes(ids.cjk!))).toContain(CJK_TITLE);
    expect(lines.find((l) => l.includes(ids.emoji!))).toContain(EMOJI_TITLE);
    expect(lines.find((l) => l.includes(ids.emoji!))).toContain("x".repeat(150));
  });
});

describe("colour", () => {
  test("by state, overdue reminders in red, headers bold, on a terminal", async () => {
    const screen = (await onTerminal(["search", "--addr", daemon.addr], { columns: 80 })).text;
    expect(screen).toContain("\x1b[1mID\x1b[22m");
    expect(screen).toContain("\x1b[33mIN_PROGRESS\x1b[39m");
    expect(screen).toContain("\x1b[32mDONE\x1b[39m");
    // 2019 is past: red. 2100 is not. (This far off, a list shows the date.)
    expect(screen).toMatch(/\x1b\[31m2019-11-08\x1b\[39m/);
    expect(screen).toMatch(/[^m]2100-01-01\n/);
  });

  test("NO_COLOR, --color=never and pipes get none; --color=always gets it anywhere", async () => {
    expect((await onTerminal(["search", "--addr", daemon.addr], { columns: 200, env: { NO_COLOR: "1" } })).text).not.toContain("\x1b");
    expect((await onTerminal(["search", "--color=never", "--addr", daemon.addr], { columns: 200 })).text).not.toContain("\x1b");
    expect((await onTerminal(["search", "--color=always", "--addr", daemon.addr], { columns: 200, env: { NO_COLOR: "1" } })).text).toContain("\x1b[33m");
    expect((await todo("search")).stdout).not.toContain("\x1b");
    expect((await todo("search", "--color", "always")).stdout).toContain("\x1b[33mIN_PROGRESS\x1b[39m");
    expect((await todo("search", "--color", "sometimes")).stderr).toContain('--color: "sometimes" is not one of auto, always, never');
  });
});

describe("local time", () => {
  test("people read local time (TZ), with its offset; --json stays RFC 3339 in UTC", async () => {
    const tokyo = await cli(["read", "--id", ids.cjk!, "--addr", daemon.addr], { TZ: "Asia/Tokyo" });
    expect(tokyo.stdout).toContain("Reminder     2019-11-09T00:51:01+09:00\n");
    const newYork = await cli(["read", "--id", ids.cjk!, "--addr", daemon.addr], { TZ: "America/New_York" });
    expect(newYork.stdout).toContain("Reminder     2019-11-08T10:51:01-05:00\n");
    expect(JSON.parse((await cli(["read", "--id", ids.cjk!, "--json", "--addr", daemon.addr], { TZ: "Asia/Tokyo" })).stdout).reminder).toBe("2019-11-08T15:51:01Z");
    const table = await onTerminal(["search", "--pattern", "^日本", "--addr", daemon.addr], { columns: 200, env: { TZ: "Asia/Tokyo" } });
    // A list shows a reminder this far off as its local date.
    expect(withoutColour(table.text)).toContain("2019-11-09");
    const tableNewYork = await onTerminal(["search", "--pattern", "^日本", "--addr", daemon.addr], { columns: 200, env: { TZ: "America/New_York" } });
    expect(withoutColour(tableNewYork.text)).toContain("2019-11-08");
  });
});

const ferretdb = toolOrSkip("ferretdb", "todo migrate's notes on a terminal");

describe.skipIf(!ferretdb)("todo migrate", () => {
  test("a document's _id and fields are printed inert: ESC ] 0 ; … BEL never reaches the terminal", async () => {
    const server = await startFerretDb(ferretdb!);
    const client = new MongoClient(server.url);
    try {
      // The original's documents are anyone's data: a string _id that would retitle the window.
      await client.db("challenge").collection<{ _id: unknown; [field: string]: unknown }>("todo").insertOne({ _id: "\x1b]0;pwn\x07 \x9b31m \u202eevil", title: "x", description: "", tags: [], state: "NOT_STARTED" });
      const r = await cli(["migrate", "--mongo-url", server.url]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).not.toMatch(ACTING);
      expect(r.stdout).toContain("\\x1b]0;pwn\\x07 \\x9b31m \\u202eevil: not copied");
    } finally {
      await client.close();
      await server.dispose();
    }
  });
});
