import { expect, test } from "bun:test";
import { ConfigError, resolveConfig, serveArguments } from "./config";

test("defaults follow the README table", () => {
  expect(resolveConfig({}, { HOME: "/home/u" }, false)).toEqual({
    host: "0.0.0.0",
    grpcPort: 8080,
    httpPort: 8081,
    dataDir: expect.stringMatching(/\/\.local\/share\/todo$/),
    mongoUrl: undefined,
    mongoDb: undefined,
    logLevel: "info",
    logFormat: "json",
    maxConcurrentStreams: 500,
    drainSeconds: 10,
  });
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
});

test("the relay: off without EVENTS_URL; the URL's scheme, the stream and the format are checked, and no password is echoed", () => {
  expect(resolveConfig({}, {}, false).events).toBeUndefined();
  expect(resolveConfig({}, { EVENTS_URL: "amqp://u:p@rabbit:5672" }, false).events).toEqual({ url: "amqp://u:p@rabbit:5672", stream: "todo.events", format: "protobuf" });
  expect(resolveConfig({ "events-format": "json", "events-stream": "s" }, { EVENTS_URL: "amqps://rabbit" }, false).events).toEqual({ url: "amqps://rabbit", stream: "s", format: "json" });
  expect(() => resolveConfig({}, { EVENTS_URL: "http://u:hunter22@rabbit" }, false)).toThrow('--events-url / EVENTS_URL: "http://u:***@rabbit" is not an amqp:// or amqps:// URL');
  expect(() => resolveConfig({}, { EVENTS_URL: "amqp://" }, false)).toThrow("--events-url / EVENTS_URL");
  expect(() => resolveConfig({}, { EVENTS_FORMAT: "xml" }, false)).toThrow('--events-format / EVENTS_FORMAT: "xml" is not one of protobuf, json');
  expect(() => resolveConfig({}, { EVENTS_STREAM: "amq.events" }, false)).toThrow("--events-stream / EVENTS_STREAM");
});
