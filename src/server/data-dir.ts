// Where the data files live by default: `todo serve`'s store, and `todo project`'s projection beside it.
// Its own module so that `todo stats` finds the file without loading the daemon's configuration.
import { homedir } from "node:os";
import { join } from "node:path";

export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_DATA_HOME || join(homedir(), ".local/share"), "todo");
}
