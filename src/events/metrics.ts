// The event log's metrics, read from the log tail at each scrape.
import { Counter, Gauge, type Registry } from "prom-client";
import type { LogTail } from "./log-tail";

export function registerLogMetrics(registry: Registry, tail: LogTail) {
  let counted = 0;
  new Counter({
    name: "todo_events_appended_total",
    help: "Events this daemon appended to the log (one per committed write).",
    registers: [registry],
    collect() {
      this.inc(tail.appended - counted);
      counted = tail.appended;
    },
  });
  new Gauge({
    name: "todo_event_log_head_position",
    help: "The highest position in the event log that readers can see.",
    registers: [registry],
    collect() {
      this.set(tail.head);
    },
  });
  new Gauge({
    name: "todo_watchers",
    help: "WatchTodos streams open on this daemon.",
    registers: [registry],
    collect() {
      this.set(tail.watchers);
    },
  });
}
