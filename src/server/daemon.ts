// `todo serve`: the composition root. Opens the store, builds the application core and the transports
// over it, and runs them as components (src/server/lifecycle.ts) until SIGTERM/SIGINT drains them.
import { setLogger } from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import { LEGACY_SERVICE, legacyDefinition, legacyPackage, legacyV1 } from "../api/legacy-v1";
import { GrpcServer } from "../api/grpc/server";
import { SERVER_INFO_SERVICE, serverInfo } from "../api/server-info";
import { servedDefinition, TODO_SERVICE, todoV1 } from "../api/todo-v1";
import { registerLogMetrics, registerReminderMetrics } from "../events/metrics";
import { LogTail } from "../events/log-tail";
import { reminderCommand } from "../events/reminder-command";
import { Reminders } from "../events/reminders";
import { loadEmbedded } from "../proto/loader";
import type { ToDoServiceHandlers } from "../proto/gen/types/v1/ToDoService";
import type { ServerInfoServiceDefinition, ServerInfoServiceHandlers } from "../proto/gen/types/todo/v1/ServerInfoService";
import type { TodoServiceDefinition, TodoServiceHandlers } from "../proto/gen/types/todo/v1/TodoService";
import { openStore } from "../store/open";
import { TodoApp } from "../todos/app";
import { VERSION } from "../version";
import { accessLog } from "./access-log";
import { Authenticator, authInterceptor } from "./auth";
import { processEnvironment } from "../config/environment";
import type { ServeConfig } from "../config/serve";
import { GrpcListener } from "./grpc-listener";
import { Readiness } from "./health";
import { HttpListener } from "./http";
import { Lifecycle } from "./lifecycle";
import { createLogger } from "./logger";
import { createMetrics, registerDegradedMetric, registerUnsentReplyMetric } from "./metrics";
import { serverTls } from "./tls";

export async function serve(config: ServeConfig): Promise<void> {
  // Listened for first: a signal that arrives while starting (or the moment "listening" is logged)
  // drains once started, instead of killing the process with the default action.
  const signalled = new Promise<string>((resolve) => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => resolve(signal));
  });
  const log = createLogger(config.logLevel, config.logFormat);
  // SIGHUP reloads credentials and never stops the daemon: its default action would kill it (exit 129,
  // no drain) when there is nothing to reload, or while it starts.
  let reload = () => log.info("SIGHUP while starting: nothing reloaded; send it again once listening");
  process.on("SIGHUP", () => reload());
  // grpc-js writes its own diagnostics to stderr in another format; keep every line JSON on stdout.
  setLogger({ error: (...a: unknown[]) => log.debug(a.join(" ")), info: (...a: unknown[]) => log.debug(a.join(" ")), debug: (...a: unknown[]) => log.trace(a.join(" ")) });
  const warn = (message: string) => log.warn(message);
  // Credentials are read before anything opens: a malformed file stops the start with its one line.
  const auth = new Authenticator({ tokens: config.authTokens, clientCertificates: config.tls?.clientCaFile !== undefined, publicReflection: config.publicReflection });
  const tls = config.tls && serverTls(config.tls);
  const tokenFile = config.authTokens?.file !== undefined;
  reload = () => reloadCredentials(log, tokenFile ? auth : undefined, tls?.reload);
  const metrics = createMetrics(VERSION);
  const originalTodos = (count: number) => metrics.originalTodos.set(count);
  const commandStarted = (command: string) => metrics.mongoCommands.inc({ command });
  const { store, description } = await openStore(
    config.mongoUrl ? { kind: "mongo", url: config.mongoUrl, database: config.mongoDb, warn, originalTodos, commandStarted } : { kind: "sqlite", dataDir: config.dataDir, exclusive: true, warn },
  );
  const tail = new LogTail(store, undefined, warn);
  const app = new TodoApp(store, tail);

  const todoV1Package = loadEmbedded("todo/v1/todo.proto");
  const todoDefinition = todoV1Package[TODO_SERVICE] as unknown as TodoServiceDefinition;
  const serverInfoPackage = loadEmbedded("todo/v1/server_info.proto");
  const serverInfoDefinition = serverInfoPackage[SERVER_INFO_SERVICE] as unknown as ServerInfoServiceDefinition;

  registerLogMetrics(metrics.registry, tail, () => store.lag?.() ?? 0);
  const counted = registerReminderMetrics(metrics.registry);
  const handed = config.reminderCommand ? reminderCommand(config.reminderCommand, processEnvironment(), warn) : undefined;
  const reminders = new Reminders(store, tail, handed ? (change) => (counted(change), handed(change)) : counted, warn);
  const readiness = new Readiness(store, [TODO_SERVICE, LEGACY_SERVICE, SERVER_INFO_SERVICE], log);
  // One set of handlers for every protocol: gRPC here, REST, Connect and gRPC-Web on the HTTP port.
  const todoHandlers = todoV1(app);
  const grpcServer = new GrpcServer({
    maxConcurrentStreams: config.maxConcurrentStreams,
    idleMs: config.idleSeconds * 1000,
    interceptors: { metrics: metrics.interceptor, accessLog: accessLog(log), auth: authInterceptor(auth), healthWatch: readiness.watchInterceptor },
    log,
  });
  grpcServer.serve<TodoServiceHandlers>(servedDefinition(todoDefinition), todoHandlers);
  grpcServer.serve<ToDoServiceHandlers>(legacyDefinition, legacyV1(app));
  grpcServer.serve<ServerInfoServiceHandlers>(serverInfoDefinition, serverInfo());
  registerUnsentReplyMetric(metrics.registry, () => grpcServer.heldReplyBytes());
  const server = grpcServer.server;
  readiness.health.addToServer(server);
  // Reflection describes every service served here, the standard ones included.
  const served = {
    ...todoV1Package,
    ...serverInfoPackage,
    ...legacyPackage,
    ...loadEmbedded("health/v1/health.proto"),
    ...loadEmbedded("grpc/reflection/v1/reflection.proto"),
    ...loadEmbedded("grpc/reflection/v1alpha/reflection.proto"),
  };
  new ReflectionService(served).addToServer(server);
  metrics.initialize(served);

  const grpc = new GrpcListener(grpcServer, { host: config.host, port: config.grpcPort, socket: config.grpcSocket, drainSeconds: config.drainSeconds, maxConnections: config.maxConnections, log, credentials: tls?.credentials });
  // The web API's code (Connect, protobuf-es, the page) is loaded only when it is served.
  const web = config.httpApi ? await import("./web") : undefined;
  const api = web
    ? web.webApiOf({
        services: [
          { typeName: TODO_SERVICE, definition: servedDefinition(todoDefinition), handlers: todoHandlers },
          { typeName: SERVER_INFO_SERVICE, definition: serverInfoDefinition, handlers: serverInfo() },
        ],
        auth,
        metrics,
        log,
        corsOrigins: config.corsOrigins,
        page: config.webPage ? web.WEB_PAGE : new Map(),
      })
    : undefined;
  const http = new HttpListener({
    host: config.host,
    port: config.httpPort,
    socket: config.httpSocket,
    registry: metrics.registry,
    ready: () => readiness.check(),
    degraded: () => readiness.degraded,
    log,
    api,
    tls: config.httpTls && tls ? { context: tls.context, onReload: tls.onReload } : undefined,
    drainSeconds: config.drainSeconds,
  });
  registerDegradedMetric(metrics.registry, () => readiness.degraded);
  const lifecycle = new Lifecycle(log);
  // Drained in reverse: readiness reports NOT_SERVING, the tail ends the watches, and only then does
  // the gRPC drain wait for the unary calls still running.
  // Loaded only with EVENTS_URL: the AMQP client is a daemon's memory for nothing otherwise.
  const relay = config.events ? (await import("./relay")).startRelay(config.events, store, metrics.registry, log) : [];
  // The relay drains after the gRPC calls, so it records what they wrote, and hands its lease on.
  await lifecycle.start([{ name: "store", start: async () => {}, stop: () => store.close() }, ...relay, grpc, http, tail, reminders, readiness]);
  log.info("todod listening", {
    version: VERSION.version,
    commit: VERSION.commit,
    ...(config.grpcSocket === undefined ? { grpcPort: grpc.port } : { grpcSocket: config.grpcSocket }),
    ...(config.httpSocket === undefined ? { httpPort: http.port } : { httpSocket: config.httpSocket }),
    store: description,
    tls: tls ? (config.tls?.clientCaFile ? "mutual" : "server") : "off",
    tokens: auth.tokenCount,
  });

  const signal = await signalled;
  log.info("draining", { signal, seconds: config.drainSeconds });
  await lifecycle.shutdown();
  log.info("stopped");
}

/** SIGHUP: re-read the token file and the TLS files; what fails to load is kept as it was, with a warning. */
function reloadCredentials(log: ReturnType<typeof createLogger>, auth: Authenticator | undefined, reloadTls: (() => void) | undefined): void {
  if (!auth && !reloadTls) {
    log.info("SIGHUP: nothing to reload (no TODO_AUTH_TOKENS_FILE, no TLS); todod serves on");
    return;
  }
  if (auth) {
    try {
      const { tokens, revoked, streamsEnded } = auth.reload();
      log.info("tokens reloaded", { tokens, revoked, streamsEnded });
    } catch (e) {
      log.warn(`tokens not reloaded, the previous ones stay in force: ${(e as Error).message}`);
    }
  }
  if (!reloadTls) return;
  try {
    reloadTls();
    log.info("TLS certificate reloaded");
  } catch (e) {
    log.warn(`TLS certificate not reloaded, the previous one stays in force: ${(e as Error).message}`);
  }
}
