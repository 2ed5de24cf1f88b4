// Words never misread (issue 21): a word that could continue a flag's value (a time after a --reminder
// date, desc after --order-by) is refused with the quoted form to type, never taken into the title or
// the pattern; `+1` is refused rather than made a tag named "1". Refused: exit 2, nothing stored.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cli, type Daemon, startDaemon } from "../support/daemon";

let daemon: Daemon;
const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);
const stored = async () =>
  (await todo("search", "--json")).stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { title: string; tags: string[]; reminder: string | null });

beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

test("a time after a --reminder date is refused, with the quoted form", async () => {
  expect(await todo("add", "buy", "bread", "--reminder", "tomorrow", "9:00", "+shop")).toEqual({
    stdout: "",
    stderr: `todo: "9:00" after --reminder tomorrow would be read as an argument of todo add, not as part of --reminder: write --reminder "tomorrow 9:00" (or put -- before 9:00 if it is an argument)\n`,
    exitCode: 2,
  });
  expect(await todo("add", "call", "mum", "--reminder", "friday", "5pm")).toMatchObject({ stderr: expect.stringContaining(`write --reminder "friday 5pm"`), exitCode: 2 });
  expect(await todo("search", "--reminder-before", "tomorrow", "18:30")).toMatchObject({ stderr: expect.stringContaining(`write --reminder-before "tomorrow 18:30"`), exitCode: 2 });
  expect(await stored()).toEqual([]);
  // Quoted, it is the time; the title is the words.
  expect(await todo("add", "buy", "bread", "--reminder", "tomorrow 9:00", "+shop")).toMatchObject({ exitCode: 0, stderr: "" });
  const [bread] = await stored();
  expect(bread).toMatchObject({ title: "buy bread", tags: ["shop"] });
  expect(new Date(bread!.reminder!).getHours()).toBe(9);
});

test("desc after --order-by is refused, not made the search pattern", async () => {
  expect(await todo("ls", "--order-by", "reminder", "desc")).toEqual({
    stdout: "",
    stderr: `todo: "desc" after --order-by reminder would be read as an argument of todo ls, not as part of --order-by: write --order-by "reminder desc" (or put -- before desc if it is an argument)\n`,
    exitCode: 2,
  });
  expect(await todo("ls", "--order-by", "reminder desc")).toMatchObject({ exitCode: 0, stdout: expect.stringContaining("buy bread") });
});

test("+1 is refused rather than stored as a tag named 1; after -- it is a word", async () => {
  expect(await todo("add", "+1", "the", "PR")).toEqual({
    stdout: "",
    stderr: `todo: "+1" would be a tag named "1": for a word, put -- before it (todo add -- +1 …); for the tag, --tags 1\n`,
    exitCode: 2,
  });
  expect((await stored()).map((t) => t.title)).toEqual(["buy bread"]);
  expect(await cli(["add", "--addr", daemon.addr, "--", "+1", "the", "PR"])).toMatchObject({ exitCode: 0 });
  const pr = (await stored()).find((t) => t.title === "+1 the PR");
  expect(pr).toBeDefined();
  expect(pr!.tags ?? []).toEqual([]);
});
