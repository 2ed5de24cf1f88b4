// `todo done` on a todo already done (and `todo start` on one started) writes nothing (issue 21): no
// new version, no event, and it says so.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cli, type Daemon, startDaemon } from "../support/daemon";

let daemon: Daemon;
const todo = (...args: string[]) => cli([...args, "--addr", daemon.addr]);
const read = async (id: string) => JSON.parse((await todo("read", id, "--json")).stdout) as { etag: string; updateTime: string; state: string };
const appended = async () => Number(/^todo_events_appended_total (\S+)$/m.exec(await (await fetch(`${daemon.httpUrl}/metrics`)).text())?.[1]);

beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

test("done on a done todo, start on a started one: nothing written, and said", async () => {
  const id = (await todo("add", "water the plants")).stdout.trim().split(" ")[1]!;
  expect(await todo("done", id)).toEqual({ stdout: `done ${id}\n`, stderr: "", exitCode: 0 });
  const before = await read(id);
  const events = await appended();
  expect(events).toBeGreaterThan(0);
  expect(await todo("done", id)).toEqual({ stdout: `${id} is already done: nothing written\n`, stderr: "", exitCode: 0 });
  expect(await todo("done", id.slice(0, 8), "--json")).toMatchObject({ stdout: expect.stringContaining(`"etag":"${before.etag}"`), exitCode: 0 });
  expect(await todo("done", "--states", "DONE", "--pattern", "water")).toEqual({ stdout: `${id} is already done: nothing written\n`, stderr: "", exitCode: 0 });
  expect(await read(id)).toEqual(before);
  expect(await appended()).toBe(events);

  expect(await todo("start", id)).toEqual({ stdout: `started ${id}\n`, stderr: "", exitCode: 0 });
  const started = await read(id);
  expect(await todo("start", id)).toEqual({ stdout: `${id} is already started: nothing written\n`, stderr: "", exitCode: 0 });
  expect(await read(id)).toEqual(started);
});
