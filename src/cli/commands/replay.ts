// An admin command: opens the stores itself (stop the daemons on an embedded store first).
import { defineCommand } from "citty";
import { CliError } from "../errors";

const BATCH = 1_000;
/** A batch job, not a person waiting on a call: a busy MongoDB gets a minute per call. */
const CALL_TIMEOUT_MS = 60_000;

export default defineCommand({
  meta: {
    name: "replay",
    description: "Rebuild the todos from the event log: replay one store's log into an empty store (the log and the todos built from it)",
  },
  args: {
    "data-dir": { type: "string", description: "Replay the log of the embedded store in this directory", valueHint: "dir" },
    "mongo-url": { type: "string", description: "Replay the log of this MongoDB (env MONGO_URL)", valueHint: "url" },
    "mongo-db": { type: "string", description: "Its database, when the URL names none (default todo)", valueHint: "name" },
    "into-data-dir": { type: "string", description: "Into an empty embedded store in this directory", valueHint: "dir" },
    "into-mongo-url": { type: "string", description: "Into an empty MongoDB database at this URL", valueHint: "url" },
    "into-mongo-db": { type: "string", description: "Its database, when the URL names none", valueHint: "name" },
  },
  async run({ args }) {
    const { openStore } = await import("../../store/open");
    const from = args["mongo-url"] ?? process.env.MONGO_URL;
    const source =
      args["data-dir"] !== undefined
        ? ({ kind: "sqlite", dataDir: args["data-dir"] } as const)
        : from
          ? ({ kind: "mongo", url: from, database: args["mongo-db"], callTimeoutMS: CALL_TIMEOUT_MS } as const)
          : undefined;
    const target =
      args["into-data-dir"] !== undefined
        ? ({ kind: "sqlite", dataDir: args["into-data-dir"] } as const)
        : args["into-mongo-url"]
          ? ({ kind: "mongo", url: args["into-mongo-url"], database: args["into-mongo-db"], callTimeoutMS: CALL_TIMEOUT_MS } as const)
          : undefined;
    if (!source) throw new CliError("say which log to replay: --data-dir DIR or --mongo-url URL", 2);
    if (!target) throw new CliError("say where to rebuild: --into-data-dir DIR or --into-mongo-url URL (an empty store)", 2);
    const { store: input, description: inputName } = await openStore(source);
    const { store: output, description: outputName } = await openStore(target);
    try {
      if ((await output.headPosition()) > 0 || (await output.search({ tags: [], states: [], order: { field: "create_time", descending: false }, limit: 1 })).todos.length > 0)
        throw new CliError(`${outputName} is not empty: replay rebuilds into an empty store`, 2);
      // Events still on their way into the source's log (MongoDB's pending ones) are part of it.
      await input.settle();
      let after = 0;
      let count = 0;
      for (;;) {
        const events = await input.readEvents(after, BATCH);
        if (events.length === 0) break;
        await output.replay(events);
        count += events.length;
        after = events.at(-1)!.position;
      }
      console.log(`replayed ${count} event${count === 1 ? "" : "s"} of ${inputName} into ${outputName}`);
    } finally {
      await input.close();
      await output.close();
    }
  },
});
