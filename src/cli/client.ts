// The command-line side of gRPC: one client for todo.v1.TodoService, calls with a deadline, and
// failures turned into one line a person can act on.
import { type CallOptions, type ChannelCredentials, credentials, makeClientConstructor, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import type { Empty__Output } from "../proto/gen/types/google/protobuf/Empty";
import type { CreateTodoRequest } from "../proto/gen/types/todo/v1/CreateTodoRequest";
import type { DeleteTodoRequest } from "../proto/gen/types/todo/v1/DeleteTodoRequest";
import type { GetTodoRequest } from "../proto/gen/types/todo/v1/GetTodoRequest";
import type { SearchTodosRequest } from "../proto/gen/types/todo/v1/SearchTodosRequest";
import type { SearchTodosResponse__Output } from "../proto/gen/types/todo/v1/SearchTodosResponse";
import type { ServerInfo__Output } from "../proto/gen/types/todo/v1/ServerInfo";
import type { ServerInfoServiceClient } from "../proto/gen/types/todo/v1/ServerInfoService";
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import type { TodoServiceClient } from "../proto/gen/types/todo/v1/TodoService";
import type { UpdateTodoRequest } from "../proto/gen/types/todo/v1/UpdateTodoRequest";
import type { WatchTodosRequest } from "../proto/gen/types/todo/v1/WatchTodosRequest";
import type { WatchTodosResponse__Output } from "../proto/gen/types/todo/v1/WatchTodosResponse";
import { loadEmbedded } from "../proto/loader";
import { readFileSync } from "node:fs";
import { dropIpServername, encodeHeadersWithoutDynamicTable } from "./bun-transport";
import { CliError } from "./errors";
import { type Connection, type ConnectionFlags, resolveConnection } from "./settings";

/** The connection flags of a command (connectionArgs); unset ones come from the environment or the config file. */
export type ConnectionOptions = ConnectionFlags;

function readPem(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CliError(`${flag}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 2);
  }
}

/** Plain-text gRPC, or TLS when --tls, --ca, --cert or --insecure-skip-verify asks for it. */
export function channelCredentials(connection: Connection): ChannelCredentials {
  if (!connection.tls && !connection.ca && !connection.cert && !connection.insecureSkipVerify) return credentials.createInsecure();
  dropIpServername();
  const rootCerts = connection.ca ? readPem("--ca", connection.ca) : null;
  const key = connection.key ? readPem("--key", connection.key) : null;
  const cert = connection.cert ? readPem("--cert", connection.cert) : null;
  return credentials.createSsl(rootCerts, key, cert, connection.insecureSkipVerify ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {});
}

/** The metadata every call carries: the bearer token, when there is one. */
export function callMetadata(connection: Connection): Metadata {
  const metadata = new Metadata();
  if (connection.token) metadata.set("authorization", `Bearer ${connection.token}`);
  return metadata;
}

type Unary<Req, Res> = (request: Req, metadata: Metadata, options: CallOptions, callback: (error: ServiceError | null, response?: Res) => void) => unknown;

/** The service's methods as [request, response] (the generated client's overloads defeat inference). */
interface Methods {
  CreateTodo: [CreateTodoRequest, Todo__Output];
  GetTodo: [GetTodoRequest, Todo__Output];
  UpdateTodo: [UpdateTodoRequest, Todo__Output];
  DeleteTodo: [DeleteTodoRequest, Empty__Output];
  SearchTodos: [SearchTodosRequest, SearchTodosResponse__Output];
}

export class TodoClient {
  private readonly client: TodoServiceClient;
  private readonly timeoutMs: number;

  constructor(
    readonly options: Connection,
    channelCredentials: ChannelCredentials = credentials.createInsecure(),
  ) {
    this.timeoutMs = options.timeout * 1000;
    encodeHeadersWithoutDynamicTable();
    const Client = makeClientConstructor(loadEmbedded("todo/v1/todo.proto")["todo.v1.TodoService"] as any, "TodoService");
    this.client = new Client(options.addr, channelCredentials) as unknown as TodoServiceClient;
  }

  /** The moment a call started now must end by: the --timeout from now. */
  deadline(): number {
    return Date.now() + this.timeoutMs;
  }

  call<M extends keyof Methods>(method: M, request: Methods[M][0], deadline = this.deadline()): Promise<Methods[M][1]> {
    return new Promise((resolve, reject) => {
      const fn = this.client[method] as unknown as Unary<Methods[M][0], Methods[M][1]>;
      fn.call(this.client, request, callMetadata(this.options), { deadline }, (error, response) =>
        error ? reject(this.explain(error)) : resolve(response!),
      );
    });
  }

  /** The daemon's version and commit (todo.v1.ServerInfoService, on the same connection). */
  serverInfo(): Promise<ServerInfo__Output> {
    const Client = makeClientConstructor(loadEmbedded("todo/v1/server_info.proto")["todo.v1.ServerInfoService"] as any, "ServerInfoService");
    const info = new Client(this.options.addr, credentials.createInsecure(), { channelOverride: this.client.getChannel() }) as unknown as ServerInfoServiceClient;
    return new Promise((resolve, reject) => {
      info.GetServerInfo({}, callMetadata(this.options), { deadline: Date.now() + this.timeoutMs }, (error, response) => {
        if (error?.code === status.UNIMPLEMENTED) reject(new CliError(`todod at ${this.options.addr} is older than todo.v1.ServerInfoService: it does not tell its version`));
        else if (error) reject(this.explain(error));
        else resolve(response!);
      });
    });
  }

  /**
   * Streams WatchTodos, handing each message to `onMessage`; no deadline (a watch runs until stopped).
   * Resolves when the daemon ends the stream, rejects with the CliError of its status.
   */
  watch(request: WatchTodosRequest, onMessage: (message: WatchTodosResponse__Output) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const call = this.client.WatchTodos(request, callMetadata(this.options));
      call.on("data", onMessage);
      call.on("error", (error: ServiceError) => reject(this.explain(error)));
      call.on("end", resolve);
    });
  }

  close() {
    this.client.close();
  }

  /** One line naming the cause and, where there is one, the next step; it carries the status code. */
  private explain(error: ServiceError): CliError {
    const explained = this.describe(error);
    return new CliError(explained.message, explained.exitCode, error.code);
  }

  private describe(error: ServiceError): CliError {
    const addr = this.options.addr;
    switch (error.code) {
      case status.UNAVAILABLE:
        // TLS failures: say which, and what to pass.
        if (/WRONG_VERSION_NUMBER/i.test(error.details)) return new CliError(`${addr} does not speak TLS (todod serves plain-text gRPC unless TLS_CERT_FILE is set): drop --tls`);
        if (/CERTIFICATE_REQUIRED|certificate required/i.test(error.details))
          return new CliError(`todod at ${addr} requires a client certificate (mutual TLS): pass --cert FILE and --key FILE`);
        if (/certificate|altnames|Hostname\/IP|CERT_|SSL routines/i.test(error.details)) {
          const why = /Last error: (?:\w*Error(?: \[\w+\])?: )?(.+?)(?:\.? Resolution note:.*)?$/s.exec(error.details)?.[1] ?? error.details;
          const hint = /altnames|Hostname\/IP/.test(error.details)
            ? "its certificate is for another name: dial a name it carries"
            : this.options.ca
              ? `${this.options.ca} is not the CA that signed its certificate`
              : "pass --ca FILE if a private CA signed its certificate";
          return new CliError(`TLS with ${addr} failed: ${why.trim()} — ${hint}`);
        }
        // Failures to connect carry the transport's words; UNAVAILABLE from todod itself means its store.
        // grpc-js's own words for a transport failure; anything else came from todod.
        if (/No connection established|Connection dropped|Name resolution failed|Failed to connect/.test(error.details)) {
          const cause = /\b(E[A-Z]{4,})\b/.exec(error.details)?.[1];
          // A plain-text client to a TLS port: the TCP connection opens, then the HTTP/2 preface is dropped.
          const tlsHint = !cause && !this.options.tls && !this.options.ca && !this.options.cert ? " (if it serves TLS: pass --tls, or --ca FILE)" : "";
          return new CliError(`cannot reach todod at ${addr}${cause ? ` (${cause})` : ""} — is \`todo serve\` running?${tlsHint}`);
        }
        return new CliError(`todod at ${addr} cannot serve right now: ${error.details}`);
      case status.UNAUTHENTICATED:
        return new CliError(
          this.options.token
            ? `todod at ${addr} refused the token: ${error.details}`
            : `todod at ${addr} requires a token: pass --token-file FILE, or set TODO_TOKEN or token in the config file (see todo config show)`,
        );
      case status.DEADLINE_EXCEEDED:
        return new CliError(`todod at ${addr} did not answer within ${this.options.timeout} s; try a longer --timeout`);
      case status.INVALID_ARGUMENT:
        return new CliError(`invalid argument: ${error.details}`, 2);
      case status.NOT_FOUND:
      case status.FAILED_PRECONDITION:
      case status.ALREADY_EXISTS:
        return new CliError(error.details);
      default:
        return new CliError(`todod at ${addr} answered ${status[error.code]}: ${error.details}`);
    }
  }
}

/** Runs `fn` with a client for the settings in effect (flags, environment, config file), and closes it after. */
export async function withClient<T>(flags: ConnectionOptions, fn: (client: TodoClient) => Promise<T>): Promise<T> {
  const { connection } = await resolveConnection(flags);
  const client = new TodoClient(connection, channelCredentials(connection));
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}
