// Layout for people on a terminal (issue 21, item 7): a column nobody filled (no todo has a
// description) gives its room to the titles; due times in lists are relative (in 2d, 3h ago); `todo
// read` wraps a long description at word boundaries under its label; a terminal shows one time format
// (local 2026-11-27 09:00), a pipe RFC 3339 with the offset.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { onTerminal, withoutColour } from "../support/pty";

let daemon: Daemon;
const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);
const TITLE = "call the plumber about the leaking tap";
const DESCRIPTION =
  "The plumber said to call back after lunch; mention the washer that was replaced last spring and ask whether the warranty still covers the part and the labour";
let withDescription = "";

beforeAll(async () => {
  daemon = await startDaemon();
  for (const args of [[TITLE, "--reminder", "-3h"], ["pay the rent", "--reminder", "+2d"], ["read the manual"]]) expect((await todo("add", ...args)).exitCode).toBe(0);
});
afterAll(async () => {
  await daemon.stop();
});

const screenLines = async (args: string[], columns: number, env: Record<string, string> = {}) =>
  withoutColour((await onTerminal([...args, "--addr", daemon.addr], { columns, env })).text)
    .trimEnd()
    .split("\n");

test("at 80 columns empty columns are dropped before a title is cut; reminders are relative", async () => {
  const lines = await screenLines(["ls"], 80);
  expect(lines[0]).toMatch(/^# +ID +STATE +TITLE +REMINDER$/);
  for (const line of lines) expect(Bun.stringWidth(line)).toBeLessThanOrEqual(80);
  const row = (title: string) => lines.find((l) => l.includes(title))!.split(/ {2,}/);
  expect(row(TITLE).slice(3)).toEqual([TITLE, "3h ago"]);
  expect(row("pay the rent").slice(3)).toEqual(["pay the rent", "in 2d"]);
  expect(row("read the manual").slice(3)).toEqual(["read the manual", "-"]);
  // Piped, the exact time and every column, as before.
  const piped = (await todo("ls")).stdout.split("\n");
  expect(piped[0]).toMatch(/^# +ID +STATE +TITLE +DESCRIPTION +TAGS +REMINDER$/);
  expect(piped.find((l) => l.includes("pay the rent"))).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
});

test("todo read wraps a long description at word boundaries under its label", async () => {
  const r = await todo("add", "a todo with a long description", "--description", DESCRIPTION);
  withDescription = /[0-9a-f]{24}/.exec(r.stdout)![0];
  const lines = await screenLines(["read", withDescription], 60);
  for (const line of lines) expect(Bun.stringWidth(line)).toBeLessThanOrEqual(60);
  const start = lines.findIndex((l) => l.startsWith("Description  "));
  const end = lines.findIndex((l) => l.startsWith("State "));
  const description = lines.slice(start, end);
  expect(description.length).toBeGreaterThan(2);
  // Every line after the first sits under the value, and the words come back whole.
  for (const line of description.slice(1)) expect(line).toMatch(/^ {13}\S/);
  expect(description.map((l) => l.slice(13)).join(" ")).toBe(DESCRIPTION);
});

test("one time format on a terminal: local date and minute, in the record as in the watch and lists", async () => {
  const record = await screenLines(["read", withDescription], 80, { TZ: "Asia/Kolkata" });
  const created = record.find((l) => l.startsWith("Created "))!;
  expect(created).toMatch(/^Created {6}\d{4}-\d\d-\d\d \d\d:\d\d$/);
  // Piped: RFC 3339 with the local offset.
  expect((await cli(["read", withDescription, "--addr", daemon.addr], { TZ: "Asia/Kolkata" })).stdout).toMatch(/^Created {6}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+05:30$/m);
});
