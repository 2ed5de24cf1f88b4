import { expect, test } from "bun:test";
import { ConfigError } from "./error";
import { resolveConfig, serveArguments } from "./serve";

test("defaults follow the README table", () => {
  expect(resolveConfig({}, { HOME: "/home/u" }, false)).toEqual({
    host: "127.0.0.1",
    grpcPort: 8080,
    httpPort: 8081,
    httpApi: true,
    webPage: true,
    httpTls: false,
    corsOrigins: [],
    dataDir: expect.stringMatching(/\/\.local\/share\/todo$/),
    mongoUrl: undefined,
    mongoDb: undefined,
    logLevel: "info",
    logFormat: "json",
    maxConcurrentStreams: 500,
    maxConnections: 1000,
    idleSeconds: 300,
    drainSeconds: 10,
    authTokens: undefined,
    publicReflection: false,
    tls: undefined,
    insecure: false,
  });
});

test("a non-loopback host needs tokens or client certificates, unless --insecure says otherwise", () => {
  expect(() => resolveConfig({ host: "0.0.0.0" }, {}, false)).toThrow(
    new ConfigError(
      "--host 0.0.0.0 serves beyond this machine, so calls need a credential: set TODO_AUTH_TOKENS_FILE (or TLS_CLIENT_CA_FILE), or --insecure / TODO_INSECURE=true to let anyone who reaches the port read and change every todo",
    ),
  );
  // TLS alone hides the calls but lets anyone make them.
  expect(() => resolveConfig({}, { HOST: "10.0.0.5", TLS_CERT_FILE: "c.pem", TLS_KEY_FILE: "k.pem" }, false)).toThrow("serves beyond this machine");
  expect(resolveConfig({}, { HOST: "0.0.0.0", TODO_AUTH_TOKENS_FILE: "/run/secrets/tokens" }, false).authTokens).toEqual({ variable: "TODO_AUTH_TOKENS_FILE", file: "/run/secrets/tokens" });
  expect(resolveConfig({ host: "::" }, { TODO_AUTH_TOKENS: "ci:0123456789abcdef" }, false).authTokens).toEqual({ variable: "TODO_AUTH_TOKENS", text: "ci:0123456789abcdef" });
  expect(resolveConfig({}, { HOST: "0.0.0.0", TLS_CERT_FILE: "c", TLS_KEY_FILE: "k", TLS_CLIENT_CA_FILE: "ca" }, false).tls).toEqual({ certFile: "c", keyFile: "k", clientCaFile: "ca" });
  expect(resolveConfig({ host: "0.0.0.0", insecure: "true" }, {}, false).insecure).toBe(true);
  expect(resolveConfig({ host: "0.0.0.0" }, { TODO_INSECURE: "1" }, false).host).toBe("0.0.0.0");
  for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1"]) expect(resolveConfig({ host }, {}, false).host).toBe(host);
});

test("TLS and token settings that cannot work together are refused at start", () => {
  expect(() => resolveConfig({}, { TLS_CERT_FILE: "c.pem" }, false)).toThrow("TLS needs both --tls-cert-file / TLS_CERT_FILE and --tls-key-file / TLS_KEY_FILE");
  expect(() => resolveConfig({}, { TLS_CLIENT_CA_FILE: "ca.pem" }, false)).toThrow("TLS_CLIENT_CA_FILE needs TLS");
  expect(() => resolveConfig({}, { TODO_AUTH_TOKENS: "a", TODO_AUTH_TOKENS_FILE: "f" }, false)).toThrow("both set; keep one");
  expect(() => resolveConfig({ insecure: "maybe" }, {}, false)).toThrow('--insecure / TODO_INSECURE: "maybe" is not true or false');
  // A Unix socket is served in plain text: HTTP_TLS with HTTP_SOCKET would be silently without TLS.
  expect(() => resolveConfig({ "http-socket": "/run/todo/http.sock" }, { TLS_CERT_FILE: "c", TLS_KEY_FILE: "k", HTTP_TLS: "true" }, false)).toThrow(
    "--http-tls / HTTP_TLS and --http-socket / HTTP_SOCKET: a Unix socket is served in plain text (only its owner reaches it); unset one",
  );
  expect(resolveConfig({}, { HTTP_SOCKET: "/run/todo/http.sock" }, false).httpSocket).toBe("/run/todo/http.sock");
});

test("XDG_DATA_HOME, then TODO_DATA_DIR, then --data-dir", () => {
  expect(resolveConfig({}, { XDG_DATA_HOME: "/xdg" }, false).dataDir).toBe("/xdg/todo");
  expect(resolveConfig({}, { XDG_DATA_HOME: "/xdg", TODO_DATA_DIR: "/env" }, false).dataDir).toBe("/env");
  expect(resolveConfig({ "data-dir": "/flag" }, { TODO_DATA_DIR: "/env" }, false).dataDir).toBe("/flag");
});

test("a terminal gets pretty logs unless LOG_FORMAT says otherwise", () => {
  expect(resolveConfig({}, {}, true).logFormat).toBe("pretty");
  expect(resolveConfig({}, { LOG_FORMAT: "json" }, true).logFormat).toBe("json");
});

test("bad values are ConfigErrors naming flag and variable", () => {
  expect(() => resolveConfig({}, { HTTP_PORT: "70000" }, false)).toThrow(new ConfigError('--http-port / HTTP_PORT: "70000" is not a port (0 to 65535)'));
  expect(() => resolveConfig({ "max-concurrent-streams": "0" }, {}, false)).toThrow("--max-concurrent-streams / GRPC_MAX_CONCURRENT_STREAMS");
  expect(() => resolveConfig({}, { LOG_FORMAT: "xml" }, false)).toThrow('--log-format / LOG_FORMAT: "xml" is not json or pretty');
});

test("the original todod's LOG_LEVEL names are accepted, in any case, as logrus does", () => {
  const level = (LOG_LEVEL: string) => resolveConfig({}, { LOG_LEVEL }, false).logLevel;
  expect([level("warning"), level("fatal"), level("panic"), level("WARNING"), level("Info"), level("error")]).toEqual(["warn", "error", "error", "warn", "info", "error"]);
  expect(() => level("loud")).toThrow('--log-level / LOG_LEVEL: "loud" is not one of silent, error, warn, info, debug, trace');
});

test("Go-style single-dash flags mean the same as double-dash ones; anything else is left for the parser to refuse", () => {
  expect(serveArguments(["-grpc-port=9", "-mongo-url", "mongodb://h/-x", "--http-port", "0", "--log-level=debug"])).toEqual([
    "--grpc-port=9",
    "--mongo-url=mongodb://h/-x",
    "--http-port=0",
    "--log-level=debug",
  ]);
  // The strict parser refuses these, naming them as typed (test/e2e/daemon.test.ts, command-line.test.ts).
  expect(serveArguments(["-grpc_port=9", "--grpcport", "9", "-g", "8080", "--port", "1"])).toEqual(["-grpc_port=9", "--grpcport", "9", "-g", "8080", "--port", "1"]);
  expect(serveArguments(["-grpc-port"])).toEqual(["--grpc-port"]);
  // A boolean flag alone is true and takes no value from the next argument.
  expect(serveArguments(["--insecure", "--public-reflection=false", "-insecure", "--grpc-port", "0"])).toEqual(["--insecure=true", "--public-reflection=false", "--insecure=true", "--grpc-port=0"]);
});

test("the relay: off without EVENTS_URL; the URL's scheme, the stream and the format are checked, and no password is echoed", () => {
  expect(resolveConfig({}, {}, false).events).toBeUndefined();
  expect(resolveConfig({}, { EVENTS_URL: "amqp://u:p@rabbit:5672" }, false).events).toEqual({ url: "amqp://u:p@rabbit:5672", stream: "todo.events", format: "protobuf" });
  expect(resolveConfig({ "events-format": "json", "events-stream": "s" }, { EVENTS_URL: "amqps://rabbit" }, false).events).toEqual({ url: "amqps://rabbit", stream: "s", format: "json" });
  expect(() => resolveConfig({}, { EVENTS_URL: "http://u:hunter22@rabbit" }, false)).toThrow('--events-url / EVENTS_URL: "http://u:***@rabbit" is not an amqp:// or amqps:// URL with a host');
  expect(() => resolveConfig({}, { EVENTS_URL: "amqp://" }, false)).toThrow("--events-url / EVENTS_URL");
  expect(() => resolveConfig({}, { EVENTS_FORMAT: "xml" }, false)).toThrow('--events-format / EVENTS_FORMAT: "xml" is not one of protobuf, json');
  expect(() => resolveConfig({}, { EVENTS_STREAM: "amq.events" }, false)).toThrow("--events-stream / EVENTS_STREAM");
});

test("a MONGO_DB that MongoDB would refuse is refused before starting, not on every call", () => {
  for (const bad of ["bad$name", "a.b", "with space", "x".repeat(64), "a/b"])
    expect(() => resolveConfig({}, { MONGO_DB: bad }, false)).toThrow(`--mongo-db / MONGO_DB: ${JSON.stringify(bad)} is not a MongoDB database name`);
  expect(resolveConfig({ "mongo-db": "todo_prod-2" }, {}, false).mongoDb).toBe("todo_prod-2");
});

test("GRPC_SOCKET (or --grpc-socket) serves gRPC on a Unix socket, its path made absolute", () => {
  expect(resolveConfig({}, { GRPC_SOCKET: "/run/user/1000/todo/daemon.sock" }, false).grpcSocket).toBe("/run/user/1000/todo/daemon.sock");
  expect(resolveConfig({ "grpc-socket": "todo.sock" }, {}, false).grpcSocket).toBe(`${process.cwd()}/todo.sock`);
  expect(resolveConfig({}, {}, false).grpcSocket).toBeUndefined();
});
