// Bounds on the gRPC port's connections, so idle or silent peers cannot use up the daemon's file
// descriptors (~21,000 idle TCP connections once left both ports unanswered and the daemon spinning):
// a cap on open connections (more are closed as they arrive), a handshake timeout (a peer that has not
// sent its HTTP/2 preface and SETTINGS within HANDSHAKE_MS is reset), and the socket of every closed
// session reset (grpc-js's idle timeout closes the session with a GOAWAY; a peer that ignores it would
// otherwise keep the descriptor).
//
// Measured on Bun 1.4.5: its http2 server honours net.Server's maxConnections (and emits 'drop'); emits
// 'session' on accept, before the preface and before 'connection'; and neither session.destroy() nor
// socket.destroy() closes the descriptor of a connection that has a session — socket.resetAndDestroy()
// does. Sessions and sockets are paired by the peer's address and port.
import type { EventEmitter } from "node:events";
import type { Logger } from "./logger";

/** How long a new connection has to complete the HTTP/2 handshake. */
export const HANDSHAKE_MS = 10_000;

type Socket = EventEmitter & { remoteAddress?: string; remotePort?: number; destroyed: boolean; resetAndDestroy(): void };
type Session = EventEmitter & { socket?: { remoteAddress?: string; remotePort?: number } };
type ListeningServer = EventEmitter & { maxConnections?: number };

/** Applies the cap and the handshake timeout to each of grpc-js's listening http2 servers. */
export function limitConnections(servers: Iterable<ListeningServer>, options: { maxConnections: number; handshakeMs?: number; log: Logger }): void {
  const handshakeMs = options.handshakeMs ?? HANDSHAKE_MS;
  let warned = 0;
  const sockets = new Map<string, Socket>();
  const handshaken = new Set<string>();
  const reset = (peer: string) => {
    const socket = sockets.get(peer);
    if (socket && !socket.destroyed) socket.resetAndDestroy();
  };
  for (const server of servers) {
    server.maxConnections = options.maxConnections;
    server.on("drop", () => {
      // One line a minute at most: a flood must not flood the log as well.
      if (Date.now() - warned < 60_000) return;
      warned = Date.now();
      options.log.warn(`refusing gRPC connections beyond GRPC_MAX_CONNECTIONS=${options.maxConnections}`);
    });
    server.on("connection", (socket: Socket) => {
      const peer = `${socket.remoteAddress}:${socket.remotePort}`;
      sockets.set(peer, socket);
      const timer = setTimeout(() => handshaken.has(peer) || reset(peer), handshakeMs);
      socket.once("close", () => {
        clearTimeout(timer);
        if (sockets.get(peer) === socket) sockets.delete(peer);
        handshaken.delete(peer);
      });
    });
    server.on("session", (session: Session) => {
      const peer = `${session.socket?.remoteAddress}:${session.socket?.remotePort}`;
      session.once("remoteSettings", () => handshaken.add(peer));
      session.once("close", () => reset(peer));
    });
  }
}
