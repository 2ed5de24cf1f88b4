// Stored text reaching a shell through completion: tags and ids from the daemon are data in bash, zsh
// and fish. Nothing runs (a canary file would appear in the shell's directory), nothing expands (what is
// offered is the stored string, or bash's own quoting of it, which means the stored string again when
// the line runs), and a value holding a newline, a tab or another control character is left out
// (`todo __complete` offers values only as they are stored, one a line).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { unary } from "../support/grpc-call";
import { installWithCompletion } from "../support/completion";
import { toolOrSkip } from "../support/tools";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store";

let daemon: Daemon;
/** A PATH where `todo` is the binary under test, as it would be installed. */
const bin = mkdtempSync(join(tmpdir(), "todo-bin-"));
/** Where the shells run: anything a value runs or expands (touch, globs) happens here. */
const cwd = mkdtempSync(join(tmpdir(), "todo-canary-"));
const scripts: Record<string, string> = {};

beforeAll(async () => {
  Object.assign(scripts, await installWithCompletion(bin));
  daemon = await startDaemon();
});
afterAll(async () => {
  await daemon.stop();
  rmSync(cwd, { recursive: true, force: true });
});

const zsh = toolOrSkip("zsh", "the zsh hostile-completion test");
const fish = toolOrSkip("fish", "the fish hostile-completion test");

/** The daemon the shells ask (TODO_ADDR): this file's, but for the test of a tampered store's ids. */
let asked: () => string = () => daemon.addr;
const env = () => ({ PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME!, TODO_ADDR: asked(), XDG_CONFIG_HOME: bin, LANG: "C.UTF-8" });

function inShell(shell: string, args: string[], script: string): string {
  const r = Bun.spawnSync([shell, ...args, script], { cwd, env: env(), stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${shell} exited ${r.exitCode}: ${r.stderr}`);
  return r.stdout.toString();
}

/** NUL-separated fields, as the shells below print them. */
const fields = (out: string) => out.split("\0").slice(0, -1);

/**
 * What bash offers for `todo list --tags <cur>` and `todo add x +<cur>`: each candidate as bash would
 * insert it, and what that inserted word means when the line runs (bash parses it: eval of the word
 * alone, which is exactly what running the completed line does to it).
 */
function bashOffers(line: "tags" | "+tags" | "ids", cur = ""): { inserted: string; means: string[] }[] {
  const words = line === "tags" ? `todo list --tags ${quote(cur)}` : line === "+tags" ? `todo add x ${quote(`+${cur}`)}` : `todo done ${quote(cur)}`;
  const out = inShell(
    "bash",
    ["-c"],
    `source ${scripts.bash}; COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _todo
     for c in "\${COMPREPLY[@]}"; do eval "w=($c)"; printf '%s\\0%s\\0' "$c" "\${#w[@]}"; printf '%s\\0' "\${w[@]}"; done`,
  );
  const parts = fields(out);
  const offers: { inserted: string; means: string[] }[] = [];
  for (let i = 0; i < parts.length; ) {
    const inserted = parts[i]!;
    const n = Number(parts[i + 1]);
    offers.push({ inserted, means: parts.slice(i + 2, i + 2 + n) });
    i += 2 + n;
  }
  return offers;
}

/**
 * What zsh's completion functions hand to compadd (tags) and _describe (ids): they are zsh's builtins
 * that take matches as data and quote them on insertion, so the values must reach them as stored.
 * (compadd only runs inside a completion widget, so it is recorded at that boundary.)
 */
function zshOffers(line: "tags" | "+tags" | "ids"): string[] {
  const call = line === "tags" ? "words=(todo list --tags ''); _todo_tags" : line === "+tags" ? "words=(add x +); PREFIX=+; _todo_words" : "words=(done ''); PREFIX=''; _todo_words";
  return fields(
    inShell(
      "zsh",
      ["-fc"],
      `autoload -U compinit && compinit -u -d ${bin}/zcompdump; source ${scripts.zsh}
       compadd() { [[ $1 == -a ]] && for m in "\${(@P)2}"; do printf '%s\\0' "$m"; done }
       _describe() { for m in "\${(@P)2}"; do printf '%s\\0' "$m"; done }
       typeset -A _todo_ids; _todo_ids=(done 1)
       ${call}`,
    ),
  );
}

/**
 * What fish would insert for a command line (`complete --escape -C`: the candidates as fish escapes them
 * onto the line), as fish itself then reads each one back (eval): the stored text, if nothing expands.
 */
function fishOffers(line: "tags" | "+tags" | "ids"): string[] {
  const typed = line === "tags" ? "todo list --tags " : line === "+tags" ? "todo add x +" : "todo done ";
  return fields(inShell("fish", ["-c"], `source ${scripts.fish}; for c in (complete --escape -C '${typed}'); eval "printf '%s\\0' "(string split -f1 \\t -- $c); end`));
}

/**
 * zsh itself, interactive on a pseudo-terminal (its zpty module): types `line`, presses TAB, then runs
 * `print -r -- XX <the line as completed>`, and returns what that printed after XX. A single candidate is
 * inserted, so this is what zsh put on the line, read back by zsh.
 */
function zshCompletes(line: string): string {
  const driver = join(bin, "drive.zsh");
  writeFileSync(
    driver,
    `zmodload zsh/zpty
zpty z "zsh -f -i"
zpty -w z "PS1='> '; autoload -U compinit; compinit -u -d ${bin}/zcompdump; source ${scripts.zsh}"
zpty -w -n z "$1"$'\\t\\x01print -r -- XX \\x05\\n'
local out all="" deadline=$(( SECONDS + 30 ))
while (( SECONDS < deadline )); do
  if zpty -r -t z out; then all+=$out; else sleep 0.05; fi
  [[ $all == *$'\\n'XX\\ *$'\\n'* ]] && break
done
zpty -d z
all=\${all#*$'\\n'XX }
print -r -- "\${all%%$'\\r'*}"
`,
  );
  return inShell("zsh", ["-f", driver], line).replace(/\n$/, "");
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** Whatever a shell ran or globbed into existence in its directory (taken away, so each check starts clean). */
function canaries(): string[] {
  const found = readdirSync(cwd);
  for (const name of found) rmSync(join(cwd, name), { recursive: true, force: true });
  return found;
}

/** Creates a todo with these tags; its id, and its tags as stored (the daemon trims them). */
async function createTodo(tags: string[]): Promise<{ id: string; stored: string[] }> {
  const r = await unary(daemon.addr, "/todo.v1.TodoService/CreateTodo", { todo: { title: "hostile tags", tags } });
  if (r.code !== 0) throw new Error(`CreateTodo: ${r.details}`);
  return { id: r.response.id, stored: r.response.tags };
}
async function deleteTodo(id: string) {
  const r = await unary(daemon.addr, "/todo.v1.TodoService/DeleteTodo", { id });
  if (r.code !== 0) throw new Error(`DeleteTodo: ${r.details}`);
}

test("the issue's repro: a tag `$(touch pwned)` is offered, quoted, and never run", async () => {
  const added = await cli(["add", "innocent", "--tags", "$(touch pwned)", "--addr", daemon.addr]);
  expect(added.exitCode).toBe(0);
  try {
    const offers = bashOffers("tags");
    expect(existsSync(join(cwd, "pwned"))).toBe(false);
    canaries();
    expect(offers).toEqual([{ inserted: "\\$\\(touch\\ pwned\\)", means: ["$(touch pwned)"] }]);
    expect(bashOffers("+tags")).toEqual([{ inserted: "+\\$\\(touch\\ pwned\\)", means: ["+$(touch pwned)"] }]);
    if (zsh) expect(zshOffers("tags")).toEqual(["$(touch pwned)"]);
    if (zsh) expect(zshCompletes("todo list --tags ")).toBe("todo list --tags $(touch pwned)");
    if (fish) expect(fishOffers("tags")).toEqual(["$(touch pwned)"]);
    expect(canaries()).toEqual([]);
  } finally {
    await deleteTodo(/[0-9a-f]{24}/.exec(added.stdout)![0]);
  }
});

test("bash completes a prefix literally: typed as is, or quoted as bash inserts it", async () => {
  const { id } = await createTodo(["a b", "a*", "ab"]);
  try {
    const means = (cur: string) => bashOffers("tags", cur).map((o) => o.means.join(" "));
    expect(means("a")).toEqual(["a b", "a*", "ab"]);
    expect(means("a\\ ")).toEqual(["a b"]);
    expect(means("'a ")).toEqual(["a b"]);
    expect(means("a*")).toEqual(["a*"]);
    expect(means("*")).toEqual([]);
  } finally {
    await deleteTodo(id);
  }
});

test("a tag or title with a newline, a tab or another control character forges no candidate", async () => {
  const { id } = await createTodo(["one\ntwo", "tab\there", "esc\x1b]0;x\x07", "c1\x9b31m", "rtl\u202eevil", "plain"]);
  await unary(daemon.addr, "/todo.v1.TodoService/UpdateTodo", { todo: { id, title: "line\nforged\tcolumn" }, update_mask: { paths: ["title"] } });
  try {
    const completed = await cli(["__complete", "tags", "--addr", daemon.addr]);
    expect(completed.stdout).toBe("plain\n");
    const ids = await cli(["__complete", "ids", "--addr", daemon.addr]);
    expect(ids.stdout).toBe(`${id.slice(0, 4)}\tline forged column\n`);
    expect(bashOffers("tags").map((o) => o.means)).toEqual([["plain"]]);
    if (zsh) expect(zshOffers("ids")).toEqual([`${id.slice(0, 4)}:line forged column`]);
    if (fish) expect(fishOffers("tags")).toEqual(["plain"]);
  } finally {
    await deleteTodo(id);
  }
});

// Strings a shell might act on: every metacharacter, the expansions, quotes, escapes, zsh's `:`, C0 and
// C1 controls, bidi overrides and other unicode, in short runs mixed with letters.
const hostilePieces = [
  "$(touch x)", "`touch y`", "${IFS}", "$((7*6))", "$HOME", "~", "~root", "*", "?", "[a]", "[!z]", "{a,b}", "!!", "!$", "\\", "\\n", "'", '"', "$'\\x41'",
  ";", "&", "|", "<", ">", "(", ")", "#", "=", ":", "::", "a:b", "%", "^", " ", "  ", "\n", "\t", "\r", "\x00", "\x07", "\x1b", "\x1b[2J", "\x7f", "\x85", "\x9b",
  "\u202e", "\u2066", "\u200f", "é", "中文", "👨‍👩‍👧", "\ufeff", "\u2028", "+", "-", "--", "-n", "x",
];
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...hostilePieces), fc.string({ unit: "grapheme", maxLength: 4 })), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join("").slice(0, 60))
  .filter((tag) => tag.trim() !== "");

/** Whether `__complete` offers the value: only values free of control characters (see complete.ts). */
const typeable = (value: string) => !/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(value);

test.skipIf(!zsh)("zsh on a terminal inserts each nasty tag so that it reads back as stored", async () => {
  for (const tag of ["~", "~root", "=ls", "$HOME", "${IFS}x", "$((7*6))", "`touch q`", "*", "[a]", "!!", "a b", "it's", '"q"', "\\x", "#c", "x:y", "{a,b}", "-n", " lead", "\u2003em", "trail "]) {
    const { id } = await createTodo([tag]);
    try {
      expect(zshCompletes("todo list --tags ")).toBe(`todo list --tags ${tag}`);
      expect(canaries()).toEqual([]);
    } finally {
      await deleteTodo(id);
    }
  }
}, 120_000);

test("ids from a tampered store (not hex: the API never makes such) are offered inert too, colons escaped for zsh", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "todo-tampered-ids-"));
  await SqliteStore.open(dataDir).close();
  const db = new Database(join(dataDir, "todos.db"));
  const ids = ["$(touch idpwn)", "`touch idq`", "a:b:c", "~", "0123456789abcdef01234567", "bad\nline"];
  for (const [i, id] of ids.entries())
    db.query("INSERT INTO todos (id, title, description, tags, reminder, state, create_time, update_time, version) VALUES (?, ?, '', '[]', NULL, 'STATE_NOT_STARTED', ?, ?, 1)").run(id, `title ${i}`, i, i);
  db.close();
  const tampered = await startDaemon({ dataDir });
  asked = () => tampered.addr;
  try {
    const listed = (await cli(["__complete", "ids", "--addr", tampered.addr])).stdout.split("\n").filter(Boolean).map((line) => line.split("\t"));
    // Each id as its shortest unique prefix (4 characters at least); the id with a newline left out.
    expect(listed.map(([prefix]) => prefix).sort()).toEqual(["$(to", "0123", "`tou", "a:b:", "~"].sort());
    const prefixes = listed.map(([prefix]) => prefix!).sort();
    expect(bashOffers("ids").map((o) => o.means).sort()).toEqual(prefixes.map((p) => [p]));
    if (zsh) expect(zshOffers("ids").sort()).toEqual(listed.map(([prefix, title]) => `${prefix!.replace(/:/g, "\\:")}:${title}`).sort());
    if (fish) expect(fishOffers("ids").sort()).toEqual(prefixes.filter(fishOffersIt));
    expect(canaries()).toEqual([]);
  } finally {
    asked = () => daemon.addr;
    await tampered.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/**
 * What fish offers on an empty word: not values it would insert with a leading ~ or Unicode space
 * unescaped (completion.ts leaves them out), nor, as fish 3 treats hidden files, values starting with a
 * dot (it offers those once a dot is typed).
 */
const fishOffersIt = (value: string) => !/^(~|\.|[\p{Z}\t\n\v\f\r ])/u.test(value);

test.skipIf(!fish)("fish leaves out a tag starting with ~ or a Unicode space, which it would expand or skip on the line", async () => {
  const { id } = await createTodo(["~", "~root", "a~", "plain", " lead", "\u2003em", "\u3000ideo", "in\u2003side"]);
  try {
    expect(fishOffers("tags").sort()).toEqual(["a~", "in\u2003side", "plain"]);
    expect(fishOffers("+tags").sort()).toEqual(["+ lead", "+a~", "+in\u2003side", "+plain", "+~", "+~root", "+\u2003em", "+\u3000ideo"].sort());
  } finally {
    await deleteTodo(id);
  }
});

describe("property: hostile tags through completion", () => {
  test("nothing runs, nothing expands: each shell offers exactly the stored tags that can be typed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(hostile, { minLength: 1, maxLength: 32 }), async (tags) => {
        canaries(); // a failed run's leftovers must not fail the runs that shrink it
        const { id, stored } = await createTodo(tags);
        try {
          const expected = [...new Set(stored)].filter(typeable).sort();
          const sorted = (values: string[]) => [...values].sort();
          const bash = bashOffers("tags");
          expect(bash.every((o) => o.means.length === 1)).toBe(true);
          expect(sorted(bash.map((o) => o.means[0]!))).toEqual(expected);
          expect(sorted(bashOffers("+tags").map((o) => o.means[0]!))).toEqual(expected.map((t) => `+${t}`).sort());
          if (zsh) expect(sorted(zshOffers("tags"))).toEqual(expected);
          if (fish) expect(sorted(fishOffers("tags"))).toEqual(expected.filter(fishOffersIt));
          if (fish) expect(sorted(fishOffers("+tags"))).toEqual(expected.map((t) => `+${t}`).sort());
          expect(canaries()).toEqual([]);
        } finally {
          await deleteTodo(id);
        }
      }),
      // The first: no tag can be offered, so the daemon prints nothing at all. The last: fish hides dot-first values.
      { numRuns: 25, examples: [[["\x07"]], [["$(touch pwned)", "`touch x`", "a b", "~", "*"]], [[".", "..", ".x"]]] },
    );
  });
});
