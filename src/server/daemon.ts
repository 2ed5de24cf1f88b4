// `todo serve`: opens the store, serves gRPC and HTTP, and drains on SIGTERM/SIGINT.
import { ServerCredentials, setLogger } from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import { loadEmbedded } from "../proto/loader";
import { openStore } from "../store/open";
import { LEGACY_SERVICE, legacyDefinition, legacyPackage, legacyService } from "../todos/legacy-service";
import { todoService } from "../todos/service";
import { VERSION } from "../version";
import { accessLog } from "./access-log";
import type { ServeConfig } from "./config";
import { createGrpcServer, type ServedService, unaryHandlers } from "./grpc";
import { Readiness } from "./health";
import { startHttpServer } from "./http";
import { createLogger } from "./logger";
import { createMetrics } from "./metrics";

/** grpc-js wraps the OS error in a sentence about resolved addresses; a person needs the OS error. */
function listenFailure(error: Error): string {
  if (/EADDRINUSE/.test(error.message)) return "address already in use";
  if (/EACCES/.test(error.message)) return "permission denied";
  if (/EADDRNOTAVAIL/.test(error.message)) return "no such local address";
  return error.message;
}

export async function serve(config: ServeConfig): Promise<void> {
  // Listened for first: a signal that arrives while starting (or the moment "listening" is logged)
  // drains once started, instead of killing the process with the default action.
  const signalled = new Promise<string>((resolve) => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => resolve(signal));
  });
  const log = createLogger(config.logLevel, config.logFormat);
  // grpc-js writes its own diagnostics to stderr in another format; keep every line JSON on stdout.
  setLogger({ error: (...a: unknown[]) => log.debug(a.join(" ")), info: (...a: unknown[]) => log.debug(a.join(" ")), debug: (...a: unknown[]) => log.trace(a.join(" ")) });
  const { store, description } = await openStore(config, { warn: (message) => log.warn(message) });

  const todoV1 = loadEmbedded("todo/v1/todo.proto");
  const services: ServedService[] = [
    { name: "todo.v1.TodoService", definition: todoV1["todo.v1.TodoService"] as any, handlers: todoService(store) },
    { name: LEGACY_SERVICE, definition: legacyDefinition, handlers: legacyService(store) },
  ];

  const metrics = createMetrics();
  const readiness = new Readiness(store, services.map((s) => s.name), log);
  const server = createGrpcServer({
    maxConcurrentStreams: config.maxConcurrentStreams,
    interceptors: [metrics.interceptor, accessLog(log), readiness.watchInterceptor],
  });
  for (const s of services) server.addService(s.definition, unaryHandlers(s.handlers, log));
  readiness.health.addToServer(server);
  // Reflection describes every service served here, the standard ones included.
  const described = {
    ...todoV1,
    ...legacyPackage,
    ...loadEmbedded("health/v1/health.proto"),
    ...loadEmbedded("grpc/reflection/v1/reflection.proto"),
    ...loadEmbedded("grpc/reflection/v1alpha/reflection.proto"),
  };
  new ReflectionService(described).addToServer(server);

  const grpcPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${config.host}:${config.grpcPort}`, ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(new Error(`cannot listen for gRPC on ${config.host}:${config.grpcPort}: ${listenFailure(error)}; set GRPC_PORT to a free port`)) : resolve(port),
    ),
  );
  let http: ReturnType<typeof startHttpServer>;
  try {
    http = startHttpServer({ host: config.host, port: config.httpPort, registry: metrics.registry, ready: () => readiness.check() });
  } catch (e) {
    throw new Error(`cannot listen for HTTP on ${config.host}:${config.httpPort}: ${(e as Error).message}; set HTTP_PORT to a free port`);
  }
  await readiness.start();
  log.info("todod listening", { version: VERSION.version, commit: VERSION.commit, grpcPort, httpPort: http.port, store: description });

  const signal = await signalled;
  log.info("draining", { signal, seconds: config.drainSeconds });
  await readiness.drain();
  await new Promise<void>((done) => {
    const deadline = setTimeout(() => {
      log.warn("drain deadline passed; cancelling the calls still running");
      server.forceShutdown();
      done();
    }, config.drainSeconds * 1000);
    server.tryShutdown(() => {
      clearTimeout(deadline);
      done();
    });
  });
  http.stop(true);
  await store.close();
  log.info("stopped");
}
