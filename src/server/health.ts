// Readiness: the store answers a ping. The gRPC health service (grpc.health.v1, Check and Watch) and
// /readyz both report it; a watcher hears a change within one ping interval, and on drain hears
// NOT_SERVING, then its stream ends (an open Watch would otherwise hold the drain to its deadline).
//
// A store that reads but cannot write (the embedded store's disk is full) is degraded, not unready: the
// daemon still serves every read, and it is the only one on its data directory, so a load balancer that
// took it out would turn a write outage into a full one. /readyz answers 200 "degraded: <why>", the log
// says so once, and todo_store_degraded is 1 for alerts.
import { Metadata, type ServerInterceptor, ServerInterceptingCall, status } from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import type { TodoStore } from "../todos/ports";
import type { Component } from "./lifecycle";
import type { Logger } from "./logger";
import { unwrapped } from "../api/grpc/server";

const PING_INTERVAL_MS = 2_000;
const PING_TIMEOUT_MS = 2_000;

export class Readiness implements Component {
  readonly name = "readiness";
  readonly health: HealthImplementation;
  private timer?: Timer;
  private problem: string | null = null;
  /** Why writes fail while reads work (store.degraded), as of the last check. */
  degraded: string | null = null;
  private draining = false;
  private readonly watches = new Set<ServerInterceptingCall>();

  /**
   * Keeps hold of health Watch calls so the drain can end them. Its place among the interceptors, and
   * why, is in the server's one list (src/api/grpc/server.ts).
   */
  readonly watchInterceptor: ServerInterceptor = (method, call) => {
    if (method.path !== "/grpc.health.v1.Health/Watch") return unwrapped(call);
    const watch: ServerInterceptingCall = new ServerInterceptingCall(call, {
      sendStatus: (sent, next) => {
        this.watches.delete(watch);
        next(sent);
      },
    });
    this.watches.add(watch);
    return watch;
  };

  constructor(
    private readonly store: TodoStore,
    private readonly services: string[],
    private readonly log: Logger,
  ) {
    this.health = new HealthImplementation(Object.fromEntries(["", ...services].map((s) => [s, "NOT_SERVING"])));
  }

  /** Pings now, then every interval. */
  async start() {
    await this.check();
    this.timer = setInterval(() => void this.check(), PING_INTERVAL_MS);
  }

  /** Why the daemon is not ready, or null when it is. */
  async check(): Promise<string | null> {
    let problem: string | null = null;
    if (!this.draining)
      try {
        await Promise.race([this.store.ping(), Bun.sleep(PING_TIMEOUT_MS).then(() => Promise.reject(new Error("the store did not answer within 2 s")))]);
      } catch (e) {
        problem = (e as Error).message;
      }
    // Decided after the ping: one in flight when the drain began must not report SERVING again.
    if (this.draining) problem = "shutting down";
    if (problem !== this.problem) {
      if (problem) this.log.warn("not ready", { reason: problem });
      else this.log.info("ready");
    }
    this.problem = problem;
    const degraded = problem ? null : (this.store.degraded?.() ?? null);
    if (degraded !== this.degraded) {
      if (degraded) this.log.warn("degraded", { reason: degraded });
      else if (!problem) this.log.info("no longer degraded");
    }
    this.degraded = degraded;
    for (const s of ["", ...this.services]) this.health.setStatus(s, problem ? "NOT_SERVING" : "SERVING");
    return problem;
  }

  /**
   * Reports NOT_SERVING from now on, so load balancers stop sending calls, and ends every Watch after
   * it has heard so: UNAVAILABLE tells its client to watch another server.
   */
  async drain() {
    this.draining = true;
    clearInterval(this.timer);
    await this.check();
    for (const watch of this.watches) watch.sendStatus({ code: status.UNAVAILABLE, details: "todod is shutting down", metadata: new Metadata() });
  }

  async stop() {
    clearInterval(this.timer);
  }
}
