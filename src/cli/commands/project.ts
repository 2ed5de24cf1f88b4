// `todo project`: the query side. Parses its settings and runs the projector (src/events/projection.ts)
// until SIGTERM/SIGINT, which drains it: the batch under way is applied and its offset stored, exit 0.
import { defineCommand } from "../define-command";
import { processEnvironment } from "../../config/environment";
import { PROJECT_SETTINGS, resolveProjectConfig } from "../../config/project";
import { CliError } from "../errors";
import { settingArgs } from "../setting-args";

export default defineCommand({
  meta: {
    name: "project",
    description:
      "Consume the RabbitMQ stream of todo events into a query-side model (a SQLite file) that todo stats reads; resumes from its stored offset, until SIGTERM/SIGINT",
  },
  args: settingArgs(PROJECT_SETTINGS),
  async run({ args }) {
    // Checked before the RabbitMQ client and the stores are loaded; a mistake is a ConfigError (exit 2).
    const { url, stream, path, from, metricsPort, logLevel, logFormat } = resolveProjectConfig(args, processEnvironment(), Boolean(process.stdout.isTTY));
    const { createLogger } = await import("../../server/logger");
    const log = createLogger(logLevel, logFormat);

    const { NoProjectionError, ProjectionModel } = await import("../../events/projection-model");
    const { Projector } = await import("../../events/projection");
    const { amqpStream } = await import("../../events/amqp-stream");
    const { decodeEventMessage } = await import("../../wire/event-message");
    const { Lifecycle } = await import("../../server/lifecycle");
    let model;
    try {
      model = ProjectionModel.openForWriting(path);
    } catch (e) {
      if (e instanceof NoProjectionError) throw new CliError(e.message, "input");
      throw new CliError(`--db: cannot open ${path} (${(e as Error).message})`);
    }
    // Listened for first: a signal during start-up still drains.
    const signalled = new Promise<string>((resolve) => {
      for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => resolve(signal));
    });
    const projector = new Projector({ edge: amqpStream({ url, stream, connectionName: "todo project" }), model, decode: decodeEventMessage, from, log });
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
      if (e instanceof NoProjectionError) throw new CliError(e.message, "input");
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
    if (failure) throw new CliError(failure.message);
    log.info("projection stopped", { offset: projector.offset, applied: projector.applied, duplicates: projector.duplicates, rejected: projector.rejected });
    process.exit(0);
  },
});
