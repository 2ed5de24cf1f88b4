// The projector's metrics, read from it at each scrape (`todo project --metrics-port`).
import { Counter, Gauge, Registry } from "prom-client";
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
  const counted = { applied: 0, duplicates: 0, rejected: 0 };
  const counter = (key: keyof typeof counted, name: string, help: string) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.inc(projector[key] - counted[key]);
        counted[key] = projector[key];
      },
    });
  counter("applied", "todo_projection_events_applied_total", "Events this projector applied to its model.");
  counter("duplicates", "todo_projection_duplicates_total", "Messages this projector passed over as events it had applied before.");
  counter("rejected", "todo_projection_rejected_total", "Messages this projector could not decode (recorded in the model's rejected table).");
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
