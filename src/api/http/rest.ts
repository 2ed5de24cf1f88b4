// REST, transcoded from the schema's google.api.http routes (AIP-127): the path's variables, the body
// and the query string make the request message, as grpc-gateway and Google's ESP read them; the answer
// is its proto3 JSON; an error is a google.rpc.Status with the status code's HTTP equivalent. A server-
// streaming route is served as server-sent events. The routes come from the schema at run time, so the
// served API and /openapi.json (generated from the same annotations) cannot drift apart.
import { type DescExtension, type DescField, type Registry, type DescMessage, fromJson, getOption, type JsonValue, type Message, ScalarType, toJson } from "@bufbuild/protobuf";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { StatusError } from "../grpc/status";
import type { BridgedMethod } from "./bridge";
import { beginCall, type HttpCall, type HttpCallHooks } from "./calls";
import { peerCommonName, peerOf } from "./connect";

/** google.rpc.Code → HTTP status, as Google's APIs map them (google/rpc/code.proto). */
const HTTP_STATUS = [200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401];
/** FAILED_PRECONDITION here means a stale etag: HTTP's own answer to a stale If-Match. */
const PRECONDITION_FAILED = 9;
const httpStatusOf = (code: number) => (code === PRECONDITION_FAILED ? 412 : (HTTP_STATUS[code] ?? 500));

type HttpRuleShape = { pattern: { case: string | undefined; value?: unknown }; body: string };

interface Route {
  verb: string;
  pattern: RegExp;
  /** The request field (dotted proto names) each path variable sets, in order. */
  variables: string[][];
  /** "" none, "*" the whole request, else the request field the body is. */
  body: string;
  method: BridgedMethod;
  template: string;
}

/** A path template's variables: `{id}` or `{todo.id}` (a single segment); anything else refused at start. */
function compile(template: string): { pattern: RegExp; variables: string[][] } {
  const variables: string[][] = [];
  const source = template.replace(/\{([^}]*)\}|[^{]+/g, (part, variable: string | undefined) => {
    if (variable === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
    if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/.test(variable)) throw new Error(`path template ${template}: only {field} variables are served`);
    variables.push(variable.split("."));
    return "([^/:]+)";
  });
  return { pattern: new RegExp(`^${source}$`), variables };
}

/** The routes of the bridged services, from their google.api.http options. */
export function restRoutes(schema: Registry, services: { methods: BridgedMethod[] }[]): Route[] {
  const http = schema.getExtension("google.api.http") as DescExtension | undefined;
  if (!http) throw new Error("google.api.http is not in the embedded schema; run bun run gen");
  const routes: Route[] = [];
  for (const { methods } of services)
    for (const method of methods) {
      const rule = getOption(method.method, http) as unknown as HttpRuleShape | undefined;
      const { case: verb, value } = rule?.pattern ?? { case: undefined };
      if (!rule || verb === undefined || typeof value !== "string") continue;
      routes.push({ verb: verb.toUpperCase(), ...compile(value), body: rule.body, method, template: value });
    }
  return routes;
}

const fieldOf = (message: DescMessage, name: string): DescField | undefined => message.fields.find((f) => f.name === name || f.jsonName === name);

/** Sets `value` at the field path `names` (proto or JSON names) of a JSON object, by JSON names. */
function setPath(json: Record<string, JsonValue>, message: DescMessage, names: string[], value: JsonValue, where: string): void {
  let target = json;
  let type = message;
  for (const [i, name] of names.entries()) {
    const field = fieldOf(type, name);
    if (!field) throw new RestError(3, `${where}: ${type.typeName} has no field ${name}`);
    if (i === names.length - 1) {
      target[field.jsonName] = value;
      return;
    }
    if (field.fieldKind !== "message") throw new RestError(3, `${where}: ${name} is not a message`);
    const inner = target[field.jsonName];
    target = (inner !== null && typeof inner === "object" && !Array.isArray(inner) ? inner : (target[field.jsonName] = {})) as Record<string, JsonValue>;
    type = field.message;
  }
}

/** The field at a path, to type a query value; undefined when there is none. */
function fieldAt(message: DescMessage, names: string[]): DescField | undefined {
  let type: DescMessage | undefined = message;
  let field: DescField | undefined;
  for (const name of names) {
    if (!type) return undefined;
    field = fieldOf(type, name);
    type = field?.fieldKind === "message" ? field.message : undefined;
  }
  return field;
}

/** A query string value as its field's proto3 JSON: a bool is true/false; numbers, enums, times and masks stay strings. */
function queryValue(field: DescField, text: string, name: string): JsonValue {
  const scalar = field.fieldKind === "scalar" || (field.fieldKind === "list" && field.listKind === "scalar") ? field.scalar : undefined;
  if (scalar === ScalarType.BOOL) {
    if (text === "true" || text === "1") return true;
    if (text === "false" || text === "0") return false;
    throw new RestError(3, `${name}: ${JSON.stringify(text)} is not true or false`);
  }
  const enumeration = field.fieldKind === "enum" ? field.enum : field.fieldKind === "list" && field.listKind === "enum" ? field.enum : undefined;
  if (enumeration && !enumeration.values.some((v) => v.name === text))
    throw new RestError(3, `${name}: ${JSON.stringify(text)} is not one of ${enumeration.values.map((v) => v.name).join(", ")}`);
  return text;
}

class RestError {
  constructor(
    readonly code: number,
    readonly details: string,
    /** When HTTP has a more precise status than the code's (413 for a body too large). */
    readonly httpStatus?: number,
  ) {}
}

/** An etag from an If-Match header: `"abc"`, `W/"abc"` or a bare token. */
const ifMatchEtag = (header: string) => header.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1");

async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new RestError(8, `the request body exceeds ${maxBytes} bytes`, 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The request message of a matched route, from the path, the body and the query string. */
async function requestOf(route: Route, match: RegExpExecArray, url: URL, request: IncomingMessage, maxBytes: number): Promise<Message> {
  const input = route.method.method.input;
  let json: Record<string, JsonValue> = {};
  if (route.body !== "") {
    const type = request.headers["content-type"] ?? "application/json";
    if (!/^application\/json\s*(;|$)/i.test(type)) throw new RestError(3, `the request body must be JSON (content-type: application/json), not ${type}`);
    const text = await readBody(request, maxBytes);
    let body: JsonValue;
    try {
      body = text.trim() === "" ? {} : (JSON.parse(text) as JsonValue);
    } catch (e) {
      throw new RestError(3, `the request body is not JSON: ${(e as Error).message}`);
    }
    if (route.body === "*") {
      if (body === null || typeof body !== "object" || Array.isArray(body)) throw new RestError(3, "the request body must be a JSON object");
      json = body;
    } else setPath(json, input, [route.body], body, "body");
  }
  for (const [i, names] of route.variables.entries()) setPath(json, input, names, decodeURIComponent(match[i + 1]!), `path ${route.template}`);
  const seen = new Map<string, JsonValue[]>();
  for (const [key, text] of url.searchParams) {
    const names = key.split(".");
    const field = fieldAt(input, names);
    if (!field || field.fieldKind === "map" || (field.fieldKind === "message" && !field.message.typeName.startsWith("google.protobuf.")) || names[0] === route.body)
      throw new RestError(3, `${key}: not a query parameter of ${route.verb} ${route.template}`);
    const values = seen.get(key) ?? [];
    values.push(queryValue(field, text, key));
    seen.set(key, values);
    if (field.fieldKind !== "list" && values.length > 1) throw new RestError(3, `${key}: given more than once`);
    setPath(json, input, names, field.fieldKind === "list" ? values : values[0]!, key);
  }
  // If-Match names the version the change is for: the etag beside the id the path names.
  const ifMatch = request.headers["if-match"];
  const idPath = route.variables.find((names) => names.at(-1) === "id");
  if (typeof ifMatch === "string" && idPath) {
    const etagPath = [...idPath.slice(0, -1), "etag"];
    if (fieldAt(input, etagPath)) setPath(json, input, etagPath, ifMatchEtag(ifMatch), "If-Match");
  }
  try {
    return fromJson(input, json);
  } catch (e) {
    throw new RestError(3, `${failingField(input, json) ?? "request"}: ${reasonOf(e)}`);
  }
}

/** protobuf-es's reason without its preamble ("cannot decode field todo.v1.Todo.reminder from JSON: "). */
const reasonOf = (e: unknown) => (e as Error).message.replace(/^cannot decode .*? from JSON: /, "");

/** The JSON path (todo.reminder) of the first value that does not decode, to name it in the error. */
function failingField(message: DescMessage, json: JsonValue, path = ""): string | undefined {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return undefined;
  for (const [key, value] of Object.entries(json)) {
    const field = fieldOf(message, key);
    const here = path ? `${path}.${key}` : key;
    if (!field) return here;
    try {
      fromJson(message, { [key]: value });
    } catch {
      const inner = field.fieldKind === "message" && !field.message.typeName.startsWith("google.protobuf.") ? failingField(field.message, value, here) : undefined;
      return inner ?? here;
    }
  }
  return undefined;
}

const statusJson = ({ code, details }: StatusError) => JSON.stringify({ code, message: details, details: [] });

function answerError(response: ServerResponse, error: StatusError, httpStatus = httpStatusOf(error.code)): void {
  if (response.headersSent) return void response.end();
  response.writeHead(httpStatus, { "content-type": "application/json" }).end(statusJson(error));
}

/** A watch's events wait at most this long for a proxy-visible byte: a comment line keeps the stream alive. */
const HEARTBEAT_MS = 15_000;

export interface RestOptions {
  routes: Route[];
  hooks: HttpCallHooks;
  readMaxBytes: number;
}

/** Serves a request when a route matches it (true); false leaves it to the caller. */
export function restHandler(options: RestOptions) {
  const { routes, hooks } = options;
  const methodsOf = new Map<Route, string[]>();
  return (request: IncomingMessage, response: ServerResponse, url: URL): boolean => {
    const matching = routes.filter((route) => route.pattern.test(url.pathname));
    if (matching.length === 0) return false;
    const route = matching.find((r) => r.verb === request.method || (r.verb === "GET" && request.method === "HEAD"));
    if (!route) {
      let allowed = methodsOf.get(matching[0]!);
      if (!allowed) methodsOf.set(matching[0]!, (allowed = matching.map((r) => r.verb)));
      response
        .writeHead(405, { "content-type": "application/json", allow: allowed.join(", ") })
        .end(statusJson({ code: 12, details: `${request.method} is not served at ${url.pathname}; use ${allowed.join(" or ")}` }));
      return true;
    }
    serve(route, route.pattern.exec(url.pathname)!, url, request, response, hooks, options.readMaxBytes).catch((e: unknown) => {
      hooks.log.error("REST request failed", { path: url.pathname }, e);
      answerError(response, { code: 13, details: "internal error; the daemon's log has the details" });
    });
    return true;
  };
}

async function serve(route: Route, match: RegExpExecArray, url: URL, request: IncomingMessage, response: ServerResponse, hooks: HttpCallHooks, maxBytes: number) {
  const streaming = route.method.method.methodKind === "server_streaming";
  const gone = new AbortController();
  response.once("close", () => response.writableFinished || gone.abort());
  const timeout = request.headers["x-server-timeout"];
  const seconds = typeof timeout === "string" ? Number(timeout) : undefined;
  if (seconds !== undefined && !(seconds > 0)) return answerError(response, { code: 3, details: `X-Server-Timeout: ${JSON.stringify(timeout)} is not a number of seconds` });
  const began = beginCall(hooks, {
    protocol: "rest",
    path: route.method.path,
    streaming,
    authorization: request.headers.authorization,
    requestId: typeof request.headers["x-request-id"] === "string" ? request.headers["x-request-id"] : undefined,
    peer: peerOf(request),
    peerCommonName: () => peerCommonName(request),
    timeoutMs: seconds === undefined ? undefined : seconds * 1000,
    signal: gone.signal,
  });
  if ("refused" in began) {
    response.setHeader("www-authenticate", 'Bearer realm="todo"');
    return answerError(response, began.refused);
  }
  const call = began;
  try {
    const message = await requestOf(route, match, url, request, maxBytes);
    if (streaming) return await serveEvents(route, message, call, response);
    const answer = await route.method.unary(message, call.ctx);
    const output = route.method.method.output;
    const etag = output.fields.some((f) => f.name === "etag") ? (answer as unknown as { etag?: string }).etag : undefined;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (etag) headers.etag = `"${etag}"`;
    response.writeHead(200, headers).end(request.method === "HEAD" ? undefined : JSON.stringify(toJson(output, answer)));
    call.end(0);
  } catch (error) {
    const status = error instanceof RestError ? { code: error.code, details: error.details } : call.fail(error);
    call.end(status.code);
    // A body left unread would be taken for the next request on this connection.
    if (!request.complete) response.setHeader("connection", "close");
    answerError(response, status, error instanceof RestError ? error.httpStatus : undefined);
  }
}

/** A server-streaming route as server-sent events: `id:` the message's position (when it has one), `data:` its JSON. */
async function serveEvents(route: Route, message: Message, call: HttpCall, response: ServerResponse): Promise<void> {
  const output = route.method.method.output;
  const positioned = output.fields.some((f) => f.name === "position");
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", "x-accel-buffering": "no" });
  response.flushHeaders();
  let unsent = 0;
  const heartbeat = setInterval(() => response.write(": keepalive\n\n"), HEARTBEAT_MS);
  try {
    await route.method.streaming(message, call.ctx, {
      write(event) {
        const json = toJson(output, event) as Record<string, JsonValue>;
        const id = positioned && typeof json.position === "string" ? `id: ${json.position}\n` : "";
        unsent++;
        const flushed = response.write(`${id}data: ${JSON.stringify(json)}\n\n`);
        if (flushed) {
          unsent--;
          return Promise.resolve();
        }
        return new Promise<void>((taken) => response.once("drain", () => (unsent--, taken())));
      },
      get unsent() {
        return unsent;
      },
    });
    if (call.cutOff) throw call.cutOff;
    call.end(0);
  } catch (error) {
    const status = call.fail(error);
    call.end(status.code);
    if (!response.destroyed) response.write(`event: error\ndata: ${statusJson(status)}\n\n`);
  } finally {
    clearInterval(heartbeat);
    response.end();
  }
}
