// A request body the client got wrong is INVALID_ARGUMENT, naming what is wrong. grpc-js answers
// INTERNAL — "a bug in the server" — for a message it cannot decode, for a compressed flag that
// grpc-encoding does not back, and for a body that is not the gzip or deflate it claims to be; and
// protobufjs reads invalid UTF-8 in a string as U+FFFD, so a title could be stored with its bytes
// replaced (proto3 requires valid UTF-8 in string fields; grpc-go refuses it too).
//
// Three pieces: strict UTF-8 in protobufjs's readers; each method's deserializer wrapped so that a body
// it cannot decode becomes a MalformedRequest instead of a throw; and an interceptor that answers a
// MalformedRequest with INVALID_ARGUMENT before any handler sees it. grpc-js decompresses before any
// interceptor runs, so its decompression is wrapped on BaseServerInterceptingCall's prototype (a private
// method; the grpc-js version is pinned by bun.lock; if it moves, the daemon refuses to start and
// test/e2e/malformed.test.ts fails).
import { type Server, type ServerInterceptor, ServerInterceptingCall, ServerListenerBuilder, status } from "@grpc/grpc-js";
import { BaseServerInterceptingCall } from "@grpc/grpc-js/build/src/server-interceptors";
import protobuf from "protobufjs";

/** A request body that did not decode: what the interceptor answers INVALID_ARGUMENT with. */
export class MalformedRequest {
  constructor(readonly reason: string) {}
}

class InvalidUtf8 extends Error {}

const utf8 = new TextDecoder("utf-8", { fatal: true });
/**
 * Set on a copy of a body that failed, which is decoded again leniently to find which field held the bad
 * bytes: the mark travels with the bytes being read, so no state outside them says which read is which.
 */
const LENIENT = Symbol("todo.lenientUtf8");
/** Marks a function of grpc-js or protobufjs as wrapped here, so a second server does not wrap it again. */
const WRAPPED = Symbol("todo.malformed.wrapped");
const isWrapped = (f: unknown) => typeof f === "function" && WRAPPED in f;

type ReaderPrototype = { string(): string; bytes(): Uint8Array; uint32(): number; pos: number; buf: Uint8Array & { [LENIENT]?: true } };

/** protobufjs's string readers, refusing invalid UTF-8 instead of replacing it with U+FFFD. */
function strictStrings() {
  for (const reader of [protobuf.Reader, protobuf.BufferReader] as unknown as { prototype: ReaderPrototype }[]) {
    const lenient = reader.prototype.string;
    if (isWrapped(lenient)) continue;
    reader.prototype.string = Object.assign(function (this: ReaderPrototype) {
      if (this.buf[LENIENT]) return lenient.call(this);
      const bytes = this.bytes();
      try {
        return utf8.decode(bytes);
      } catch {
        throw new InvalidUtf8();
      }
    }, { [WRAPPED]: true });
  }
}

/** The path of the first string holding U+FFFD in a leniently decoded message (todo.title, tags[2]). */
function replacedField(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return value.includes("\uFFFD") ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = replacedField(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = replacedField(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

function tolerant(method: string, deserialize: (bytes: Buffer) => unknown): (bytes: Buffer) => unknown {
  return (bytes) => {
    try {
      return deserialize(bytes);
    } catch (e) {
      if (e instanceof InvalidUtf8) {
        const marked = Object.assign(Buffer.from(bytes), { [LENIENT]: true as const });
        let field: string | undefined;
        try {
          field = replacedField(deserialize(marked), "");
        } catch {
          // Malformed in another way too: the UTF-8 is what is reported.
        }
        return new MalformedRequest(`${field ?? "a string field"}: is not valid UTF-8`);
      }
      const why = e instanceof Error ? e.message.replace(/\s+/g, " ").slice(0, 80) : "";
      return new MalformedRequest(`the body is not a valid ${method} request${why ? ` (${why})` : ""}`);
    }
  };
}

type DecompressMessage = (message: Buffer, encoding: string) => Buffer | Promise<Buffer>;
type Rejection = { code: status; details: string };

/** grpc-js's decompression, with a client's mistake answered INVALID_ARGUMENT instead of INTERNAL. */
function clientMistakesInDecompression() {
  const prototype = BaseServerInterceptingCall.prototype as unknown as { decompressMessage: DecompressMessage };
  const decompress = prototype.decompressMessage;
  if (isWrapped(decompress)) return;
  if (typeof decompress !== "function") throw new Error("grpc-js no longer has BaseServerInterceptingCall.decompressMessage: revisit src/api/grpc/malformed.ts");
  prototype.decompressMessage = Object.assign(function (this: unknown, message: Buffer, encoding: string) {
    // grpc-js passes identity when the flag is clear; when it is set under identity, the body cannot be read.
    if (encoding === "identity") {
      if (message.readUInt8(0) === 1)
        return Promise.reject<Buffer>({
          code: status.INVALID_ARGUMENT,
          details: "the message's compressed flag is set but the request's grpc-encoding names no compression; send grpc-encoding: gzip, or clear the flag",
        });
      // Nothing to decompress, nothing that can fail: grpc-js's own answer, synchronous (no promise a message).
      return decompress.call(this, message, encoding);
    }
    return Promise.resolve(decompress.call(this, message, encoding)).catch((error: Rejection) => {
      if (error?.code === status.INTERNAL) throw { code: status.INVALID_ARGUMENT, details: `the message is not valid ${encoding} data` };
      throw error;
    });
  }, { [WRAPPED]: true });
}

/**
 * Answers a MalformedRequest with INVALID_ARGUMENT before any handler sees it. Its place among the
 * interceptors is set by the server's one list (src/api/grpc/server.ts).
 */
export const refuseMalformed: ServerInterceptor = (_method, call) =>
  new ServerInterceptingCall(call, {
    start(next) {
      next(
        new ServerListenerBuilder()
          .withOnReceiveMessage((message, pass) => {
            if (message instanceof MalformedRequest) call.sendStatus({ code: status.INVALID_ARGUMENT, details: `request: ${message.reason}`, metadata: null });
            else pass(message);
          })
          .build(),
      );
    },
  });

/**
 * Makes `server` decode request bodies strictly and hand a body it cannot decode on as a MalformedRequest
 * (which refuseMalformed answers): every method registered after this call, the standard services
 * (health, reflection) included.
 */
export function decodeStrictly(server: Server): void {
  strictStrings();
  clientMistakesInDecompression();
  const register = server.register.bind(server);
  server.register = (name, handler, serialize, deserialize, type) =>
    register(name, handler, serialize, tolerant(name.slice(1), deserialize) as typeof deserialize, type);
}
