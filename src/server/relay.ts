// Composes the event relay (src/events/relay.ts) from the settings: the encoder from the API layer, the
// store's leases, the URL's secrets kept out of the logs, and its metrics.
import type { Registry } from "prom-client";
import { encodeEventMessage } from "../wire/event-message";
import { amqpStream } from "../events/amqp-stream";
import { registerRelayMetrics } from "../events/relay-metrics";
import { Relay } from "../events/relay";
import { redactUrl, scrub } from "../secrets/redact";
import type { TodoStore } from "../todos/ports";
import type { ServeConfig } from "../config/serve";
import type { Logger } from "./logger";

export function startRelay(settings: NonNullable<ServeConfig["events"]>, store: TodoStore, registry: Registry, log: Logger): [Relay] {
  const relay = new Relay(
    store,
    store.leases(),
    {
      edge: amqpStream({ url: settings.url, stream: settings.stream, connectionName: `todod relay ${process.pid}` }),
      brokerName: redactUrl(settings.url),
      scrub: (text) => scrub(text, settings.url),
      encode: (event) => encodeEventMessage(event, settings.format),
    },
    {
      info: (message, fields) => log.info(message, fields),
      warn: (message, fields) => log.warn(message, fields),
    },
  );
  registerRelayMetrics(registry, relay);
  return [relay];
}
