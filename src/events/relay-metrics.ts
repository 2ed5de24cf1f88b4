// The relay's metrics, read at each scrape. Every daemon reports the stream's lag (a daemon without
// the lease reads the stored checkpoint), so any one of them shows how far behind the stream is.
import { Gauge, type Registry } from "prom-client";
import { runningTotalCounter } from "./metrics";
import type { Relay, RelayStatus } from "./relay";

export function registerRelayMetrics(registry: Registry, relay: Relay) {
  // One status per scrape, shared by the gauges.
  let cached: { at: number; status: Promise<RelayStatus> } | null = null;
  const status = () => {
    if (!cached || performance.now() - cached.at > 500) cached = { at: performance.now(), status: relay.status() };
    return cached.status;
  };
  runningTotalCounter(registry, "todo_relay_events_published_total", "Events this daemon published to the RabbitMQ stream and the broker confirmed.", () => relay.published);
  const gauges: [string, string, (s: RelayStatus) => number][] = [
    ["todo_relay_lag_positions", "Events in the log not yet confirmed by the stream (head minus checkpoint).", (s) => s.head - s.confirmed],
    ["todo_relay_lag_seconds", "Age of the oldest event not yet confirmed by the stream; 0 when none waits.", (s) => s.lagSeconds],
    ["todo_relay_confirmed_position", "The last log position the stream confirmed: the relay's checkpoint.", (s) => s.confirmed],
    ["todo_relay_lease_held", "1 when this daemon holds the relay lease and publishes, else 0.", (s) => (s.holdsLease ? 1 : 0)],
  ];
  for (const [name, help, value] of gauges)
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(value(await status()));
      },
    });
}
