// Strict input and help, through the compiled binary: every unknown flag or unexpected argument is an
// error (exit 2) that names it, suggests the flag probably meant, and changes nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cli, type Daemon, startDaemon } from "../support/daemon";

let daemon: Daemon;
const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);
const allTodos = async () => (await todo("search", "--json")).stdout;

beforeAll(async () => {
  daemon = await startDaemon();
  await todo("create", "--title", "already there");
});
afterAll(async () => {
  await daemon.stop();
});

/** One line on stderr, exit 2, nothing on stdout. */
function expectUsageError(r: { stdout: string; stderr: string; exitCode: number }, ...parts: string[]) {
  expect(r.stdout).toBe("");
  expect(r.exitCode).toBe(2);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  for (const part of parts) expect(r.stderr).toContain(part);
}

describe("strict input", () => {
  test("an unknown flag is exit 2, named, with the closest valid flag, and changes nothing", async () => {
    const before = await allTodos();
    const cases: [string[], string, string][] = [
      [["search", "--state", "DONE"], "--state", "did you mean --states?"],
      [["search", "--tag", "home"], "--tag", "did you mean --tags?"],
      [["search", "--patern", "x"], "--patern", "did you mean --pattern?"],
      [["search", "--order_by", "title"], "--order_by", "did you mean --order-by?"],
      [["create", "--title", "x", "--priority", "H"], "--priority", "todo create"],
      [["create", "--titel", "x"], "--titel", "did you mean --title?"],
      [["update", "--id", "5dc58ee5d954d9bc69be5523", "--reminder-at", "1"], "--reminder-at", "todo update"],
    ];
    for (const [args, named, hint] of cases) expectUsageError(await todo(...args), `unknown flag ${named} `, hint);
    expect(await allTodos()).toBe(before);
  });

  test("the original todo-cli's -o/--host, -p/--port, -a and -t name what replaced them", async () => {
    for (const flag of ["-o", "--host", "-p", "--port", "-a"]) expectUsageError(await cli(["search", flag, "x"]), `unknown flag ${flag} `, "did you mean --addr host:port?");
    // To everyone else -t is tags: both are named.
    expectUsageError(await cli(["search", "-t", "3s"]), "tags are --tags a,b or +tag words (the original client's -t, a timeout, is --timeout seconds)");
  });

  test("serve refuses a flag it does not have instead of starting on the default port", async () => {
    expectUsageError(await cli(["serve", "--port", "9999"]), "unknown flag --port for todo serve; did you mean --grpc-port or --http-port?");
  });

  test("an unexpected argument is exit 2 and named", async () => {
    expectUsageError(await todo("export", "todos.jsonl"), 'unexpected argument "todos.jsonl": todo export takes no arguments');
  });

  test("a missing required flag or value is exit 2", async () => {
    expectUsageError(await todo("read"), "which todo? give its id");
    expectUsageError(await todo("create", "--title"), "--title needs a value");
    expectUsageError(await todo("create", "--title", "--json"), "--title needs a value, got the flag --json", "--title=--json");
    expectUsageError(await todo("create", "--title", "t", "--title", "u"), "--title is given twice");
    expectUsageError(await todo("search", "--json=yes"), '--json takes no value (or =true, =false), got "yes"');
  });

  test("an unknown command suggests the one meant", async () => {
    expectUsageError(await cli(["serach"]), 'unknown command "serach"; did you mean search?');
    expectUsageError(await cli(["remove"]), 'unknown command "remove"; did you mean delete?');
    expectUsageError(await cli(["--json", "search"]), "flags go after it, as in todo search --json");
  });

  test("a value that starts with -- goes with =, and -- ends the flags", async () => {
    const r = await todo("create", "--title=--weird title");
    expect(r.exitCode).toBe(0);
    const id = /[0-9a-f]{24}/.exec(r.stdout)![0];
    expect(JSON.parse((await todo("read", "--id", id, "--json")).stdout).title).toBe("--weird title");
  });
});

describe("help", () => {
  test("todo alone prints the overview and exits 0", async () => {
    const r = await cli([]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toStartWith("Usage: todo <command>");
    expect(r.stdout).toContain("search");
    expect((await cli(["--help"])).stdout).toBe(r.stdout);
    expect((await cli(["help"])).stdout).toBe(r.stdout);
  });

  test("piped, help has no colour codes, no trailing spaces, and wraps at 80 columns between words", async () => {
    for (const args of [["--help"], ["search", "--help"], ["create", "--help"], ["serve", "--help"], ["help", "update"]]) {
      const r = await cli(args);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).not.toContain("\x1b");
      for (const line of r.stdout.split("\n")) {
        expect(line).toBe(line.trimEnd());
        expect(Bun.stringWidth(line)).toBeLessThanOrEqual(80);
      }
    }
    // A description longer than a line reads whole once its lines are joined: no word was cut.
    const help = (await cli(["search", "--help"])).stdout.replace(/\n +/g, " ");
    expect(help).toContain("TLS without checking the server's certificate or name (tests only: anyone in between can read and change the calls)");
  });
});
