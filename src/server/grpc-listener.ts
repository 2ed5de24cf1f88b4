// The gRPC listener as a daemon component: binds on start, lets calls in flight finish on drain (up to
// the drain deadline, then cancels them), and closes on stop.
import { type Server, ServerCredentials } from "@grpc/grpc-js";
import { cutOffCalls } from "../api/grpc/server";
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
    private readonly server: Server,
    private readonly options: { host: string; port: number; drainSeconds: number; maxConnections: number; log: Logger; credentials?: ServerCredentials },
  ) {}

  start(): Promise<void> {
    const { host, port } = this.options;
    return new Promise((resolve, reject) =>
      this.server.bindAsync(`${host}:${port}`, this.options.credentials ?? ServerCredentials.createInsecure(), (error, bound) => {
        if (error) return reject(new Error(`cannot listen for gRPC on ${host}:${port}: ${listenFailure(error)}; set GRPC_PORT to a free port`));
        this.port = bound;
        limitConnections(this.server["http2Servers"].keys(), { maxConnections: this.options.maxConnections, log: this.options.log });
        resolve();
      }),
    );
  }

  drain(): Promise<void> {
    return new Promise((done) => {
      const deadline = setTimeout(() => {
        this.options.log.warn("drain deadline passed; cancelling the calls still running");
        const cut = cutOffCalls(`todod is shutting down: DRAIN_SECONDS (${this.options.drainSeconds}) passed before this call finished; retry against another replica or once it restarts`);
        // The statuses go out before the connections close (a moment, not a wait on the clients).
        setTimeout(() => {
          this.server.forceShutdown();
          done();
        }, cut ? 200 : 0);
      }, this.options.drainSeconds * 1000);
      this.server.tryShutdown(() => {
        clearTimeout(deadline);
        done();
      });
    });
  }

  async stop(): Promise<void> {
    this.server.forceShutdown();
  }
}
