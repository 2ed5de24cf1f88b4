// The command-line side of gRPC: one client for todo.v1.TodoService, calls with a deadline, and
// failures turned into one line a person can act on. Calls go over src/cli/grpc-http2.ts with the
// static codecs of src/cli/codec.ts, not grpc-js, which would cost a one-shot command most of its time;
// to the local daemon, its unary todo calls go as Connect JSON on its HTTP socket (connect-json.ts),
// which loads neither: gRPC's transport and codecs are imported when first used.
import { unixSocketPath } from "../config/fields";
import type { Todo, Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { WatchTodosRequest } from "../proto/gen/types/todo/v1/WatchTodosRequest";
import type { WatchTodosResponse__Output } from "../proto/gen/types/todo/v1/WatchTodosResponse";
import type { ServerInfo__Output } from "../proto/gen/types/todo/v1/ServerInfo";
import type { METHODS } from "./codec";
import { ConnectChannel, JSON_METHODS } from "./connect-json";
import { CliError, type ErrorKind } from "./errors";
import type { ChannelOptions, GrpcChannel } from "./grpc-http2";
import { GrpcError, NOT_ANSWERING, Status } from "./grpc-status";
import { LOCAL_ANSWER_MS, notAnswering, type Target, withLocalDaemon } from "./local-daemon";
import { type ConnectionFlags, resolveConnection } from "./settings";

/** The connection flags of a command (connectionArgs); unset ones come from the environment or the config file. */
export type ConnectionOptions = ConnectionFlags;

function readPem(flag: string, path: string): Buffer {
  try {
    // node:fs only for TLS: the local daemon's calls do without it (terminal.ts says why).
    return (require("node:fs") as typeof import("node:fs")).readFileSync(path);
  } catch (e) {
    throw new CliError(`${flag}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, "input");
  }
}

/**
 * Plain-text gRPC, or TLS when --tls, --ca, --cert or --insecure-skip-verify asks for it; every call
 * carries the bearer token, when there is one.
 */
export function channelOptions(connection: Target): ChannelOptions {
  const metadata = connection.token ? { authorization: `Bearer ${connection.token}` } : undefined;
  // The local daemon answers at once or not at all: one that does not is said so within a bound, not at --timeout.
  const answerWithinMs = connection.localDaemon ? LOCAL_ANSWER_MS : undefined;
  if (!connection.tls && !connection.ca && !connection.cert && !connection.insecureSkipVerify) return { addr: connection.addr, metadata, answerWithinMs };
  if (unixSocketPath(connection.addr) !== undefined)
    throw new CliError(`${connection.addr} is a Unix socket, which this client reaches without TLS: drop --tls, --ca, --cert and --insecure-skip-verify`, "input");
  const tls = {
    ca: connection.ca ? readPem("--ca", connection.ca) : undefined,
    cert: connection.cert ? readPem("--cert", connection.cert) : undefined,
    key: connection.key ? readPem("--key", connection.key) : undefined,
    insecureSkipVerify: connection.insecureSkipVerify,
  };
  return { addr: connection.addr, tls, metadata };
}

/** The fields of a todo that an update changes (UpdateTodo's mask paths). */
const CHANGEABLE = ["title", "description", "tags", "state", "reminder"] as const;
export type TodoChanges = Pick<Todo, (typeof CHANGEABLE)[number]>;

type Methods = typeof METHODS;
type Request<M extends keyof Methods> = Parameters<Methods[M]["encode"]>[0];
type Response<M extends keyof Methods> = ReturnType<Methods[M]["decode"]>;

/** Transport failures that mean nothing answered at that address. */
const UNREACHABLE = /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EADDRNOTAVAIL|EPIPE|ENOENT|ERR_HTTP2_\w+)$/;
/** Of those, the ones where no connection was made (refused, no such host, no such Unix socket): no call was sent. */
const NEVER_CONNECTED = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ENOENT)$/;

export class TodoClient {
  private channel?: GrpcChannel;
  private readonly connect?: ConnectChannel;
  private readonly timeoutMs: number;

  constructor(
    readonly options: Target,
    private readonly channelOptions: ChannelOptions = { addr: options.addr },
  ) {
    this.timeoutMs = options.timeout * 1000;
    const http = options.localDaemon?.http;
    if (http !== undefined && !channelOptions.tls)
      this.connect = new ConnectChannel({ socket: http, pid: options.localDaemon!.pid, metadata: channelOptions.metadata, answerWithinMs: LOCAL_ANSWER_MS });
  }

  /** The gRPC channel, made (and its transport loaded) by the first call that needs it. */
  private async grpc(): Promise<{ channel: GrpcChannel; codec: typeof import("./codec") }> {
    const [{ GrpcChannel }, codec] = await Promise.all([import("./grpc-http2"), import("./codec")]);
    this.channel ??= new GrpcChannel(this.channelOptions);
    return { channel: this.channel, codec };
  }

  /** The moment a call started now must end by: the --timeout from now. */
  deadline(): number {
    return Date.now() + this.timeoutMs;
  }

  call<M extends keyof Methods>(method: M, request: Request<M>, deadline = this.deadline()): Promise<Response<M>> {
    return this.send(method, request, deadline).catch((error) => Promise.reject(this.explain(error)));
  }

  private async send<M extends keyof Methods>(method: M, request: Request<M>, deadline: number): Promise<Response<M>> {
    const path = `/todo.v1.TodoService/${method}`;
    const json = this.connect && ((JSON_METHODS as Partial<Record<string, unknown>>)[method] as { toJson(r: Request<M>): unknown; fromJson(json: unknown): Response<M> } | undefined);
    if (json) return json.fromJson(await this.connect!.unary(path, json.toJson(request), Math.max(0, deadline - Date.now())));
    const { channel, codec } = await this.grpc();
    const m = codec.METHODS[method] as unknown as { path: string; encode(r: Request<M>): Uint8Array; decode(b: Uint8Array): Response<M> };
    return channel.unary(m.path, m.encode(request), m.decode, Math.max(0, deadline - Date.now()));
  }

  /** The todo with this id. */
  get(id: string, deadline?: number): Promise<Todo__Output> {
    return this.call("GetTodo", { id }, deadline);
  }

  /**
   * Changes the fields given in `changes`, and only those: the update mask names each field present
   * (`reminder: null` clears the reminder, `tags: []` the tags). With an etag, only that version changes.
   */
  update(id: string, changes: TodoChanges, options: { etag?: string } = {}): Promise<Todo__Output> {
    const paths = CHANGEABLE.filter((field) => changes[field] !== undefined);
    // An empty mask would mean "every field set", so a call with nothing to change is refused here.
    if (paths.length === 0) return Promise.reject(new CliError(`nothing to update: give at least one of ${CHANGEABLE.join(", ")}`, "input"));
    const todo: Todo = { id, etag: options.etag ?? "" };
    for (const field of paths) Object.assign(todo, { [field]: changes[field] });
    return this.call("UpdateTodo", { todo, update_mask: { paths } });
  }

  /** Deletes the todo with this id; with an etag, only that version. */
  delete(id: string, options: { etag?: string } = {}): Promise<void> {
    return this.call("DeleteTodo", { id, etag: options.etag ?? "" }).then(() => undefined);
  }

  /** The daemon's version and commit (todo.v1.ServerInfoService, on the same connection). */
  serverInfo(): Promise<ServerInfo__Output> {
    const call = this.grpc().then(({ channel, codec: { GET_SERVER_INFO } }) => channel.unary(GET_SERVER_INFO.path, GET_SERVER_INFO.encode({}), GET_SERVER_INFO.decode, this.timeoutMs));
    return call.catch((error) => {
      if (error instanceof GrpcError && error.code === Status.UNIMPLEMENTED)
        return Promise.reject(new CliError(`todod at ${this.options.addr} is older than todo.v1.ServerInfoService: it does not tell its version`, "failed", error.code));
      return Promise.reject(this.explain(error));
    });
  }

  /**
   * Streams WatchTodos, handing each message to `onMessage`; no deadline (a watch runs until stopped).
   * Resolves when the daemon ends the stream, or `onMessage` returns true (enough: the stream is
   * cancelled); rejects with the CliError of its status.
   */
  watch(request: WatchTodosRequest, onMessage: (message: WatchTodosResponse__Output) => boolean | void): Promise<void> {
    const call = this.grpc().then(({ channel, codec: { WATCH_TODOS } }) => channel.serverStream(WATCH_TODOS.path, WATCH_TODOS.encode(request), WATCH_TODOS.decode, onMessage));
    return call.catch((error) => Promise.reject(this.explain(error)));
  }

  close() {
    this.channel?.close();
  }

  /**
   * The one place a failed call becomes a CliError: its kind and status code for the command to act
   * on, and one line naming the cause and, where there is one, the next step.
   */
  private explain(error: unknown): CliError {
    if (error instanceof CliError) return error;
    if (!(error instanceof GrpcError)) return new CliError(String((error as Error)?.message ?? error));
    const [kind, message] = this.describe(error);
    return new CliError(message, kind, error.code);
  }

  private describe(error: GrpcError): [ErrorKind, string] {
    const addr = this.options.addr;
    // It never answered the connection, so no call reached it (a create is not retried into the timeout);
    // or it stopped answering mid-call (UNKNOWN: create-todo.ts says the todo may have been created).
    if (error.transportCode === NOT_ANSWERING)
      return ["not-connected", this.options.localDaemon ? notAnswering(this.options.localDaemon.pid) : `todod at ${addr} accepts connections but does not answer: is it stopped or hung?`];
    const tls = this.options.tls || this.options.ca !== undefined || this.options.cert !== undefined || this.options.insecureSkipVerify;
    switch (error.code) {
      case Status.UNAVAILABLE: {
        const code = error.transportCode;
        if (code === undefined) return ["unavailable", `todod at ${addr} cannot serve right now: ${error.details}`];
        // TLS failures: say which, and what to pass.
        if (/WRONG_VERSION_NUMBER|wrong version number/i.test(`${code} ${error.details}`))
          return ["connection", `${addr} does not speak TLS (todod serves plain-text gRPC unless TLS_CERT_FILE is set): drop --tls`];
        if (/CERTIFICATE_REQUIRED|certificate required/i.test(`${code} ${error.details}`))
          return ["connection", `todod at ${addr} requires a client certificate (mutual TLS): pass --cert FILE and --key FILE`];
        if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|HOSTNAME|ERR_SSL|ERR_TLS/i.test(code) || /certificate/i.test(error.details)) {
          const hint = /ALTNAME|HOSTNAME/i.test(code) || /altnames|Hostname\/IP/i.test(error.details)
            ? "its certificate is for another name: dial a name it carries"
            : this.options.ca
              ? `${this.options.ca} is not the CA that signed its certificate`
              : "pass --ca FILE if a private CA signed its certificate";
          return ["connection", `TLS with ${addr} failed: ${error.details.replace(/\s+/g, " ").trim()} (${code}) — ${hint}`];
        }
        // A Unix socket of another user's (or in a directory this user may not enter).
        if (code === "EACCES") return ["not-connected", `cannot reach todod at ${addr} (EACCES): this user may not connect to that socket`];
        if (UNREACHABLE.test(code)) {
          // Plain-text gRPC to a TLS port: the peer hangs up on what it cannot read.
          const hungUp = !tls && /^(ECONNRESET|EPIPE|ERR_HTTP2_\w+)$/.test(code);
          const hint = hungUp ? "is `todo serve` running? (if it serves TLS: pass --tls, or --ca FILE)" : "is `todo serve` running?";
          return [NEVER_CONNECTED.test(code) ? "not-connected" : "connection", `cannot reach todod at ${addr} (${code}) — ${hint}`];
        }
        return ["connection", `cannot reach todod at ${addr} (${code}: ${error.details})`];
      }
      case Status.UNAUTHENTICATED:
        return [
          "unauthenticated",
          this.options.token
            ? `todod at ${addr} refused the token: ${error.details}`
            : `todod at ${addr} requires a token: pass --token-file FILE, or set TODO_TOKEN or token in the config file (see todo config show)`,
        ];
      case Status.DEADLINE_EXCEEDED:
        return ["deadline", `todod at ${addr} did not answer within ${this.options.timeout} s; try a longer --timeout`];
      case Status.INVALID_ARGUMENT:
        return ["input", `invalid argument: ${error.details}`];
      // A request past the current end (a watch after a position beyond the log's head): the input's mistake.
      case Status.OUT_OF_RANGE:
        return ["input", `out of range: ${error.details}`];
      case Status.NOT_FOUND:
      case Status.FAILED_PRECONDITION:
      case Status.ALREADY_EXISTS:
        return ["answer", error.details];
      default:
        return ["failed", `todod at ${addr} answered ${Status[error.code] ?? error.code}: ${error.details}`];
    }
  }
}

/**
 * Runs `fn` with a client for the settings in effect (flags, environment, config file), and closes it
 * after. With no address configured it is the local daemon's, started if need be unless `startLocal` is
 * false (a command that only asks, as `todo version`, starts nothing).
 */
export async function withClient<T>(flags: ConnectionOptions, fn: (client: TodoClient) => Promise<T>, { startLocal = true } = {}): Promise<T> {
  const { connection: configured, sources } = await resolveConnection(flags);
  const connection = await withLocalDaemon(configured, sources.addr, startLocal);
  const client = new TodoClient(connection, channelOptions(connection));
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}
