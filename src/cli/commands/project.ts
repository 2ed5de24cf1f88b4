// `todo project`: the query side. Parses its settings and runs the projector (src/events/projection.ts)
// until SIGTERM/SIGINT, which drains it: the batch under way is applied and its offset stored, exit 0.
import { defineCommand } from "citty";
import { CliError } from "../errors";
import { projectionArgs, projectionPath } from "../projection-args";

export const DEFAULT_STREAM = "todo.events";

function startOffset(text: string): "first" | "next" | number {
  if (text === "first" || text === "next") return text;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new CliError(`--from: "${text}" is not first, next or a stream offset (a whole number from 0)`, 2);
  return n;
}

export default defineCommand({
  meta: {
    name: "project",
    description:
      "Consume the RabbitMQ stream of todo events into a query-side model (a SQLite file) that todo stats reads; resumes from its stored offset, until SIGTERM/SIGINT",
  },
  args: {
    "events-url": { type: "string", description: "RabbitMQ to consume, amqp://user:password@host:5672 (env EVENTS_URL)", valueHint: "url" },
    "events-stream": { type: "string", description: `The stream (env EVENTS_STREAM, default ${DEFAULT_STREAM})`, valueHint: "name" },
    ...projectionArgs,
    from: { type: "string", description: "Where a new projection starts: first (the whole stream), next (only new events) or an offset (default first; later runs resume from the stored offset)", valueHint: "offset" },
    "metrics-port": { type: "string", description: "Serve /metrics (todo_projection_offset, …), /healthz and /readyz on this port (env PROJECTION_METRICS_PORT; default: none)", valueHint: "port" },
    "log-level": { type: "string", description: "silent, error, warn, info, debug or trace (env LOG_LEVEL, default info)", valueHint: "level" },
    "log-format": { type: "string", description: "json, or pretty for people (env LOG_FORMAT; default pretty on a terminal, else json)", valueHint: "format" },
  },
  async run({ args }) {
    const env = process.env;
    const url = args["events-url"] ?? (env.EVENTS_URL || undefined);
    if (!url) throw new CliError("say which RabbitMQ to consume: --events-url amqp://user:password@host:5672 or EVENTS_URL", 2);
    const { redactUrl } = await import("../../events/broker-url");
    if (!/^amqps?:\/\/[^/]/i.test(url)) throw new CliError(`--events-url / EVENTS_URL: "${redactUrl(url).slice(0, 200)}" is not an amqp:// or amqps:// URL`, 2);
    const stream = args["events-stream"] ?? (env.EVENTS_STREAM || DEFAULT_STREAM);
    if (!stream || Buffer.byteLength(stream) > 255 || stream.startsWith("amq."))
      throw new CliError(`--events-stream / EVENTS_STREAM: "${stream.slice(0, 40)}" must be 1 to 255 bytes and not start with "amq." (reserved by RabbitMQ)`, 2);
    const from = startOffset(args.from ?? "first");
    const portText = args["metrics-port"] ?? (env.PROJECTION_METRICS_PORT || undefined);
    const metricsPort = portText === undefined ? undefined : Number(portText);
    if (metricsPort !== undefined && (!/^\d+$/.test(portText!) || metricsPort > 65535))
      throw new CliError(`--metrics-port / PROJECTION_METRICS_PORT: "${portText!.slice(0, 50)}" is not a port (0 to 65535)`, 2);
    const { LOG_LEVELS, createLogger } = await import("../../server/logger");
    const level = (args["log-level"] ?? (env.LOG_LEVEL || "info")).toLowerCase();
    if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new CliError(`--log-level / LOG_LEVEL: "${level.slice(0, 50)}" is not one of ${LOG_LEVELS.join(", ")}`, 2);
    const format = args["log-format"] ?? (env.LOG_FORMAT || (process.stdout.isTTY ? "pretty" : "json"));
    if (format !== "json" && format !== "pretty") throw new CliError(`--log-format / LOG_FORMAT: "${format.slice(0, 50)}" is not json or pretty`, 2);
    const log = createLogger(level as (typeof LOG_LEVELS)[number], format);

    const path = projectionPath(args);
    const { NoProjectionError, ProjectionModel } = await import("../../events/projection-model");
    const { Projector } = await import("../../events/projection");
    const { decodeEventMessage } = await import("../../api/event-message");
    const { Lifecycle } = await import("../../server/lifecycle");
    let model;
    try {
      model = ProjectionModel.openForWriting(path);
    } catch (e) {
      if (e instanceof NoProjectionError) throw new CliError(e.message, 2);
      throw new CliError(`--db: cannot open ${path} (${(e as Error).message})`, 1);
    }
    // Listened for first: a signal during start-up still drains.
    const signalled = new Promise<string>((resolve) => {
      for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => resolve(signal));
    });
    const projector = new Projector({ url, stream, model, decode: decodeEventMessage, from, log });
    const lifecycle = new Lifecycle(log);
    const components: import("../../server/lifecycle").Component[] = [projector];
    let http: import("../../server/http").HttpListener | undefined;
    if (metricsPort !== undefined) {
      const { HttpListener } = await import("../../server/http");
      const { projectionRegistry } = await import("../../events/projection-metrics");
      http = new HttpListener({
        host: "0.0.0.0",
        port: metricsPort,
        registry: projectionRegistry(projector),
        ready: async () => (projector.connected ? null : "not consuming the stream (RabbitMQ unreachable)"),
      });
      components.push(http);
    }
    try {
      await lifecycle.start(components);
    } catch (e) {
      model.close();
      if (e instanceof NoProjectionError) throw new CliError(e.message, 2);
      throw e;
    }
    log.info("projection started", { db: path, stream, offset: projector.offset, ...(http ? { metrics_port: http.port } : {}) });
    const failed = projector.done().then(
      () => null,
      (e: Error) => e,
    );
    const outcome = await Promise.race([signalled, failed]);
    if (typeof outcome === "string") log.info("draining", { signal: outcome });
    await lifecycle.shutdown();
    const failure = await failed;
    model.close();
    if (failure) throw new CliError(failure.message, 1);
    log.info("projection stopped", { offset: projector.offset, applied: projector.applied, duplicates: projector.duplicates, rejected: projector.rejected });
    process.exit(0);
  },
});
