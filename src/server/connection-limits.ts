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
// does. Sessions and sockets are paired by the peer's address and port; on a Unix socket, which has
// neither, by the descriptor (peerOf).
import type { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import type { Logger } from "./logger";

/** How long a new connection has to complete the HTTP/2 handshake. */
export const HANDSHAKE_MS = 10_000;

/** Socket errors that mean the peer closed the connection: a session ending on one was not ended by the daemon. */
const PEER_GONE: readonly string[] = ["ECONNRESET", "EPIPE"];

type Peer = { remoteAddress?: string; remotePort?: number; _handle?: { fd?: number } | null };
type Socket = EventEmitter & Peer & { destroyed: boolean; resetAndDestroy(): void };
type Session = EventEmitter & { socket?: Peer };

/**
 * What pairs a connection's socket with its session: the peer's address and port; on a Unix socket (no
 * peer address: every connection would be "undefined:undefined", and a session closing would reset
 * another's socket) the descriptor, which Bun 1.4.5's session socket (a proxy) shows as the connection's
 * socket does (measured). Undefined when neither is known: such a connection is not tracked.
 */
function peerOf(socket: Peer | undefined): string | undefined {
  if (socket?.remoteAddress !== undefined) return `${socket.remoteAddress}:${socket.remotePort}`;
  const fd = socket?._handle?.fd;
  return typeof fd === "number" && fd >= 0 ? `descriptor ${fd}` : undefined;
}
type ListeningServer = EventEmitter & { maxConnections?: number };

/** Applies the cap and the handshake timeout to each of grpc-js's listening http2 servers. */
export function limitConnections(servers: Iterable<ListeningServer>, options: { maxConnections: number; handshakeMs?: number; log: Logger }): void {
  const handshakeMs = options.handshakeMs ?? HANDSHAKE_MS;
  let warned = 0;
  const sockets = new Map<string, Socket>();
  const handshaken = new WeakSet<Socket>();
  const reset = (socket: Socket | undefined) => {
    if (socket && !socket.destroyed) socket.resetAndDestroy();
  };
  // Why a connection ended early, when the daemon ended it: one line per reason every 10 s at most, with
  // how many there were, so that a flood does not flood the log but a dropped client can be explained.
  const ended = new Map<string, { at: number; count: number }>();
  const report = (reason: string, peer: string) => {
    const seen = ended.get(reason) ?? { at: 0, count: 0 };
    seen.count++;
    ended.set(reason, seen);
    if (Date.now() - seen.at < 10_000) return;
    options.log.warn(`closed a gRPC connection: ${reason}`, { peer, connections: seen.count });
    seen.at = Date.now();
    seen.count = 0;
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
      const peer = peerOf(socket);
      if (peer === undefined) return;
      sockets.set(peer, socket);
      const timer = setTimeout(() => {
        if (handshaken.has(socket) || socket.destroyed) return;
        report(`no HTTP/2 handshake within ${handshakeMs / 1000} s`, peer);
        reset(socket);
      }, handshakeMs);
      socket.once("close", () => {
        clearTimeout(timer);
        if (sockets.get(peer) === socket) sockets.delete(peer);
      });
    });
    server.on("session", (session: Session) => {
      const peer = peerOf(session.socket);
      // The session's own socket, taken once both exist (Bun emits 'session' before 'connection') and
      // kept: by the time the session closes, a new connection may come from the same address and port.
      let socket = peer === undefined ? undefined : sockets.get(peer);
      session.once("remoteSettings", () => {
        if (peer !== undefined) socket ??= sockets.get(peer);
        if (socket) handshaken.add(socket);
      });
      // HTTP/2 errors Bun detects itself (a flow-control or protocol error: it sends GOAWAY and closes)
      // reach no other listener: grpc-js has none for them. A reset by the peer is the client leaving, not
      // the daemon ending the connection (ghz resets its connections as it exits: each was logged so).
      // Still logged, as a protocol error: a grpc-go client that says GOAWAY as it closes (grpcurl; Bun
      // 1.4.5 refuses its last stream id, 1, and answers GOAWAY PROTOCOL_ERROR), indistinguishable here.
      session.on("error", (error: Error & { code?: string }) => {
        if (PEER_GONE.includes(error.code ?? "")) return;
        report(`HTTP/2 error ${error.code ?? ""} ${error.message}`.replace(/\s+/g, " ").trim(), peer ?? "unknown");
      });
      // Without its socket taken (no handshake), the one at its address; not at its descriptor, which
      // the next connection takes as soon as this one's is closed (the handshake timeout resets that one).
      session.once("close", () => reset(socket ?? (peer !== undefined && !peer.startsWith("descriptor ") ? sockets.get(peer) : undefined)));
    });
  }
}

/** The soft limit on this process's open file descriptors (RLIMIT_NOFILE), or undefined where /proc does not say. */
export function descriptorLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync("/proc/self/limits", "utf8"))?.[1];
    return line === undefined || line === "unlimited" ? undefined : Number(line);
  } catch {
    return undefined;
  }
}

/**
 * Connections the HTTP port (metrics and probes: Prometheus, a kubelet, a person) may hold: a few are
 * plenty, and a sixteenth of the descriptors at most, so that a flood of them leaves the rest to the
 * gRPC port and the store (22,000 idle connections once used up every descriptor: /readyz stopped
 * answering and new gRPC connections waited).
 */
export function httpConnectionCap(descriptors = descriptorLimit()): number {
  return Math.max(4, Math.min(64, Math.floor((descriptors ?? 1024) / 16)));
}

type HttpSocket = EventEmitter & { destroy(): void; setTimeout(ms: number, callback: () => void): unknown };
type HttpServer = EventEmitter;

/**
 * Bounds the HTTP port's connections (Bun's node:http ignores server.maxConnections, and Bun.serve has
 * no cap): at most `max` open; at the cap, a new connection closes the one idle longest (no request
 * being answered), so a flood of idle connections cannot keep the probes out, or is itself closed when
 * every connection is busy. A connection idle for `idleMs` is closed.
 */
export function limitHttpConnections(server: HttpServer, options: { max: number; idleMs: number; log: { warn(message: string): void } }): void {
  /** Open connections in order of last activity (oldest first), with how many requests each is answering. */
  const open = new Map<HttpSocket, { busy: number }>();
  let warned = 0;
  const touch = (socket: HttpSocket, state: { busy: number }) => {
    open.delete(socket);
    open.set(socket, state);
  };
  server.on("connection", (socket: HttpSocket) => {
    if (open.size >= options.max) {
      let idlest: HttpSocket | undefined;
      for (const [candidate, state] of open)
        if (state.busy === 0) {
          idlest = candidate;
          break;
        }
      if (Date.now() - warned >= 60_000) {
        // One line a minute at most: a flood must not flood the log as well.
        warned = Date.now();
        options.log.warn(`the HTTP port holds ${options.max} connections, its limit: closing the one idle longest for each new one`);
      }
      if (!idlest) return socket.destroy();
      open.delete(idlest);
      idlest.destroy();
    }
    const state = { busy: 0 };
    open.set(socket, state);
    socket.setTimeout(options.idleMs, () => state.busy === 0 && socket.destroy());
    socket.once("close", () => open.delete(socket));
  });
  server.on("request", (request: { socket: HttpSocket }, response: EventEmitter) => {
    const state = open.get(request.socket);
    if (!state) return;
    state.busy++;
    touch(request.socket, state);
    response.once("close", () => {
      state.busy--;
      if (open.has(request.socket)) touch(request.socket, state);
    });
  });
}
