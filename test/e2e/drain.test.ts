// SIGTERM lets a call already running finish: a pattern search that checks every one of many rows is
// in flight when the signal arrives, and still answers OK before the daemon exits 0. The client is
// Node.js (see node-client.mjs).
import { expect, test } from "bun:test";
import { startDaemon } from "../support/daemon";
import { nodeClient } from "../support/node-client";
import { seededDataDir } from "../support/seed";

const ROWS = 60_000;

test("an in-flight call completes during the drain", async () => {
  const dataDir = await seededDataDir(ROWS, (i) => ({ title: `todo ${i}`, description: "x".repeat(200) }));
  const daemon = await startDaemon({ dataDir });
  const outcome = await nodeClient(["drain", daemon.addr, String(daemon.pid), "60"], 90);
  expect(outcome).toMatchObject({ code: 0, todos: 0 });
  expect(await daemon.process.exited).toBe(0);
  const messages = daemon.logs().map((l) => (l.msg === "call" ? `call ${l.method}` : l.msg));
  // The search's access-log line comes after the drain began: it was in flight, and it finished.
  expect(messages.indexOf("call /todo.v1.TodoService/SearchTodos")).toBeGreaterThan(messages.indexOf("draining"));
  expect(messages.at(-1)).toBe("stopped");
  console.log(`search over ${ROWS} rows took ${outcome.ms} ms and finished during the drain`);
});
