// The event log's metrics, read from the log tail at each scrape.
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { Change } from "../todos/ports";
import type { LogTail } from "./log-tail";

/** A counter that follows a running total its component keeps: at each scrape it adds what the total grew by. */
export function runningTotalCounter(registry: Registry, name: string, help: string, total: () => number): Counter {
  let counted = 0;
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = total();
      this.inc(now - counted);
      counted = now;
    },
  });
}

export function registerLogMetrics(registry: Registry, tail: LogTail, lag: () => number = () => 0) {
  runningTotalCounter(registry, "todo_events_appended_total", "Events this daemon appended to the log (one per committed write).", () => tail.appended);
  new Gauge({
    name: "todo_event_log_head_position",
    help: "The highest position in the event log that readers can see.",
    registers: [registry],
    collect() {
      this.set(tail.head);
    },
  });
  new Gauge({
    name: "todo_event_log_lag_events",
    help: "Events this daemon's writes committed that it has not yet seen in the event log (0 where writes position their events at once).",
    registers: [registry],
    collect() {
      this.set(lag());
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

/** The reminders' metrics; returns what to call for each reminder this daemon fires. */
export function registerReminderMetrics(registry: Registry): (change: Change) => void {
  const fired = new Counter({
    name: "todo_reminders_fired_total",
    help: "Reminders this daemon fired (ReminderDue events it appended).",
    registers: [registry],
  });
  const lateness = new Histogram({
    name: "todo_reminder_lateness_seconds",
    help: "Seconds from a reminder's time to its firing.",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
    registers: [registry],
  });
  return (change) => {
    fired.inc();
    lateness.observe(Math.max(0, change.time - (change.reminder ?? change.time)) / 1000);
  };
}
