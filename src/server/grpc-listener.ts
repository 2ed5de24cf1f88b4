// The gRPC listener as a daemon component: binds on start, lets calls in flight finish on drain (up to
// the drain deadline, then cancels them), and closes on stop.
import { chmodSync } from "node:fs";
import { ServerCredentials } from "@grpc/grpc-js";
import type { GrpcServer } from "../api/grpc/server";
import { limitConnections } from "./connection-limits";
import type { Component } from "./lifecycle";
import type { Logger } from "./logger";
import { freeSocketPath } from "./unix-socket";

/** grpc-js wraps the OS error in a sentence about resolved addresses; a person needs the OS error. */
function listenFailure(error: Error): string {
  if (/EADDRINUSE/.test(error.message)) return "address already in use";
  if (/EACCES/.test(error.message)) return "permission denied";
  if (/EADDRNOTAVAIL/.test(error.message)) return "no such local address";
  if (/ENOENT/.test(error.message)) return "no such directory";
  return error.message;
}

export class GrpcListener implements Component {
  readonly name = "grpc";
  /** The bound port (the configured one, or the one the OS chose for 0), once started; 0 on a Unix socket. */
  port = 0;

  constructor(
    private readonly grpc: GrpcServer,
    private readonly options: { host: string; port: number; socket?: string; drainSeconds: number; maxConnections: number; log: Logger; credentials?: ServerCredentials },
  ) {}

  async start(): Promise<void> {
    const { host, port, socket } = this.options;
    if (socket !== undefined) return this.startOnSocket(socket);
    return this.grpc.bind(`${host}:${port}`, this.options.credentials ?? ServerCredentials.createInsecure()).then(
      ({ port: bound, http2Servers }) => {
        this.port = bound;
        limitConnections(http2Servers, { maxConnections: this.options.maxConnections, log: this.options.log });
      },
      (error: Error) => {
        throw new Error(`cannot listen for gRPC on ${host}:${port}: ${listenFailure(error)}; set GRPC_PORT to a free port`);
      },
    );
  }

  /**
   * Serves on a Unix socket that only this user may connect to (0600; its directory's mode is the
   * caller's to choose). A socket file nothing answers at is what a daemon that died left: it is removed.
   */
  private async startOnSocket(path: string): Promise<void> {
    await freeSocketPath(path, "gRPC", "GRPC_SOCKET", this.options.log);
    try {
      const { http2Servers } = await this.grpc.bind(`unix:${path}`, this.options.credentials ?? ServerCredentials.createInsecure());
      // Made with the process's umask; the directory keeps others out meanwhile.
      chmodSync(path, 0o600);
      limitConnections(http2Servers, { maxConnections: this.options.maxConnections, log: this.options.log });
    } catch (error) {
      throw new Error(`cannot listen for gRPC on unix:${path}: ${listenFailure(error as Error)}; set GRPC_SOCKET to a path in a directory this user can write`);
    }
  }

  drain(): Promise<void> {
    return new Promise((done) => {
      const deadline = setTimeout(() => {
        this.options.log.warn("drain deadline passed; cancelling the calls still running");
        const cut = this.grpc.cutOffCalls(`todod is shutting down: DRAIN_SECONDS (${this.options.drainSeconds}) passed before this call finished; retry against another replica or once it restarts`);
        // The statuses go out before the connections close (a moment, not a wait on the clients).
        setTimeout(() => {
          this.grpc.server.forceShutdown();
          done();
        }, cut ? 200 : 0);
      }, this.options.drainSeconds * 1000);
      this.grpc.server.tryShutdown(() => {
        clearTimeout(deadline);
        done();
      });
    });
  }

  async stop(): Promise<void> {
    this.grpc.server.forceShutdown();
  }
}
