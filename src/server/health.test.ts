// Readiness over a real store whose server is down, with the event loop kept busy as on a loaded
// machine: the reason must still be the store's own (which server, what went wrong), not a bare timeout.
import { expect, test } from "bun:test";
import { startFerretDb } from "../../test/support/ferretdb";
import { toolOrSkip } from "../../test/support/tools";
import { MongoStore } from "../store/mongo";
import { Readiness } from "./health";
import { createLogger } from "./logger";

const ferretdb = toolOrSkip("ferretdb", "readiness over MongoDB");

/** Keeps the event loop from running anything for `ms`, as a machine with no CPU to spare does. */
function busy(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

test.skipIf(!ferretdb)("while MongoDB is down, readiness names it and the cause, even when every timer fires late", async () => {
  const server = await startFerretDb(ferretdb!);
  const store = MongoStore.open({ url: `${server.url}todo` });
  const readiness = new Readiness(store, ["todo.v1.TodoService"], createLogger("silent", "json"));
  try {
    expect(await readiness.check()).toBeNull();
    await server.stop("SIGKILL");
    const reasons: string[] = [];
    for (let i = 0; i < 3; i++) {
      const check = readiness.check();
      // Past both the store's ping bound and readiness's own 2 s: whichever timer fires first decides.
      busy(2500);
      reasons.push((await check)!);
    }
    // The first ping may fire before the event loop has even seen the connection close: then "no answer"
    // is all there is to say, and it is said of MongoDB at its address.
    for (const reason of reasons)
      expect(reason).toMatch(new RegExp(`^MongoDB at ${server.url}todo (cannot be reached \\(.+\\); the daemon retries by itself|did not answer a ping within 1500 ms)$`));
    // By the last check the driver has seen the connection go: the cause is the OS's once it has tried
    // to reconnect (a refusal, or a reset when the port's last connection was still closing), else the
    // close itself (with the event loop this busy, it may not have tried yet), the monitor's own included
    // (the patched driver fails its check when its socket closes under it: patches/).
    expect(reasons.at(-1)).toMatch(/\((ECONNREFUSED|ECONNRESET|connection (\d+|<monitor>) to \S+ closed)\)/);
  } finally {
    await store.close();
    await server.dispose();
  }
}, 60_000);
