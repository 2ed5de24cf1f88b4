// `todo modify` through the compiled binary (issue 21): +tag and -tag on their own, due: and state:
// words, title words; a change to more than 2 todos asks, and without a terminal refuses without --yes.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cli, type Daemon, startDaemon } from "../support/daemon";

let daemon: Daemon;
const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);
const read = async (word: string) => JSON.parse((await todo("read", word, "--json")).stdout) as { id: string; title: string; tags?: string[]; state: string; reminder?: string; etag: string };

beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

test("modify adds and removes single tags, sets due: and state:, and retitles with words", async () => {
  for (const words of [["buy", "milk", "+work", "+shop"], ["bread", "+shop"], ["eggs", "+shop"]]) expect((await todo("add", ...words)).exitCode).toBe(0);
  const milk = await read("1");
  expect(await todo("modify", "1", "+home", "-work", "due:2030-01-02 09:00")).toEqual({ stdout: `modified ${milk.id}\n`, stderr: "", exitCode: 0 });
  const after = await read("1");
  expect(after).toMatchObject({ title: "buy milk", tags: ["shop", "home"], state: "STATE_NOT_STARTED" });
  expect(new Date(after.reminder!).getTime()).toBe(new Date(2030, 0, 2, 9, 0).getTime());
  expect((await todo("modify", "2", "brown", "bread", "state:started")).exitCode).toBe(0);
  expect(await read("2")).toMatchObject({ title: "brown bread", state: "STATE_IN_PROGRESS", tags: ["shop"] });
  // Nothing that differs: nothing written.
  const { id, etag } = await read("2");
  expect(await todo("modify", "2", "state:started", "+shop")).toEqual({ stdout: `${id} is already so: nothing written\n`, stderr: "", exitCode: 0 });
  expect((await read("2")).etag).toBe(etag);
  expect((await todo("modify", "1", "due:")).exitCode).toBe(0);
  expect((await read("1")).reminder).toBeUndefined();
}, 60_000);

test("a change to more than 2 todos asks first: without a terminal it refuses unless --yes, listing the first ones", async () => {
  const before = await Promise.all(["1", "2", "3"].map(read));
  expect(await todo("modify", "--tags", "shop", "+errand")).toEqual({
    stdout: "",
    stderr: 'todo: would change 3 todos (1 "buy milk", 2 "brown bread", 3 "eggs"), but stdin is not a terminal to ask on: add --yes\n',
    exitCode: 2,
  });
  expect(await Promise.all(["1", "2", "3"].map(read))).toEqual(before);
  const r = await todo("modify", "--tags", "shop", "+errand", "--yes");
  expect(r.exitCode).toBe(0);
  expect(r.stdout.split("\n").filter(Boolean)).toHaveLength(3);
  for (const word of ["1", "2", "3"]) expect((await read(word)).tags).toContain("errand");
  // Two at most: no question.
  expect((await todo("modify", "1", "2", "-errand")).exitCode).toBe(0);
}, 60_000);

test("todo add takes the same due: and state: words; after -- they are the title's", async () => {
  const id = (await todo("add", "call", "Ana", "due:2030-01-03 10:00", "state:started", "+calls")).stdout.trim().split(" ")[1]!;
  const added = await read(id);
  expect(added).toMatchObject({ title: "call Ana", state: "STATE_IN_PROGRESS", tags: ["calls"] });
  expect(new Date(added.reminder!).getTime()).toBe(new Date(2030, 0, 3, 10, 0).getTime());
  // The address before --: after it, every word is the title's.
  const literal = (await cli(["add", "--addr", daemon.addr, "--", "due:tomorrow", "is", "a", "word"])).stdout.trim().split(" ")[1]!;
  expect(await read(literal)).toMatchObject({ title: "due:tomorrow is a word", state: "STATE_NOT_STARTED" });
  expect(await todo("add", "x", "due:soon")).toMatchObject({ stderr: expect.stringContaining("due:"), exitCode: 2 });
}, 60_000);
