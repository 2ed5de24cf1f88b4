// The gRPC listener as a daemon component: binds on start, lets calls in flight finish on drain (up to
// the drain deadline, then cancels them), and closes on stop.
import { ServerCredentials } from "@grpc/grpc-js";
import type { GrpcServer } from "../api/grpc/server";
import { limitConnections } from "./connection-limits";
import type { Component } from "./lifecycle";
import type { Logger } from "./logger";

/** grpc-js wraps the OS error in a sentence about resolved addresses; a person needs the OS error. */
function listenFailure(error: Error): string {
  if (/EADDRINUSE/.test(error.message)) return "address already in use";
  if (/EACCES/.test(error.message)) return "permission denied";
  if (/EADDRNOTAVAIL/.test(error.message)) return "no such local address";
  return error.message;
}

export class GrpcListener implements Component {
  readonly name = "grpc";
  /** The bound port (the configured one, or the one the OS chose for 0), once started. */
  port = 0;

  constructor(
    private readonly grpc: GrpcServer,
    private readonly options: { host: string; port: number; drainSeconds: number; maxConnections: number; log: Logger; credentials?: ServerCredentials },
  ) {}

  start(): Promise<void> {
    const { host, port } = this.options;
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
