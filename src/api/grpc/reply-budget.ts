// Memory held in replies that clients do not read is bounded. A reply is serialized whole and handed to
// HTTP/2, which holds what flow control has not let out; 250 v1.ToDoService/Search calls whose ~4 MiB
// replies were never read took the daemon from 86 MiB to 1,144 MiB, until the client disconnected.
//
// What counts is what is unsent: a message's bytes count against its connection and against the daemon
// from when it is written until it has left (the write's callback: measured on Bun 1.4.5, it fires once
// the whole message is flushed, and a stream's writableLength holds exactly the bytes written and not yet
// flushed), or its stream closes, whichever comes first. So a watch that reads what it is sent holds
// nothing however long it runs; one that stops reading holds at most its own bound (todo-v1's WATCH_LIMITS).
//
// A unary call reserves room for its reply before its handler runs (RESERVED_REPLY_BYTES, which holds any
// reply to a write); a call that finds no room is refused then, so nothing was done, and it says so. A
// reply within its reservation is always sent: a write that committed is never answered "retry". Only
// the part of a reply beyond its reservation (a large Search page) is checked again, and when it would
// pass a budget the reply is not sent and the call fails RESOURCE_EXHAUSTED saying why: a read, safe to
// retry. A streamed message that would pass a budget ends its stream the same way.
//
// grpc-js has no hook between serializing a reply and writing it, so BaseServerInterceptingCall's
// sendMessage is wrapped on its prototype (as its decompression is in ./malformed.ts).
import { type ServerInterceptor, ServerInterceptingCall, ServerListenerBuilder, status } from "@grpc/grpc-js";
import { BaseServerInterceptingCall } from "@grpc/grpc-js/build/src/server-interceptors";

export const REPLY_BUDGET = {
  /** Unsent reply bytes one connection may hold: 16 replies of 4 MiB. */
  connectionBytes: 64 * 1024 * 1024,
  /** Unsent reply bytes all connections together may hold. */
  totalBytes: 256 * 1024 * 1024,
} as const;

/**
 * Room a unary call reserves for its reply before its handler runs: more than any reply to a write
 * (a todo at the rules' limits encodes to ~50 KB; src/api/grpc/reply-budget.test.ts checks it), and
 * no more, since every call in flight holds it: at 128 KiB, 2,000 creates waiting out a paused MongoDB
 * (test/e2e/crash.test.ts) filled the daemon's 256 MiB and later ones were refused.
 */
export const RESERVED_REPLY_BYTES = 64 * 1024;

type Stream = { once(event: "close", listener: () => void): unknown; session?: object; closed?: boolean; destroyed?: boolean };
type Call = {
  stream: Stream;
  checkCancelled(): boolean;
  serializeMessage(message: unknown): Buffer;
  sendStatus(status: { code: status; details: string; metadata: null }): void;
};
type SendMessage = (this: Call, message: unknown, callback: () => void) => void;

/** What one HTTP/2 stream holds against the budgets. */
interface Held {
  session: object;
  /** Bytes written and not yet flushed. */
  unsent: number;
  /** Room reserved for a unary reply not yet written. */
  reserved: number;
  closed: boolean;
}

const MiB = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MiB`;

/** Where a call's base (the grpc-js call that owns its HTTP/2 stream) keeps the budget of its server. */
const BUDGET = Symbol("todo.replyBudget");
/** Marks grpc-js's sendMessage as wrapped, so a second server does not wrap it again. */
const WRAPPED = Symbol("todo.replyBudget.wrapped");

type BudgetedCall = Call & { [BUDGET]?: ReplyBudget };

/**
 * One server's budget: what its connections hold. Each server has its own (src/api/grpc/server.ts), so
 * nothing of it is shared by the process; grpc-js's sendMessage, wrapped once for the process, finds a
 * call's budget on the call itself, where this budget's interceptor put it.
 */
export class ReplyBudget {
  private total = 0;
  private readonly perConnection = new WeakMap<object, number>();
  private readonly perStream = new WeakMap<Stream, Held>();

  constructor(private readonly limits: { readonly connectionBytes: number; readonly totalBytes: number } = REPLY_BUDGET) {
    wrapSendMessage();
  }

  /** Unsent reply bytes (and reservations) held now, by all of this server's connections. */
  get held(): number {
    return this.total;
  }

  add(session: object, bytes: number): void {
    this.total += bytes;
    this.perConnection.set(session, (this.perConnection.get(session) ?? 0) + bytes);
  }

  /** Why `bytes` more do not fit, or undefined when they do. */
  overBudget(session: object, bytes: number): string | undefined {
    const held = this.perConnection.get(session) ?? 0;
    if (held + bytes > this.limits.connectionBytes)
      return `this connection holds ${MiB(held)} of replies not yet read by their clients (limit ${MiB(this.limits.connectionBytes)})`;
    if (this.total + bytes > this.limits.totalBytes) return `the daemon holds ${MiB(this.total)} of replies not yet read by their clients (limit ${MiB(this.limits.totalBytes)})`;
    return undefined;
  }

  /** The stream's account, with the one close listener that settles it. */
  heldBy(stream: Stream): Held {
    let held = this.perStream.get(stream);
    if (held) return held;
    const account: Held = { session: stream.session ?? stream, unsent: 0, reserved: 0, closed: false };
    this.perStream.set(stream, account);
    const settle = () => {
      if (account.closed) return;
      account.closed = true;
      this.add(account.session, -(account.unsent + account.reserved));
      account.unsent = account.reserved = 0;
    };
    stream.once("close", settle);
    if (stream.closed || stream.destroyed) settle();
    return account;
  }

  /**
   * Puts every call's replies under this budget, and reserves room for a unary call's reply before its
   * handler runs, refusing the call when there is none: then nothing was done, so the client may retry
   * as it is.
   */
  readonly interceptor: ServerInterceptor = (method, call) => {
    const base = baseCall(call) as BudgetedCall | undefined;
    if (base) base[BUDGET] = this;
    return new ServerInterceptingCall(call, {
      start: (next) => {
        next(
          new ServerListenerBuilder()
            // At the half-close, when the handler is about to run: a request that is never finished holds nothing.
            .withOnReceiveHalfClose((pass) => {
              if (method.responseStream || !base) return pass();
              const held = this.heldBy(base.stream);
              if (held.closed || held.reserved > 0) return pass();
              const refused = this.overBudget(held.session, RESERVED_REPLY_BYTES);
              if (refused) {
                call.sendStatus({
                  code: status.RESOURCE_EXHAUSTED,
                  details: `${refused}; this call was not run, nothing was changed: read the replies of earlier calls, then retry`,
                  metadata: null,
                });
                return;
              }
              held.reserved = RESERVED_REPLY_BYTES;
              this.add(held.session, RESERVED_REPLY_BYTES);
              pass();
            })
            .build(),
        );
      },
    });
  };
}

/** The grpc-js call at the bottom of an interceptor chain: the one that owns the HTTP/2 stream. */
function baseCall(call: unknown): Call | undefined {
  for (let c = call as { stream?: Stream; nextCall?: unknown } | undefined; c; c = c.nextCall as typeof c) if (c.stream) return c as unknown as Call;
  return undefined;
}

/** grpc-js's sendMessage, wrapped once for the process: a call under a budget is held to it. */
function wrapSendMessage(): void {
  const prototype = BaseServerInterceptingCall.prototype as unknown as { sendMessage: SendMessage; serializeMessage: Call["serializeMessage"] };
  if ((prototype.sendMessage as { [WRAPPED]?: true })[WRAPPED]) return;
  const send = prototype.sendMessage;
  if (typeof send !== "function" || typeof prototype.serializeMessage !== "function")
    throw new Error("grpc-js no longer has BaseServerInterceptingCall.sendMessage/serializeMessage: revisit src/api/grpc/reply-budget.ts");
  const wrapped: SendMessage = function (this: BudgetedCall, message, callback) {
    const budget = this[BUDGET];
    if (!budget) return send.call(this, message, callback);
    if (this.checkCancelled()) return;
    let framed: Buffer;
    try {
      framed = this.serializeMessage(message);
    } catch {
      return send.call(this, message, callback); // grpc-js reports its own serialization failure
    }
    const held = budget.heldBy(this.stream);
    const size = framed.length;
    // The reservation covers what it can; only the rest must fit.
    const covered = Math.min(size, held.reserved);
    const beyond = size - covered;
    const refused = beyond > 0 && !held.closed ? budget.overBudget(held.session, beyond) : undefined;
    if (refused) {
      this.sendStatus({ code: status.RESOURCE_EXHAUSTED, details: `${refused}; read the replies of earlier calls, then retry`, metadata: null });
      return;
    }
    if (!held.closed) {
      // What the reservation did not need goes back at once (a unary call sends one message).
      budget.add(held.session, beyond - (held.reserved - covered));
      held.reserved = 0;
      held.unsent += size;
    }
    let left = false;
    const flushed = () => {
      if (left) return;
      left = true;
      if (held.closed) return;
      held.unsent -= size;
      budget.add(held.session, -size);
    };
    // The original writes what was just serialized, not a second serialization.
    const own = Object.getOwnPropertyDescriptor(this, "serializeMessage");
    this.serializeMessage = () => framed;
    try {
      send.call(this, message, () => {
        flushed();
        callback();
      });
    } finally {
      if (own) Object.defineProperty(this, "serializeMessage", own);
      else delete (this as Partial<Call>).serializeMessage;
    }
  };
  prototype.sendMessage = Object.assign(wrapped, { [WRAPPED]: true as const });
}
