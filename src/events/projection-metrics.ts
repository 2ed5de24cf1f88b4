// The projector's metrics, read from it at each scrape (`todo project --metrics-port`).
import { Gauge, Registry } from "prom-client";
import { runningTotalCounter } from "./metrics";
import type { Projector } from "./projection";

export function projectionRegistry(projector: Projector): Registry {
  const registry = new Registry();
  new Gauge({
    name: "todo_projection_offset",
    help: "The stream offset the projection resumes from: every message below it is applied.",
    registers: [registry],
    collect() {
      this.set(projector.offset);
    },
  });
  runningTotalCounter(registry, "todo_projection_events_applied_total", "Events this projector applied to its model.", () => projector.applied);
  runningTotalCounter(registry, "todo_projection_duplicates_total", "Messages this projector passed over as events it had applied before.", () => projector.duplicates);
  runningTotalCounter(registry, "todo_projection_rejected_total", "Messages this projector could not decode (recorded in the model's rejected table).", () => projector.rejected);
  new Gauge({
    name: "todo_projection_connected",
    help: "1 while the projector is consuming the stream, 0 while it waits for RabbitMQ.",
    registers: [registry],
    collect() {
      this.set(projector.connected ? 1 : 0);
    },
  });
  return registry;
}
