// Where the daemon a client starts for its user (no address configured, nothing answering at the
// default) keeps its state: one directory only this user can enter, with the address, the token, the
// log, the pid and the lock that lets one of two clients starting at once start it; and its socket.
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { type Environment, envValue } from "./environment";

export interface LocalDaemonPaths {
  /** $XDG_STATE_HOME/todo, else ~/.local/state/todo; created 0700. */
  dir: string;
  /** {"pid":…, "addr":"unix:/…/daemon.sock", "log":…}, written (0600) once the daemon listens. */
  state: string;
  /** `local:<token>`, the daemon's TODO_AUTH_TOKENS_FILE and the client's token (0600). */
  token: string;
  log: string;
  pid: string;
  /** Created exclusively by the client that starts the daemon, holding its pid; removed once started. */
  lock: string;
  /** The Unix socket the daemon serves gRPC on (0600), in a directory only this user can enter (0700): $XDG_RUNTIME_DIR/todo, else `dir`. */
  socket: string;
  /** The Unix socket of the daemon's HTTP side (0600), beside `socket`: the CLI's Connect calls go there. */
  httpSocket: string;
}

export function localDaemonPaths(env: Environment): LocalDaemonPaths {
  const xdg = envValue("XDG_STATE_HOME", env);
  const dir = join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".local/state"), "todo");
  // The runtime directory is the user's own (0700, emptied at logout), where sockets belong; without
  // one, the state directory, which is this user's alone too.
  const runtime = envValue("XDG_RUNTIME_DIR", env);
  const sockets = runtime && isAbsolute(runtime) ? join(runtime, "todo") : dir;
  const socket = join(sockets, "daemon.sock");
  const httpSocket = join(sockets, "daemon-http.sock");
  return { dir, state: join(dir, "daemon.json"), token: join(dir, "token"), log: join(dir, "daemon.log"), pid: join(dir, "daemon.pid"), lock: join(dir, "daemon.lock"), socket, httpSocket };
}
