// Memory held in replies that clients do not read is bounded. A reply is serialized whole and handed to
// HTTP/2, which holds what flow control has not let out; 250 v1.ToDoService/Search calls whose ~4 MiB
// replies were never read took the daemon from 86 MiB to 1,144 MiB, until the client disconnected.
// Each reply's bytes count against its connection and against the daemon from when it is written until
// its stream closes (the client read it all, or went away); a reply that would pass either budget is
// not written, and the call fails with RESOURCE_EXHAUSTED saying why.
//
// grpc-js has no hook between serializing a reply and writing it, so BaseServerInterceptingCall's
// sendMessage is wrapped on its prototype (as its decompression is in ./malformed.ts).
import { status } from "@grpc/grpc-js";
import { BaseServerInterceptingCall } from "@grpc/grpc-js/build/src/server-interceptors";

export const REPLY_BUDGET = {
  /** Unread reply bytes one connection may hold: 16 replies of 4 MiB. */
  connectionBytes: 64 * 1024 * 1024,
  /** Unread reply bytes all connections together may hold. */
  totalBytes: 256 * 1024 * 1024,
};

type Stream = { once(event: "close", listener: () => void): unknown; session?: object; closed?: boolean; destroyed?: boolean };
type Call = {
  stream: Stream;
  checkCancelled(): boolean;
  serializeMessage(message: unknown): Buffer;
  sendStatus(status: { code: status; details: string; metadata: null }): void;
};
type SendMessage = (this: Call, message: unknown, callback: () => void) => void;

let total = 0;
const perConnection = new WeakMap<object, number>();
const MiB = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MiB`;

/** Unread reply bytes held now, by all connections. */
export function heldReplyBytes(): number {
  return total;
}

let installed = false;

export function boundUnreadReplies(): void {
  if (installed) return;
  installed = true;
  const prototype = BaseServerInterceptingCall.prototype as unknown as { sendMessage: SendMessage; serializeMessage: Call["serializeMessage"] };
  const send = prototype.sendMessage;
  if (typeof send !== "function" || typeof prototype.serializeMessage !== "function")
    throw new Error("grpc-js no longer has BaseServerInterceptingCall.sendMessage/serializeMessage: revisit src/api/grpc/reply-budget.ts");
  prototype.sendMessage = function (this: Call, message, callback) {
    if (this.checkCancelled()) return;
    let framed: Buffer;
    try {
      framed = this.serializeMessage(message);
    } catch {
      return send.call(this, message, callback); // grpc-js reports its own serialization failure
    }
    const session = this.stream.session ?? this.stream;
    const held = perConnection.get(session) ?? 0;
    const size = framed.length;
    if (held + size > REPLY_BUDGET.connectionBytes || total + size > REPLY_BUDGET.totalBytes) {
      const which = held + size > REPLY_BUDGET.connectionBytes ? `this connection holds ${MiB(held)}` : `the daemon holds ${MiB(total)}`;
      this.sendStatus({
        code: status.RESOURCE_EXHAUSTED,
        details: `${which} of replies not yet read by their clients (limit ${MiB(held + size > REPLY_BUDGET.connectionBytes ? REPLY_BUDGET.connectionBytes : REPLY_BUDGET.totalBytes)}); read the replies of earlier calls, then retry`,
        metadata: null,
      });
      return;
    }
    perConnection.set(session, held + size);
    total += size;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      total -= size;
      perConnection.set(session, (perConnection.get(session) ?? size) - size);
    };
    this.stream.once("close", release);
    if (this.stream.closed || this.stream.destroyed) release();
    // The original writes what was just serialized, not a second serialization.
    const own = Object.getOwnPropertyDescriptor(this, "serializeMessage");
    this.serializeMessage = () => framed;
    try {
      send.call(this, message, callback);
    } finally {
      if (own) Object.defineProperty(this, "serializeMessage", own);
      else delete (this as Partial<Call>).serializeMessage;
    }
  };
}
