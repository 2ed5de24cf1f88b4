// The client's settings as the commands read them: the table and the config file are src/config/client.ts's;
// this adds the process's environment and the CLI's did-you-mean for a mistyped key in the file.
import { type Connection, type ConnectionFlags, resolveConnection as resolveClientSettings } from "../config/client";
import { processEnvironment } from "../config/environment";
import { closest, didYouMean } from "./command-line";

export type { Connection, ConnectionFlags };
export { CLIENT_SETTING_NAMES as SETTING_NAMES } from "../config/client";

export const resolveConnection = (flags: ConnectionFlags) => resolveClientSettings(flags, processEnvironment(), (typed, candidates) => didYouMean(closest(typed, candidates)));
