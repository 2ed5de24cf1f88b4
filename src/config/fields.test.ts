import { expect, test } from "bun:test";
import fc from "fast-check";
import { ConfigError } from "./error";
import { amqpUrl, boolean, grpcAddress, logLevel, port, secretText, seconds } from "./fields";
import { parseSetting, resolveSettings, type Setting } from "./table";

const setting = <T>(field: Setting<T>["field"]): Setting<T> => ({ env: "X", description: "", field });

test("a port is a whole number from 0 to 65535 in decimal, and nothing else", () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 65535 }), (n) => expect(port.parse(String(n))).toBe(n)));
  fc.assert(
    fc.property(fc.string(), (text) => {
      if (/^\d{1,5}$/.test(text) && Number(text) <= 65535) return;
      expect(() => parseSetting(setting(port), text, "--p / X")).toThrow(ConfigError);
    }),
  );
  for (const bad of ["0x10", "1e3", " 80", "-1", "65536", ""]) expect(() => port.parse(bad)).toThrow("is not a port (0 to 65535)");
});

test("log levels: the six, and the original's warning, fatal, panic, in any case", () => {
  expect(["warning", "FATAL", "Panic", "Info", "trace"].map((l) => logLevel.parse(l))).toEqual(["warn", "error", "error", "info", "trace"]);
  expect(() => logLevel.parse("loud")).toThrow("is not one of silent, error, warn, info, debug, trace");
});

test("an AMQP URL needs a host; a refused one is shown without its user info", () => {
  expect(amqpUrl.parse("amqps://u:p@rabbit:5671/v")).toBe("amqps://u:p@rabbit:5671/v");
  for (const bad of ["amqp://", "amqp://:5672", "amqp://@/vhost", "http://rabbit", "rabbit:5672"]) expect(() => amqpUrl.parse(bad)).toThrow("with a host");
  expect(() => parseSetting(setting(amqpUrl), "amqp://user:hunter22@", "--events-url / EVENTS_URL")).toThrow('--events-url / EVENTS_URL: "amqp://user:***@" is not');
});

test("a token is never shown, even refused", () => {
  expect(() => parseSetting(setting(secretText("token")), 42, "TODO_TOKEN")).toThrow("TODO_TOKEN: (hidden) is not");
});

test("booleans and seconds take the config file's TOML values as well as text", () => {
  expect([boolean.parse(true), boolean.parse("TRUE"), boolean.parse("0")]).toEqual([true, true, false]);
  expect([seconds().parse(30), seconds().parse("0.5")]).toEqual([30, 0.5]);
  expect(() => seconds().parse(86_401)).toThrow("is more than 86400 seconds (a day)");
  expect(() => seconds().parse(-1)).toThrow("is not a positive number of seconds");
});

test("a gRPC address is host:port", () => {
  for (const good of ["localhost:8080", "127.0.0.1:1", "[::1]:8080", "todo.example.com:443"]) expect(grpcAddress.parse(good)).toBe(good);
  expect(() => grpcAddress.parse("localhost")).toThrow("has no port: write host:port, e.g. localhost:8080");
  for (const bad of [":8080", "host:99999", "http://host:80", "a b:1"]) expect(() => grpcAddress.parse(bad)).toThrow("is not host:port");
  for (const good of ["unix:/run/user/1000/todo/daemon.sock", "unix:///tmp/todo.sock"]) expect(grpcAddress.parse(good)).toBe(good);
  for (const bad of ["unix:", "unix:relative.sock", "unix://host/x"]) expect(() => grpcAddress.parse(bad)).toThrow("is not unix:/absolute/path");
});

test("a flag beats the variable, which beats the file, which beats the default; an empty variable is unset", () => {
  const table = { n: { env: "N", description: "", default: "1", field: port } } satisfies Record<string, Setting>;
  const file = { path: "/c.toml", values: { n: 3 } };
  expect(resolveSettings(table, { n: "4" }, { N: "2" }, file)).toEqual({ values: { n: 4 }, sources: { n: "flag --n" } });
  expect(resolveSettings(table, {}, { N: "2" }, file)).toEqual({ values: { n: 2 }, sources: { n: "env N" } });
  expect(resolveSettings(table, {}, { N: "" }, file)).toEqual({ values: { n: 3 }, sources: { n: "file /c.toml" } });
  expect(resolveSettings(table, {}, {})).toEqual({ values: { n: 1 }, sources: { n: "default" } });
});
