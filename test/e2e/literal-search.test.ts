// `todo search WORD` and `todo ls WORD` find the text a person typed (issue 21): literal, smart-case as
// ripgrep (case ignored unless the word holds a capital); /re/ and --pattern stay RE2.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cli, type Daemon, startDaemon } from "../support/daemon";

let daemon: Daemon;
const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);

beforeAll(async () => {
  daemon = await startDaemon();
  for (const title of ["learn C++ templates", "pay $5 (cash)", "pay 5 dollars", "rent", "RENT for June", "a.b test", "axb test"])
    expect(await cli(["add", "--addr", daemon.addr, "--", title])).toMatchObject({ exitCode: 0 });
});
afterAll(async () => {
  await daemon.stop();
});

/** The titles a command lists, sorted (from --json). */
async function titles(...args: string[]): Promise<string[]> {
  const r = await todo(...args, "--json");
  expect(r).toMatchObject({ stderr: "", exitCode: 0 });
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l).title as string)
    .sort();
}

test("metacharacters are text", async () => {
  expect(await titles("search", "C++")).toEqual(["learn C++ templates"]);
  expect(await titles("search", "pay $5")).toEqual(["pay $5 (cash)"]);
  expect(await titles("ls", "$5 (cash)")).toEqual(["pay $5 (cash)"]);
  expect(await titles("search", "a.b")).toEqual(["a.b test"]);
});

test("smart case: lower case finds any case, a capital only itself", async () => {
  expect(await titles("search", "rent")).toEqual(["RENT for June", "rent"]);
  expect(await titles("search", "RENT")).toEqual(["RENT for June"]);
  expect(await titles("ls", "june")).toEqual(["RENT for June"]);
});

test("/re/ and --pattern stay RE2, as the original's users wrote them", async () => {
  expect(await titles("search", "/a.b/")).toEqual(["a.b test", "axb test"]);
  expect(await titles("search", "--pattern", "a.b")).toEqual(["a.b test", "axb test"]);
  expect(await titles("search", "--pattern", "rent")).toEqual(["rent"]);
  expect(await titles("search", "/^pay \\$5/")).toEqual(["pay $5 (cash)"]);
});
