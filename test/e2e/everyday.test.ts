// The verbs people expect (Taskwarrior, todo.txt, the original todo-cli), through the compiled binary:
// add with a positional title and +tags, list/ls, done, start, search TEXT, several ids where one
// makes sense, short ids, and changes by filter.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { onTerminal, withoutColour } from "../support/pty";
import { seededDataDir } from "../support/seed";

let daemon: Daemon;
const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);
const json = async (...args: string[]) =>
  (await todo(...args, "--json")).stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const idOf = (stdout: string) => /[0-9a-f]{24}/.exec(stdout)![0];

beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

describe("add, list, done, start, search", () => {
  const ids: Record<string, string> = {};

  test("add takes the title as words and +tags; create --title still works", async () => {
    const milk = await todo("add", "buy", "milk", "+shop", "+errand", "--reminder", "2030-01-02 09:00");
    expect(milk.exitCode).toBe(0);
    expect(milk.stdout).toMatch(/^created [0-9a-f]{24}\n$/);
    ids.milk = idOf(milk.stdout);
    ids.bike = idOf((await todo("add", "fix the bike", "+home")).stdout);
    ids.call = idOf((await todo("create", "--title", "call Ana", "--tags", "phone", "--reminder", "2030-01-01 18:00")).stdout);
    ids.taxes = idOf((await todo("add", "taxes", "--state", "DONE", "--reminder", "2029-01-01")).stdout);
    ids.literal = idOf((await cli(["add", "--addr", daemon.addr, "--", "+1", "for", "the", "idea"])).stdout);
    expect((await json("read", ids.milk!))[0]).toMatchObject({ title: "buy milk", tags: ["shop", "errand"] });
    expect((await json("read", ids.literal!))[0]).toMatchObject({ title: "+1 for the idea" });
    expect((await json("read", ids.literal!))[0].tags).toBeUndefined();
  });

  test("add refuses a title given twice or not at all, and creates nothing", async () => {
    const before = await json("search");
    const twice = await todo("add", "words", "--title", "flag");
    expect([twice.exitCode, twice.stderr]).toEqual([2, 'todo: give the title once: as words ("words") or with --title\n']);
    const none = await todo("add", "+tag-only");
    expect([none.exitCode, none.stderr]).toEqual([2, 'todo: missing the title: todo add buy milk (or --title "buy milk")\n']);
    expect(await json("search")).toEqual(before);
  });

  test("list (ls) shows what is not done, the next reminder first and undated todos last", async () => {
    const listed = (await json("list")).map((t) => t.id);
    expect(listed).toEqual([ids.call, ids.milk, ids.bike, ids.literal]);
    expect((await json("ls")).map((t) => t.id)).toEqual(listed);
    expect((await json("list", "+home")).map((t) => t.id)).toEqual([ids.bike]);
    expect((await json("list", "--states", "DONE")).map((t) => t.id)).toEqual([ids.taxes]);
    expect((await json("list", "--limit", "2")).map((t) => t.id)).toEqual([ids.call, ids.milk]);
  });

  test("search takes the pattern as an argument, and one pattern only", async () => {
    expect((await json("search", "milk")).map((t) => t.id)).toEqual([ids.milk]);
    // A word is literal, smart-case (issue 21); /re/ is RE2.
    expect((await json("search", "/(?i)CALL/")).map((t) => t.id)).toEqual([ids.call]);
    expect((await json("search", "call")).map((t) => t.id)).toEqual([ids.call]);
    const two = await todo("search", "buy", "milk");
    expect([two.exitCode, two.stderr]).toEqual([2, 'todo: one PATTERN only, got 2 words: quote it, as in todo search "buy milk"\n']);
    const both = await todo("search", "milk", "--pattern", "bike");
    expect([both.exitCode, both.stderr]).toEqual([2, "todo: give the pattern once: as the PATTERN argument or with --pattern\n"]);
  });

  test("start and done take several ids; read shows several", async () => {
    expect(await todo("start", ids.milk!, ids.bike!)).toEqual({ stdout: `started ${ids.milk}\nstarted ${ids.bike}\n`, stderr: "", exitCode: 0 });
    expect(await todo("done", ids.milk!)).toEqual({ stdout: `done ${ids.milk}\n`, stderr: "", exitCode: 0 });
    const states = Object.fromEntries((await json("read", ids.milk!, ids.bike!, ids.call!)).map((t) => [t.id, t.state]));
    expect(states).toEqual({ [ids.milk!]: "STATE_DONE", [ids.bike!]: "STATE_IN_PROGRESS", [ids.call!]: "STATE_NOT_STARTED" });
    const records = (await todo("read", ids.milk!, ids.bike!)).stdout;
    expect(records.split("\n\n").map((r) => r.split("\n")[0])).toEqual([`ID           ${ids.milk}`, `ID           ${ids.bike}`]);
  });

  test("update changes several todos; --etag goes with one id only", async () => {
    expect((await todo("update", ids.bike!, ids.call!, "--tags", "weekend")).stdout).toBe(`updated ${ids.bike}\nupdated ${ids.call}\n`);
    expect((await json("read", ids.bike!, ids.call!)).map((t) => t.tags)).toEqual([["weekend"], ["weekend"]]);
    const r = await todo("update", ids.bike!, ids.call!, "--etag", "2", "--title", "x");
    expect([r.exitCode, r.stderr]).toEqual([2, "todo: --etag is one todo's: give one id with it\n"]);
    const tag = await todo("update", ids.bike!, "+garage");
    expect([tag.exitCode, tag.stderr]).toEqual([2, "todo: todo update takes ids, not +garage: set tags with --tags a,b\n"]);
    expect((await todo("read", "+weekend")).stderr).toBe("todo: todo read takes ids, not +weekend: to see the todos with a tag, todo search +weekend\n");
  });

  test("with several ids, one that fails is named and the others still happen", async () => {
    const missing = "000000000000000000000001";
    const r = await todo("done", ids.call!, missing, ids.literal!);
    expect(r.stdout).toBe(`done ${ids.call}\ndone ${ids.literal}\n`);
    expect(r.stderr).toBe(`todo: ${missing}: no todo with id ${missing}\ntodo: 1 of 3 todos failed (each is named above)\n`);
    expect(r.exitCode).toBe(1);
  });

  test("delete --id A B deletes both, and delete --json prints what was deleted", async () => {
    const a = idOf((await todo("add", "doomed a")).stdout);
    const b = idOf((await todo("add", "doomed b")).stdout);
    expect(await todo("delete", "--id", a, b)).toEqual({ stdout: `deleted ${a}\ndeleted ${b}\n`, stderr: "", exitCode: 0 });
    expect((await todo("read", a)).exitCode).toBe(1);
    const c = idOf((await todo("add", "doomed c", "+x")).stdout);
    const deleted = await json("delete", c);
    expect(deleted).toEqual([expect.objectContaining({ id: c, title: "doomed c", tags: ["x"] })]);
    expect((await todo("read", c)).stderr).toBe(`todo: no todo with id ${c}\n`);
  });
});

describe("short ids", () => {
  let shortDaemon: Daemon;
  const at = (...args: string[]) => cli([...args, "--addr", shortDaemon.addr]);
  const ids = { a: "abcd00000000000000000001", b: "abce00000000000000000002", c: "abcdef000000000000000003", other: "f0f0f0f0f0f0f0f0f0f0f0f0" };

  beforeAll(async () => {
    shortDaemon = await startDaemon();
    const file = join(tmpdir(), `todo-short-ids-${process.pid}.jsonl`);
    writeFileSync(file, Object.entries(ids).map(([name, id]) => JSON.stringify({ id, title: `todo ${name}` })).join("\n"));
    expect((await at("import", "--in", file)).exitCode).toBe(0);
  });
  afterAll(async () => {
    await shortDaemon.stop();
  });

  test("any unique prefix of 4 or more characters, in any case, names a todo", async () => {
    expect(JSON.parse((await at("read", "abce", "--json")).stdout).id).toBe(ids.b);
    expect(JSON.parse((await at("read", "ABCDE", "--json")).stdout).id).toBe(ids.c);
    expect(JSON.parse((await at("read", "F0F0", "--json")).stdout).id).toBe(ids.other);
    expect(JSON.parse((await at("read", ids.a.toUpperCase(), "--json")).stdout).id).toBe(ids.a);
  });

  test("an ambiguous prefix lists the candidates; a short one or one that matches nothing says so", async () => {
    const ambiguous = await at("done", "abcd");
    expect(ambiguous).toEqual({ stdout: "", stderr: "todo: id prefix abcd is ambiguous: abcd0 (todo a), abcde (todo c); give more characters\n", exitCode: 2 });
    expect(await at("read", "abc")).toEqual({ stdout: "", stderr: `todo: id prefix "abc" is too short: give 4 or more characters of the id, or the todo's number\n`, exitCode: 2 });
    // Digits alone are a todo's number (docs/short-numbers.md); with a leading zero, or a letter, a prefix.
    expect(await at("read", "1234")).toEqual({ stdout: "", stderr: "todo: no todo has number 1234 (todo ls shows each todo's number)\n", exitCode: 1 });
    expect(await at("read", "0123")).toEqual({ stdout: "", stderr: "todo: no todo has an id that starts with 0123\n", exitCode: 1 });
    expect(JSON.parse((await at("read", ids.a, "--json")).stdout).state).toBe("STATE_NOT_STARTED");
  });

  test("on a terminal the table shows each todo's shortest unique prefix; piped, the whole id", async () => {
    const screen = withoutColour((await onTerminal(["search", "--addr", shortDaemon.addr], { columns: 80 })).text);
    expect(screen.trimEnd().split("\n").slice(1).map((l) => l.split(/\s+/)[1])).toEqual(["abcd0", "abce", "abcde", "f0f0"]);
    expect((await at("search")).stdout.trimEnd().split("\n").slice(1).map((l) => l.split(/\s+/)[1])).toEqual([ids.a, ids.b, ids.c, ids.other]);
  });
});

describe("changes by filter", () => {
  test("done --tags x --states IN_PROGRESS changes exactly what the filter selects", async () => {
    const ids = await Promise.all(
      [["sprint", "IN_PROGRESS"], ["sprint", "NOT_STARTED"], ["other", "IN_PROGRESS"], ["sprint", "IN_PROGRESS"]].map(async ([tag, state]) =>
        idOf((await todo("add", `filter ${tag} ${state}`, `+${tag}`, "--state", state!)).stdout),
      ),
    );
    const r = await todo("done", "--tags", "sprint", "--states", "IN_PROGRESS");
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim().split("\n").sort()).toEqual([`done ${ids[0]}`, `done ${ids[3]}`].sort());
    expect((await json("read", ...ids)).map((t) => t.state)).toEqual(["STATE_DONE", "STATE_NOT_STARTED", "STATE_IN_PROGRESS", "STATE_DONE"]);
    expect((await todo("start", "+sprint")).stdout).toBe(`started ${ids[1]}\n`);
    expect((await todo("done", "--tags", "nothing-has-this")).stdout).toBe("no todos match: nothing done\n");
  });

  test("ids and a filter together, or neither, is exit 2", async () => {
    expect(await todo("done", "000000000000000000000001", "--tags", "x")).toEqual({ stdout: "", stderr: "todo: give ids or a filter, not both: todo done ID… or todo done --tags …\n", exitCode: 2 });
    expect((await todo("delete")).stderr).toStartWith("todo: which todos? give ids (todo delete ID…) or a filter");
    expect((await todo("delete")).exitCode).toBe(2);
  });

  test("delete by filter asks on a terminal, refuses without one, and deletes with --yes", async () => {
    const a = idOf((await todo("add", "old a", "+old")).stdout);
    const b = idOf((await todo("add", "old b", "+old")).stdout);
    const piped = await todo("delete", "--tags", "old");
    expect(piped).toEqual({ stdout: "", stderr: "todo: would delete 2 todos, but stdin is not a terminal to ask on: add --yes\n", exitCode: 2 });
    const no = await onTerminal(["delete", "--tags", "old", "--addr", daemon.addr], { columns: 80, input: "n\n" });
    expect(no.text).toContain("Delete 2 todos? [y/N]");
    expect(no.text).toContain("todo: nothing changed (answered no)");
    expect(no.exitCode).toBe(1);
    expect((await json("read", a, b)).length).toBe(2);
    const yes = await onTerminal(["delete", "--tags", "old", "--addr", daemon.addr], { columns: 80, input: "y\n" });
    expect(yes.exitCode).toBe(0);
    expect(yes.text).toContain(`deleted ${a}\ndeleted ${b}\n`);
    expect(await json("search", "+old")).toEqual([]);
  });

  test("done and start by a filter selecting more than 2 ask first, listing the first ones; refuse without a terminal; --yes changes them", async () => {
    const ids = [];
    for (const title of ["bulk a", "bulk b", "bulk c", "bulk d"]) ids.push(idOf((await todo("add", title, "+bulk")).stdout));
    const numbers = (await json("read", ...ids)).map((t) => t.number);
    const question = `4 todos (${numbers[0]} "bulk a", ${numbers[1]} "bulk b", ${numbers[2]} "bulk c", and 1 more)`;
    expect(await todo("done", "+bulk")).toEqual({ stdout: "", stderr: `todo: would mark ${question} done, but stdin is not a terminal to ask on: add --yes\n`, exitCode: 2 });
    const no = await onTerminal(["start", "+bulk", "--addr", daemon.addr], { columns: 80, input: "n\n" });
    expect(no.text).toContain(`Start ${question}? [y/N]`);
    expect(no.text).toContain("todo: nothing changed (answered no)");
    expect((await json("read", ...ids)).map((t) => t.state)).toEqual(Array(4).fill("STATE_NOT_STARTED"));
    const yes = await onTerminal(["done", "+bulk", "--addr", daemon.addr], { columns: 80, input: "y\n" });
    expect(yes.text).toContain(`Mark ${question} done? [y/N]`);
    expect(yes.text).toContain(ids.map((id) => `done ${id}\n`).join(""));
    expect((await todo("start", "+bulk", "--states", "DONE", "--yes")).stdout).toBe(ids.map((id) => `started ${id}\n`).join(""));
    // Ids a person typed, and a filter selecting fewer than 3, are not asked about.
    expect((await todo("done", ids[0]!, ids[1]!, ids[2]!)).exitCode).toBe(0);
    expect((await todo("done", "+bulk")).stdout).toBe(`done ${ids[3]}\n`);
  });

  test("500 todos deleted by one filter, 16 calls at a time", async () => {
    const dataDir = await seededDataDir(600, (i) => ({ title: `seeded ${i}`, tags: i < 500 ? ["old"] : ["keep"] }));
    const seeded = await startDaemon({ dataDir });
    try {
      const started = performance.now();
      const r = await cli(["delete", "--tags", "old", "--yes", "--addr", seeded.addr]);
      const seconds = (performance.now() - started) / 1000;
      console.log(`deleting 500 todos by filter took ${seconds.toFixed(1)} s`);
      expect(r.exitCode).toBe(0);
      expect(r.stdout.trim().split("\n")).toHaveLength(500);
      const left = (await cli(["search", "--json", "--addr", seeded.addr])).stdout.trim().split("\n");
      expect(left).toHaveLength(100);
      expect(left.every((l) => JSON.parse(l).tags[0] === "keep")).toBe(true);
    } finally {
      await seeded.stop();
    }
  });
});
