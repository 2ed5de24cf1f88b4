// The daemon is a set of components (the store, the gRPC and HTTP listeners, readiness, and the event
// log's consumers) that each start, drain and stop. They start in order; on shutdown every one drains,
// last started first, and then every one stops in the same order, so a component can rely on those
// started before it until it has stopped.
import type { Logger } from "./logger";

export interface Component {
  readonly name: string;
  start(): Promise<void>;
  /** Stops taking new work and lets the work under way finish, within the component's own bound. */
  drain?(): Promise<void>;
  /** Releases what the component holds; after drain, or at once if the daemon failed to start. */
  stop(): Promise<void>;
}

export class Lifecycle {
  private readonly started: Component[] = [];

  constructor(private readonly log: Logger) {}

  /** Starts each component in turn; when one fails, stops those already started and rethrows. */
  async start(components: Component[]): Promise<void> {
    for (const component of components) {
      try {
        await component.start();
      } catch (e) {
        await this.stop();
        throw e;
      }
      this.started.push(component);
    }
  }

  /** Drains every started component, then stops them: last started first. */
  async shutdown(): Promise<void> {
    for (const component of [...this.started].reverse()) {
      try {
        await component.drain?.();
      } catch (e) {
        this.log.warn(`${component.name} did not drain cleanly`, { component: component.name }, e);
      }
    }
    await this.stop();
  }

  private async stop(): Promise<void> {
    for (const component of this.started.reverse()) {
      try {
        await component.stop();
      } catch (e) {
        this.log.warn(`${component.name} did not stop cleanly`, { component: component.name }, e);
      }
    }
    this.started.length = 0;
  }
}
