// The daemon's Unix sockets (gRPC's GRPC_SOCKET, the HTTP side's HTTP_SOCKET): a socket file nothing
// answers at is what a daemon that died left, and is replaced; one something answers at is another
// daemon's, and is refused.
import { existsSync, unlinkSync } from "node:fs";
import { connect } from "node:net";

/** Whether something accepts connections on the Unix socket at `path` (a file left by a daemon that died does not). */
function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/**
 * Makes `path` free to listen on: a socket file left by a daemon that stopped is removed; one another
 * process answers at throws, naming `what` (gRPC, HTTP) and the setting (`variable`) to change.
 */
export async function freeSocketPath(path: string, what: string, variable: string, log?: { info(message: string, fields: object): void }): Promise<void> {
  if (!existsSync(path)) return;
  if (await socketAnswers(path)) throw new Error(`cannot listen for ${what} on unix:${path}: another daemon answers there; stop it, or set ${variable} to another path`);
  log?.info("removing a socket nothing answers at (left by a daemon that stopped)", { socket: path });
  unlinkSync(path);
}
