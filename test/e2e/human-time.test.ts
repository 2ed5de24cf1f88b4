// Times as people write them, read in the local time zone (TZ) of the client, through the binary.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cli, type Daemon, startDaemon } from "../support/daemon";

let daemon: Daemon;
// Asia/Tokyo: UTC+9 all year (no DST), so the expected instants are plain arithmetic here.
const TOKYO = { TZ: "Asia/Tokyo" };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

/** Creates a todo with `--reminder text` in Tokyo and returns its reminder (ms), with the clock before and after. */
async function reminderOf(text: string): Promise<{ reminder: number; before: number; after: number }> {
  const before = Date.now();
  const r = await cli(["create", "--title", `at ${text}`, "--reminder", text, "--json", "--addr", daemon.addr], TOKYO);
  const after = Date.now();
  expect(r.stderr).toBe("");
  return { reminder: Date.parse(JSON.parse(r.stdout).reminder), before, after };
}

/** Midnight in Tokyo of the Tokyo day that `ms` falls on, plus `days`. */
const tokyoMidnight = (ms: number, days = 0) => Math.floor((ms + 9 * HOUR) / DAY) * DAY - 9 * HOUR + days * DAY;

test("tomorrow, tomorrow 9:00 and a weekday are local days; a day alone is its midnight", async () => {
  const tomorrow = await reminderOf("tomorrow");
  expect([tokyoMidnight(tomorrow.before, 1), tokyoMidnight(tomorrow.after, 1)]).toContain(tomorrow.reminder);
  const nine = await reminderOf("tomorrow 9:00");
  expect([tokyoMidnight(nine.before, 1) + 9 * HOUR, tokyoMidnight(nine.after, 1) + 9 * HOUR]).toContain(nine.reminder);
  expect((await reminderOf("tomorrow at 9am")).reminder).toBe(nine.reminder);
  const monday = await reminderOf("monday");
  const day = new Date(monday.reminder + 9 * HOUR);
  expect([day.getUTCDay(), day.getUTCHours(), day.getUTCMinutes()]).toEqual([1, 0, 0]);
  expect(monday.reminder).toBeGreaterThan(monday.before);
  expect(monday.reminder - monday.after).toBeLessThanOrEqual(7 * DAY);
});

test("+2h and +3d count from now", async () => {
  const inTwoHours = await reminderOf("+2h");
  expect(inTwoHours.reminder).toBeGreaterThanOrEqual(inTwoHours.before + 2 * HOUR - 1000);
  expect(inTwoHours.reminder).toBeLessThanOrEqual(inTwoHours.after + 2 * HOUR);
  const inThreeDays = await reminderOf("+3d");
  expect(inThreeDays.reminder).toBeGreaterThanOrEqual(inThreeDays.before + 3 * DAY - 1000);
  expect(inThreeDays.reminder).toBeLessThanOrEqual(inThreeDays.after + 3 * DAY);
});

test("a date alone is local midnight, a date-time without offset is local; RFC 3339 and unix seconds still work", async () => {
  expect((await reminderOf("2026-12-01")).reminder).toBe(Date.parse("2026-11-30T15:00:00Z"));
  expect((await reminderOf("2026-12-01 09:30")).reminder).toBe(Date.parse("2026-12-01T00:30:00Z"));
  expect((await reminderOf("2026-12-01T09:30")).reminder).toBe(Date.parse("2026-12-01T00:30:00Z"));
  expect((await reminderOf("2026-12-01T09:30:00+01:00")).reminder).toBe(Date.parse("2026-12-01T08:30:00Z"));
  expect((await reminderOf("1573228261")).reminder).toBe(1_573_228_261_000);
});

test("a millisecond epoch gets a hint, and nothing the grammar does not know is guessed; neither creates anything", async () => {
  const before = (await cli(["search", "--json", "--addr", daemon.addr])).stdout;
  const ms = await cli(["create", "--title", "t", "--reminder", "1764547200000", "--addr", daemon.addr]);
  expect(ms).toEqual({ stdout: "", stderr: "todo: --reminder: 1764547200000 looks like milliseconds since the epoch; give seconds (1764547200) or a date\n", exitCode: 2 });
  for (const text of ["12/01", "buy milk tomorrow", "2026-02-30", "tomorrow 25:00"]) {
    const r = await cli(["create", "--title", "t", "--reminder", text, "--addr", daemon.addr], TOKYO);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toStartWith(`todo: --reminder: "${text}" is not a`);
  }
  expect((await cli(["search", "--json", "--addr", daemon.addr])).stdout).toBe(before);
});

test("filters take the same times", async () => {
  const r = await cli(["search", "--reminder-after", "2026-12-01", "--reminder-before", "2026-12-02", "--json", "--addr", daemon.addr], TOKYO);
  expect(r.exitCode).toBe(0);
  const found = r.stdout.trim().split("\n").map((l) => JSON.parse(l).reminder);
  expect(found.length).toBeGreaterThan(0);
  for (const reminder of found) expect(reminder >= "2026-11-30T15:00:00Z" && reminder < "2026-12-01T15:00:00Z").toBe(true);
});
