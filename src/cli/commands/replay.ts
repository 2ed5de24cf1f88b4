// An admin command: opens the stores itself. The embedded store it rebuilds is locked as a daemon locks
// it, so a daemon holding it refuses the replay (and a daemon started during it refuses to start).
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
        ? ({ kind: "sqlite", dataDir: args["into-data-dir"], exclusive: true } as const)
        : args["into-mongo-url"]
          ? ({ kind: "mongo", url: args["into-mongo-url"], database: args["into-mongo-db"], callTimeoutMS: CALL_TIMEOUT_MS } as const)
          : undefined;
    if (!source) throw new CliError("say which log to replay: --data-dir DIR or --mongo-url URL", 2);
    if (!target) throw new CliError("say where to rebuild: --into-data-dir DIR or --into-mongo-url URL (an empty store)", 2);
    const { replayLog, InvalidLogError, TargetNotEmptyError } = await import("../../todos/replay");
    const { DataDirInUseError } = await import("../../store/sqlite/data-dir");
    const { store: input, description: inputName } = await openStore(source);
    let output;
    try {
      output = await openStore(target);
    } catch (e) {
      await input.close();
      if (e instanceof DataDirInUseError) throw new CliError(`--into-data-dir: ${e.dataDir} is in use by ${e.holder}: stop it before replaying into its data directory`, 1);
      throw e;
    }
    try {
      const count = await replayLog(input, output.store, { batch: BATCH, outputName: output.description });
      console.log(`replayed ${count} event${count === 1 ? "" : "s"} of ${inputName} into ${output.description}`);
    } catch (e) {
      if (e instanceof TargetNotEmptyError) throw new CliError(e.message, 2);
      if (e instanceof InvalidLogError) throw new CliError(`${inputName}: ${e.message}`, 1);
      throw e;
    } finally {
      await input.close();
      await output.store.close();
    }
  },
});
