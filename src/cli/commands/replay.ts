// An admin command: opens the stores itself. The embedded store it rebuilds is locked as a daemon locks
// it, so a daemon holding it refuses the replay (and a daemon started during it refuses to start).
import { defineCommand } from "../define-command";
import { resolveReplayConfig, REPLAY_SETTINGS } from "../../config/admin";
import { processEnvironment } from "../../config/environment";
import { CliError } from "../errors";
import { settingArgs } from "../setting-args";

const BATCH = 1_000;
/** A batch job, not a person waiting on a call: a busy MongoDB gets a minute per call. */
const CALL_TIMEOUT_MS = 60_000;

export default defineCommand({
  meta: {
    name: "replay",
    description: "Rebuild the todos from the event log: replay one store's log into an empty store (the log and the todos built from it)",
  },
  args: settingArgs(REPLAY_SETTINGS),
  async run({ args }) {
    // Checked before the stores are loaded; a mistake is a ConfigError (exit 2).
    const { source: from, target: into } = resolveReplayConfig(args, processEnvironment());
    const source = from.kind === "mongo" ? { ...from, callTimeoutMS: CALL_TIMEOUT_MS } : from;
    const target = into.kind === "mongo" ? { ...into, callTimeoutMS: CALL_TIMEOUT_MS } : { ...into, exclusive: true };
    const { openStore } = await import("../../store/open");
    const { replayLog, InvalidLogError, TargetNotEmptyError } = await import("../../todos/replay");
    const { DataDirInUseError } = await import("../../store/sqlite/data-dir");
    const { store: input, description: inputName } = await openStore(source);
    let output;
    try {
      output = await openStore(target);
    } catch (e) {
      await input.close();
      if (e instanceof DataDirInUseError) throw new CliError(`--into-data-dir: ${e.dataDir} is in use by ${e.holder}: stop it before replaying into its data directory`);
      throw e;
    }
    try {
      const count = await replayLog(input, output.store, { batch: BATCH, outputName: output.description });
      console.log(`replayed ${count} event${count === 1 ? "" : "s"} of ${inputName} into ${output.description}`);
    } catch (e) {
      if (e instanceof TargetNotEmptyError) throw new CliError(e.message, "input");
      if (e instanceof InvalidLogError) throw new CliError(`${inputName}: ${e.message}`);
      throw e;
    } finally {
      await input.close();
      await output.store.close();
    }
  },
});
