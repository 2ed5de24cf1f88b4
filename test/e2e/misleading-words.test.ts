// Misleading words (issue 21, item 8): each message names the real cause and the next step. A word
// that is no id is not called a malformed id; -t is not only the original's timeout; an address
// without a port says the port is missing; Ctrl-C at a question ends on a line of its own.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ensureBinary } from "../support/binary";
import { cli, type Daemon, hidden, startDaemon } from "../support/daemon";
import { stopProcess } from "../support/process";
import { scaled } from "../support/time";

let daemon: Daemon;
const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);

beforeAll(async () => {
  daemon = await startDaemon();
  for (const title of ["buy milk", "buy bread"]) expect((await todo("add", title, "+shop")).exitCode).toBe(0);
});
afterAll(async () => {
  await daemon.stop();
});

const titles = async () => (await todo("search", "--json")).stdout.trim().split("\n").map((l) => JSON.parse(l).title).sort();

test("todo done milk: neither an id nor a prefix, and the command that means it", async () => {
  expect(await todo("done", "milk")).toEqual({
    stdout: "",
    stderr: `todo: "milk" is neither a todo id nor an id prefix (hex digits); for the todos it matches: todo done --pattern milk (to see them first: todo search milk)\n`,
    exitCode: 2,
  });
  expect(await todo("delete", "pay $5")).toMatchObject({ stderr: expect.stringContaining(`todo delete --pattern 'pay \\$5' (to see them first: todo search 'pay $5')`), exitCode: 2 });
  expect(await todo("read", "milk")).toMatchObject({ stderr: expect.stringContaining(`"milk" is neither a todo id nor an id prefix (hex digits); for the todos it matches: todo search milk\n`), exitCode: 2 });
  expect(await titles()).toEqual(["buy bread", "buy milk"]);
});

test("-t names --tags and +tag words, not only the original client's timeout", async () => {
  expect(await todo("add", "milk", "-t", "shop")).toEqual({
    stdout: "",
    stderr: "todo: unknown flag -t for todo add: tags are --tags a,b or +tag words (the original client's -t, a timeout, is --timeout seconds) (see todo add --help)\n",
    exitCode: 2,
  });
});

test("--addr without a port says the port is missing", async () => {
  expect(await cli(["ls", "--addr", "localhost"])).toEqual({ stdout: "", stderr: `todo: --addr / TODO_ADDR: "localhost" has no port: write host:port, e.g. localhost:8080\n`, exitCode: 2 });
});

test("Ctrl-C at the delete question: the message on a new line, nothing deleted", async () => {
  const binary = await ensureBinary();
  const command = `stty cols 80 rows 50; exec '${binary}' delete +shop --addr ${daemon.addr}`;
  const proc = Bun.spawn(hidden(["script", "-qefc", command, "/dev/null"]), { env: { PATH: process.env.PATH!, HOME: process.env.HOME!, TERM: "xterm-256color" }, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  let screen = "";
  const reading = (async () => {
    for await (const chunk of proc.stdout) screen += new TextDecoder().decode(chunk);
  })();
  try {
    const until = Date.now() + scaled(15_000);
    while (!screen.includes("[y/N] ")) {
      if (Date.now() > until) throw new Error(`no question on the screen: ${JSON.stringify(screen)}`);
      await Bun.sleep(20);
    }
    proc.stdin.write("\x03");
    await proc.stdin.flush();
    expect(await proc.exited).toBe(1);
    await reading;
  } finally {
    await stopProcess(proc, "SIGKILL", 1_000);
  }
  // Without readline's cursor moves (CSI sequences): what the person reads.
  expect(screen.replace(/\r\n/g, "\n").replace(/\x1b\[[0-9;]*[A-Za-z]/g, "")).toMatch(/Delete 2 todos\? \[y\/N\] (\^C)?\ntodo: nothing changed \(no answer\)\n$/);
  expect(await titles()).toEqual(["buy bread", "buy milk"]);
}, 30_000);
