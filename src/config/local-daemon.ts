// Where the daemon a client starts for its user (no address configured, nothing answering at the
// default) keeps its state: one directory only this user can enter, with the address, the token, the
// log, the pid and the lock that lets one of two clients starting at once start it.
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { type Environment, envValue } from "./environment";

export interface LocalDaemonPaths {
  /** $XDG_STATE_HOME/todo, else ~/.local/state/todo; created 0700. */
  dir: string;
  /** {"pid":…, "addr":"127.0.0.1:PORT", "log":…}, written (0600) once the daemon listens. */
  state: string;
  /** `local:<token>`, the daemon's TODO_AUTH_TOKENS_FILE and the client's token (0600). */
  token: string;
  log: string;
  pid: string;
  /** Created exclusively by the client that starts the daemon, holding its pid; removed once started. */
  lock: string;
}

export function localDaemonPaths(env: Environment): LocalDaemonPaths {
  const xdg = envValue("XDG_STATE_HOME", env);
  const dir = join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".local/state"), "todo");
  return { dir, state: join(dir, "daemon.json"), token: join(dir, "token"), log: join(dir, "daemon.log"), pid: join(dir, "daemon.pid"), lock: join(dir, "daemon.lock") };
}
