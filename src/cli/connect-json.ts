// Unary calls to the local daemon as Connect JSON over fetch() on its HTTP socket (HTTP_SOCKET): Bun's
// fetch is native, so a one-shot command loads neither node:http2 nor the protobuf codecs, which cost
// `todo add` most of its time (docs/performance.md, "todo add to the local daemon"). Failures reject
// with the GrpcError gRPC would have given, so the client explains both in one place (client.ts).
import type { Todo, Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import { todoOutputFromJson, todoToJson } from "../wire/json";
import { GrpcError, httpStatusToGrpc, NOT_ANSWERING, Status } from "./grpc-status";

export interface ConnectChannelOptions {
  /** The Unix socket of the daemon's HTTP side. */
  socket: string;
  /** The daemon's process, which /proc tells stopped or not. */
  pid: number;
  /** Sent with every call (lower-case names), e.g. authorization. */
  metadata?: Record<string, string>;
  /**
   * How long the daemon may leave a call unanswered before it is asked whether it answers at all (its
   * health probe, within the same bound): one that accepts connections but does not run (stopped,
   * hung) fails with transport code NOT_ANSWERING rather than at the deadline.
   */
  answerWithinMs: number;
}

/** The request and answer of a method in proto3 JSON, from and to the shapes the gRPC codecs use (codec.ts). */
interface JsonMethod<Req, Res> {
  toJson(request: Req): unknown;
  fromJson(json: unknown): Res;
}

/** The Todo of a request, every field given (todoToJson reads an answer's shape). */
const todoJson = (todo: Todo) =>
  todoToJson({ id: "", title: "", description: "", tags: [], reminder: null, state: "STATE_UNSPECIFIED", create_time: null, update_time: null, etag: "", number: "0", ...todo } as Todo__Output);

/** The methods served over Connect to the local daemon; the others (streams, pages) go over gRPC. */
export const JSON_METHODS = {
  CreateTodo: { toJson: (r: { todo?: Todo | null; todo_id?: string }) => ({ todo: todoJson(r.todo ?? {}), todoId: r.todo_id ?? "" }), fromJson: todoOutputFromJson },
  GetTodo: { toJson: (r: { id?: string }) => ({ id: r.id ?? "" }), fromJson: todoOutputFromJson },
  UpdateTodo: {
    toJson: (r: { todo?: Todo | null; update_mask?: { paths?: string[] } | null }) => ({ todo: todoJson(r.todo ?? {}), updateMask: (r.update_mask?.paths ?? []).join(",") }),
    fromJson: todoOutputFromJson,
  },
  DeleteTodo: { toJson: (r: { id?: string; etag?: string }) => ({ id: r.id ?? "", etag: r.etag ?? "" }), fromJson: () => ({}) },
} satisfies Record<string, JsonMethod<never, unknown>>;

/** The Status of a Connect error code: gRPC's name in lower case, but for "canceled". */
function statusOf(code: unknown): Status | undefined {
  if (typeof code !== "string") return undefined;
  if (code === "canceled") return Status.CANCELLED;
  const status = Status[code.toUpperCase() as keyof typeof Status];
  return typeof status === "number" && status !== Status.OK ? status : undefined;
}

const transportFailure = (e: unknown) => new GrpcError(Status.UNAVAILABLE, (e as Error).message, (e as NodeJS.ErrnoException).code);

/** Whether /proc says the process is stopped (SIGSTOP, a debugger); undefined where there is no /proc. */
async function stopped(pid: number): Promise<boolean | undefined> {
  let stat: string;
  try {
    stat = await Bun.file(`/proc/${pid}/stat`).text();
  } catch {
    return undefined;
  }
  // pid (comm) state …: comm may hold spaces and parentheses, the state follows the last ")".
  return /^[Tt]$/.test(stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3));
}

export class ConnectChannel {
  private checked = false;

  constructor(private readonly options: ConnectChannelOptions) {}

  /** One request, one answer within `deadlineMs`; rejects with a GrpcError. */
  async unary(path: string, request: unknown, deadlineMs: number): Promise<unknown> {
    const started = Date.now();
    const { socket, answerWithinMs } = this.options;
    // A daemon that does not run is sent nothing of the call, so it cannot carry it out later (as the
    // gRPC channel waits for the peer's HTTP/2 settings): /proc tells a stopped one at once; elsewhere
    // its health probe must answer first (a round trip more).
    if (!this.checked) {
      const state = await stopped(this.options.pid);
      if (state === true || (state === undefined && !(await this.probe(answerWithinMs))))
        throw new GrpcError(Status.UNAVAILABLE, `unix:${socket} accepted the connection but sent nothing within ${answerWithinMs} ms`, NOT_ANSWERING);
      this.checked = true;
    }
    const left = deadlineMs - (Date.now() - started);
    const abort = new AbortController();
    let ended: GrpcError | undefined;
    const end = (error: GrpcError) => ((ended = error), abort.abort());
    const deadline = setTimeout(() => end(new GrpcError(Status.DEADLINE_EXCEEDED, "deadline exceeded")), Math.max(1, left));
    // A call still unanswered after answerWithinMs, on a daemon that does not answer its probe either
    // (hung since the call was sent): said so now, not at the deadline; the call may yet be carried
    // out, hence UNKNOWN (create-todo.ts names the todo to look up).
    const watchdog = setTimeout(() => {
      this.probe(answerWithinMs / 2).then(
        (answers) => answers || end(new GrpcError(Status.UNKNOWN, `unix:${socket} stopped answering within ${answerWithinMs} ms of the call`, NOT_ANSWERING)),
        () => {}, // gone: the call's own connection fails
      );
    }, Math.min(answerWithinMs, Math.max(1, left)));
    let status: number;
    let text: string;
    try {
      const response = await fetch(`http://localhost${path}`, {
        unix: socket,
        method: "POST",
        headers: { "content-type": "application/json", "connect-protocol-version": "1", "connect-timeout-ms": String(Math.max(1, Math.ceil(left))), ...this.options.metadata },
        body: JSON.stringify(request),
        signal: abort.signal,
      });
      status = response.status;
      text = await response.text();
    } catch (e) {
      // The connection closed before the answer: the call may have been carried out (retry.ts).
      throw ended ?? transportFailure(e);
    } finally {
      clearTimeout(deadline);
      clearTimeout(watchdog);
    }
    if (status === 200) {
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new GrpcError(Status.INTERNAL, `cannot decode the answer: ${(e as Error).message}`);
      }
    }
    let error: { code?: unknown; message?: unknown } | undefined;
    try {
      error = JSON.parse(text);
    } catch {}
    const code = statusOf(error?.code);
    if (code !== undefined) throw new GrpcError(code, typeof error?.message === "string" ? error.message : "");
    throw new GrpcError(httpStatusToGrpc(status), `HTTP status ${status} from unix:${socket}`);
  }

  /** Whether the daemon answers its health probe within `withinMs`; a failure to connect rejects, as the call's would. */
  private async probe(withinMs: number): Promise<boolean> {
    const bound = AbortSignal.timeout(withinMs);
    try {
      await (await fetch("http://localhost/healthz", { unix: this.options.socket, signal: bound })).arrayBuffer();
      return true;
    } catch (e) {
      if (bound.aborted) return false;
      throw transportFailure(e);
    }
  }
}
