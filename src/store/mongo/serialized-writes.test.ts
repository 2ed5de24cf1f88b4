// One daemon on FerretDB lost an acknowledged update (the history checker, docs/history.md): a write
// whose call expired left its update queued at the server, the next write to that todo read the version
// before it, and FerretDB (an update is a read, then a replacement) let both match. So a write's turn
// lasts until the commands of the one before it have ended, not until that one's caller gave up.
// Here a proxy holds the expired write's update; the next write must send nothing until it is released.
import { afterAll, expect, test } from "bun:test";
import { connect, createServer, type Socket } from "node:net";
import { startFerretDb } from "../../../test/support/ferretdb";
import { findTool } from "../../../test/support/tools";
import { OutcomeUnknownError } from "../../todos/errors";
import { MongoStore } from "./mongo-store";

const UPDATE = Buffer.from("\x02update\x00", "latin1");
const FIND = Buffer.from("\x02find\x00", "latin1");

/** Forwards to `port`; once armed, the first connection to send an update has it and all it sends after held until release(). */
async function holdingProxy(port: number) {
  let armed = false;
  let holding: Socket | undefined;
  const held: Buffer[] = [];
  let upstreamOfHeld: Socket | undefined;
  let findsWhileHolding = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(port, "127.0.0.1");
    sockets.add(client).add(upstream);
    client.on("data", (data: Buffer) => {
      if (armed && !holding && data.includes(UPDATE)) {
        holding = client;
        upstreamOfHeld = upstream;
      }
      if (client === holding) return void held.push(data);
      if (holding && data.includes(FIND)) findsWhileHolding++;
      upstream.write(data);
    });
    upstream.on("data", (data: Buffer) => client.write(data));
    for (const socket of [client, upstream]) {
      socket.on("error", () => {});
      socket.on("close", () => (socket === client ? upstream : client).destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    arm: () => void (armed = true),
    get holding() {
      return holding !== undefined;
    },
    get findsWhileHolding() {
      return findsWhileHolding;
    },
    release() {
      for (const data of held.splice(0)) upstreamOfHeld!.write(data);
      holding = undefined;
      armed = false;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const binary = process.env.MONGO_URL ? undefined : findTool("ferretdb");
const server = binary ? await startFerretDb(binary) : undefined;
afterAll(() => server?.dispose());

test.skipIf(!server)("a write queued behind one whose call expired sends nothing until that call's update has been answered", async () => {
  const proxy = await holdingProxy(server!.port);
  const store = MongoStore.open({ url: `mongodb://127.0.0.1:${proxy.port}/serialized_${process.pid}`, callTimeoutMS: 1000 });
  try {
    await store.prepare();
    const { todo } = await store.create({ title: "v1", description: "", tags: [], reminder: null, state: "STATE_NOT_STARTED" });
    await store.settle();
    proxy.arm();
    const first = await store.update(todo.id, { title: "first" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(proxy.holding).toBe(true);
    expect(first).toBeInstanceOf(OutcomeUnknownError);
    const second = store.update(todo.id, { title: "second" });
    await Bun.sleep(500);
    // Before the fix, the second write read the version here, while the first update was still unanswered.
    expect(proxy.findsWhileHolding).toBe(0);
    proxy.release();
    const change = await second;
    expect(change.todo).toMatchObject({ title: "second", version: 3 });
    expect(await store.get(todo.id)).toMatchObject({ title: "second", version: 3 });
    await store.settle();
    expect((await store.readEvents(0, 10)).map((e) => [e.kind, e.version, e.todo.title])).toEqual([
      ["created", 1, "v1"],
      ["updated", 2, "first"],
      ["updated", 3, "second"],
    ]);
  } finally {
    await store.close();
    await proxy.close();
  }
}, 30_000);
