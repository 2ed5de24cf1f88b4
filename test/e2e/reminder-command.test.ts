// Reminders reach the person (issue 21): the daemon hands each reminder it fires to the program in
// TODO_REMINDER_COMMAND, started without a shell (the title is an argument, never code), and the daemon
// todo starts itself hands them to the desktop's notifier (notify-send here, a stand-in that writes a file).
import { afterAll, expect, test } from "bun:test";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, startDaemon } from "../support/daemon";
import { tempDirs } from "../support/temp";

// Registered before tempDirs' hook, so the daemons stop before their directories go.
const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});
const tempDir = tempDirs();

/** A program that writes its argument count, arguments and TODO_* variables to `out` (whole, by a rename). */
function recorder(dir: string, name: string, out: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n{ echo "argc=$#"; for a in "$@"; do echo "arg=$a"; done; env | grep '^TODO_' | sort; } > "${out}.tmp" && mv "${out}.tmp" "${out}"\n`);
  chmodSync(path, 0o755);
  return path;
}

/** The file's text once it exists, polling up to 20 s. */
async function eventually(path: string): Promise<string> {
  const until = Date.now() + 20_000;
  while (!existsSync(path)) {
    if (Date.now() > until) throw new Error(`${path} was not written within 20 s`);
    await Bun.sleep(50);
  }
  return readFileSync(path, "utf8");
}

const soon = () => new Date(Date.now() + 1500).toISOString();

test("a configured program gets each reminder as it fires, the title as data", async () => {
  const dir = tempDir("reminder-command");
  const out = join(dir, "fired");
  const daemon = await startDaemon({ env: { TODO_REMINDER_COMMAND: recorder(dir, "remind", out) } });
  stops.push(() => daemon.stop("SIGKILL"));
  const title = `pay $5 "now"; touch ${dir}/pwned $(touch ${dir}/pwned2) \`touch ${dir}/pwned3\``;
  const add = await cli(["add", "--addr", daemon.addr, "--reminder", soon(), "+bills", "--", title]);
  expect(add).toMatchObject({ exitCode: 0, stderr: "" });
  const id = add.stdout.trim().split(" ")[1];
  const text = await eventually(out);
  expect(text.split("\n")).toEqual(expect.arrayContaining(["argc=1", `arg=${title}`, `TODO_ID=${id}`, `TODO_TITLE=${title}`, "TODO_TAGS=bills"]));
  expect(text).toMatch(/^TODO_REMINDER=\d{4}-\d\d-\d\dT/m);
  for (const f of ["pwned", "pwned2", "pwned3"]) expect(existsSync(join(dir, f))).toBe(false);
  // The daemon's own secrets stay out of the program's environment.
  expect(text).not.toContain("TODO_AUTH_TOKENS");
}, 60_000);

test("the daemon todo starts itself shows reminders on the desktop (notify-send)", async () => {
  const HOME = tempDir("reminder-home");
  const bin = tempDir("reminder-bin");
  const out = join(bin, "notified");
  recorder(bin, "notify-send", out);
  const env = { HOME, PATH: `${bin}:${process.env.PATH}` };
  const add = await cli(["add", "call Ana", "--reminder", soon()], env);
  const { pid } = JSON.parse(readFileSync(join(HOME, ".local/state/todo/daemon.json"), "utf8"));
  stops.push(async () => {
    try {
      process.kill(pid, "SIGKILL");
    } catch {} // stopped by the test
  });
  expect(add).toMatchObject({ exitCode: 0, stderr: expect.stringContaining("started a local todo daemon") });
  const text = await eventually(out);
  expect(text.split("\n")).toEqual(expect.arrayContaining(["argc=3", "arg=--app-name=todo", "arg=call Ana", "TODO_TITLE=call Ana"]));
  expect(await cli(["daemon", "stop"], env)).toMatchObject({ exitCode: 0 });
}, 60_000);
