// gRPC over Bun's node:http2 for the command-line client: unary and server-streaming calls on one
// HTTP/2 connection, with the gRPC framing and status trailers (the gRPC over HTTP/2 spec). It replaces
// @grpc/grpc-js on the client side only because loading grpc-js cost a one-shot `todo read` most of its
// time (docs/performance.md); the daemon stays on grpc-js.
import http2 from "node:http2";
import { connect, isIP } from "node:net";
import { unixSocketPath } from "../config/fields";
import { VERSION } from "../version";
import { GrpcError, httpStatusToGrpc, NOT_ANSWERING, Status } from "./grpc-status";

export interface ChannelOptions {
  /** host:port, or unix:/path of a Unix socket */
  addr: string;
  /**
   * When set, a connection whose peer has not sent its HTTP/2 settings this long after it was opened
   * fails every call on it with transport code NOT_ANSWERING: a process that accepts connections but
   * does not run (stopped, hung) is told apart at once from a call that takes long.
   */
  answerWithinMs?: number;
  /** TLS when set. */
  tls?: {
    /** PEM of the CA to trust instead of the system's. */
    ca?: Buffer;
    /** A client certificate and its key (PEM), for a server that asks for one. */
    cert?: Buffer;
    key?: Buffer;
    /** Accept any certificate for any name. */
    insecureSkipVerify?: boolean;
  };
  /** Sent with every call (lower-case names), e.g. authorization. */
  metadata?: Record<string, string>;
}

/**
 * Larger answers are refused (RESOURCE_EXHAUSTED), as grpc-js's receive limit does. Above grpc-js's
 * default 4 MiB: the daemon fills a page up to 4 MiB, but a todo over the rules stored before they were
 * checked (a `todo migrate` before issue 18 copied a 5 MiB title) comes alone on its page, and in its
 * event; refused, it made `todo ls` and `todo export` fail for everyone. A stored todo is at most
 * MongoDB's 16 MiB document, so this takes any page or event that carries one.
 */
const MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

/** The grpc-timeout header: at most 8 digits, in the coarsest unit that keeps milliseconds. */
function grpcTimeout(ms: number): string {
  const whole = Math.max(1, Math.ceil(ms));
  return whole < 1e8 ? `${whole}m` : `${Math.ceil(whole / 1000)}S`;
}

function frame(message: Uint8Array): Uint8Array {
  const framed = new Uint8Array(5 + message.length);
  new DataView(framed.buffer).setUint32(1, message.length);
  framed.set(message, 5);
  return framed;
}

/** How often a call without a deadline pings its connection, and how long an answer may take (a remote daemon). */
const PING_EVERY_MS = 10_000;
const PING_ANSWER_MS = 10_000;

export class GrpcChannel {
  private session: http2.ClientHttp2Session | undefined;
  /** Connections whose peer has sent its settings. */
  private readonly answered = new WeakSet<http2.ClientHttp2Session>();

  constructor(private readonly options: ChannelOptions) {}

  /** The open connection, or a new one (after a drop, the next call reconnects, as grpc-js's channel does). */
  private connect(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const { addr, tls } = this.options;
    const socket = unixSocketPath(addr);
    const host = addr.slice(0, addr.lastIndexOf(":")).replace(/^\[(.*)\]$/, "$1");
    // Bun's HPACK encoder ignores the peer's SETTINGS_HEADER_TABLE_SIZE (oven-sh/bun#19152); todod
    // advertises 0 (its own workaround for nginx, see src/api/grpc/server.ts), so a client that indexes
    // headers anyway breaks every second call. With its own table size 0, Bun encodes without one.
    const options: http2.SecureClientSessionOptions = { settings: { headerTableSize: 0, enablePush: false } };
    if (tls) {
      Object.assign(options, {
        ALPNProtocols: ["h2"],
        ...(tls.ca ? { ca: tls.ca } : {}),
        ...(tls.cert ? { cert: tls.cert } : {}),
        ...(tls.key ? { key: tls.key } : {}),
        // A server name (SNI) must not be an IP address (RFC 6066; Bun's tls.connect throws): without
        // one, Bun still checks the certificate against the IP.
        ...(isIP(host) ? {} : { servername: host }),
        ...(tls.insecureSkipVerify ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {}),
      });
    }
    // A Unix socket: the connection is made here, and the authority is the machine itself.
    if (socket !== undefined) Object.assign(options, { createConnection: () => connect(socket) });
    const session = http2.connect(socket !== undefined ? "http://localhost" : `${tls ? "https" : "http"}://${addr}`, options);
    // Errors reach the calls through their streams; an unhandled session error must not end the process.
    session.on("error", () => {});
    // Each call in flight listens for the connection's failure.
    session.setMaxListeners(0);
    if (this.options.answerWithinMs !== undefined) {
      const silent = setTimeout(() => {
        const error: NodeJS.ErrnoException = new Error(`${addr} accepted the connection but sent nothing within ${this.options.answerWithinMs} ms`);
        error.code = NOT_ANSWERING;
        session.emit("error", error);
        session.destroy();
      }, this.options.answerWithinMs);
      session.once("remoteSettings", () => clearTimeout(silent));
      session.once("close", () => clearTimeout(silent));
    }
    session.once("remoteSettings", () => this.answered.add(session));
    this.session = session;
    return session;
  }

  /** Whether the peer answers: it has sent its HTTP/2 settings, or sends them within `withinMs`. */
  answers(withinMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      let session: http2.ClientHttp2Session;
      try {
        session = this.connect();
      } catch {
        return resolve(false);
      }
      if (this.answered.has(session)) return resolve(true);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        session.off("remoteSettings", yes);
        session.off("error", no);
        resolve(ok);
      };
      const yes = () => done(true);
      const no = () => done(false);
      const timer = setTimeout(no, withinMs);
      session.once("remoteSettings", yes);
      session.once("error", no);
    });
  }

  /** One request, one answer; rejects with a GrpcError. */
  unary<Res>(path: string, request: Uint8Array, decode: (bytes: Uint8Array) => Res, deadlineMs: number): Promise<Res> {
    return new Promise((resolve, reject) => {
      let answer: Res | undefined;
      let answers = 0;
      this.call(path, request, deadlineMs, (bytes) => {
        answers++;
        answer = decode(bytes);
      }).then(() => {
        if (answers !== 1) reject(new GrpcError(Status.UNIMPLEMENTED, `expected one answer to ${path}, got ${answers}`));
        else resolve(answer!);
      }, reject);
    });
  }

  /** A server-streaming call without a deadline: each answer to `onMessage`; resolves at OK, rejects with a GrpcError. */
  /** A server-streaming call; `onMessage` returning true ends it there (the stream is cancelled) and the call resolves. */
  serverStream<Res>(path: string, request: Uint8Array, decode: (bytes: Uint8Array) => Res, onMessage: (message: Res) => boolean | void): Promise<void> {
    return this.call(path, request, undefined, (bytes) => onMessage(decode(bytes)));
  }

  close() {
    this.session?.close();
    this.session = undefined;
  }

  /** Pings `session`; a ping not answered in time destroys it (the next call connects again) and tells `silent` why. */
  private ping(session: http2.ClientHttp2Session, silent: (why: string) => void): void {
    if (session.closed || session.destroyed) return;
    const withinMs = this.options.answerWithinMs ?? PING_ANSWER_MS;
    const late = setTimeout(() => {
      session.destroy();
      silent(`${this.options.addr} stopped answering: no reply to a ping within ${withinMs / 1000} s`);
    }, withinMs);
    try {
      session.ping(() => clearTimeout(late));
    } catch {
      clearTimeout(late); // the session is closing: its streams learn it themselves
    }
  }

  private call(path: string, request: Uint8Array, deadlineMs: number | undefined, onMessage: (bytes: Uint8Array) => boolean | void): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let keepalive: ReturnType<typeof setInterval> | undefined;
      let stream: http2.ClientHttp2Stream | undefined;
      const finish = (error?: GrpcError) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        if (keepalive) clearInterval(keepalive);
        if (error) {
          if (stream && !stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
          reject(error);
        } else resolve();
      };
      let session: http2.ClientHttp2Session;
      try {
        session = this.connect();
      } catch (e) {
        return finish(new GrpcError(Status.UNAVAILABLE, (e as Error).message, (e as NodeJS.ErrnoException).code));
      }
      const failed = (e: NodeJS.ErrnoException) => finish(new GrpcError(Status.UNAVAILABLE, e.message, e.code));
      session.once("error", failed);
      if (deadlineMs !== undefined) timer = setTimeout(() => finish(new GrpcError(Status.DEADLINE_EXCEEDED, "deadline exceeded")), deadlineMs);
      // A call without a deadline (a watch) may wait for hours between messages: a daemon that stopped
      // answering (SIGSTOP, a hung host) would leave it waiting for ever. It pings the connection.
      else keepalive = setInterval(() => this.ping(session, (why) => finish(new GrpcError(Status.UNAVAILABLE, why, NOT_ANSWERING))), PING_EVERY_MS);

      const headers: http2.OutgoingHttpHeaders = {
        ":method": "POST",
        ":path": path,
        "content-type": "application/grpc",
        te: "trailers",
        "user-agent": `todo-cli/${VERSION.version}`,
        ...(deadlineMs !== undefined ? { "grpc-timeout": grpcTimeout(deadlineMs) } : {}),
        ...this.options.metadata,
      };
      const send = () => {
        if (settled) return;
        try {
          stream = session.request(headers);
        } catch (e) {
          return failed(e as NodeJS.ErrnoException);
        }
        // What has arrived of messages not yet whole, in chunks joined only when a message is: a page of
        // megabytes comes in many 16 KiB frames, and joining each as it came copied it over and over.
        let chunks: Buffer[] = [];
        let held = 0;
        /** Bytes needed before anything can be read: a message's header, then the whole message. */
        let needed = 5;
        let httpStatus = 0;
        let trailers: http2.IncomingHttpHeaders | undefined;
        stream.on("response", (responseHeaders) => {
          httpStatus = Number(responseHeaders[":status"]);
          // Trailers-only: the status comes in the headers, with no body.
          if (responseHeaders["grpc-status"] !== undefined) trailers = responseHeaders;
        });
        stream.on("trailers", (received) => (trailers = received));
        stream.on("data", (chunk: Buffer) => {
          if (settled) return;
          chunks.push(chunk);
          held += chunk.length;
          if (held < needed) return;
          let buffered = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, held);
          needed = 5;
          while (buffered.length >= 5) {
            const length = buffered.readUInt32BE(1);
            if (buffered[0] !== 0) return finish(new GrpcError(Status.INTERNAL, "the daemon sent a compressed message, which this client did not ask for"));
            if (length > MAX_MESSAGE_BYTES) return finish(new GrpcError(Status.RESOURCE_EXHAUSTED, `an answer of ${length} bytes is larger than the ${MAX_MESSAGE_BYTES} this client takes`));
            if (buffered.length < 5 + length) {
              needed = 5 + length;
              break;
            }
            const message = buffered.subarray(5, 5 + length);
            buffered = buffered.subarray(5 + length);
            let enough: boolean | void;
            try {
              enough = onMessage(message);
            } catch (e) {
              return finish(new GrpcError(Status.INTERNAL, `cannot decode the answer: ${(e as Error).message}`));
            }
            if (enough === true) {
              stream!.close(http2.constants.NGHTTP2_CANCEL);
              return finish();
            }
          }
          chunks = buffered.length ? [buffered] : [];
          held = buffered.length;
        });
        stream.on("error", failed);
        // The end of the call: every message has been handed over by now, and the status has arrived or never will.
        stream.on("close", () => {
          session.off("error", failed);
          if (settled) return;
          if (trailers?.["grpc-status"] !== undefined) {
            const code = Number(trailers["grpc-status"]) as Status;
            if (code !== Status.OK) {
              const message = String(trailers["grpc-message"] ?? "");
              let details = message;
              try {
                details = decodeURIComponent(message);
              } catch {}
              return finish(new GrpcError(code, details));
            }
            if (held) return finish(new GrpcError(Status.INTERNAL, "the answer ended inside a message"));
            return finish();
          }
          if (httpStatus && httpStatus !== 200) return finish(new GrpcError(httpStatusToGrpc(httpStatus), `HTTP status ${httpStatus} from ${this.options.addr}`));
          // A stream that closes without a status: the connection dropped, or the peer reset it.
          const code = stream!.rstCode;
          if (code === http2.constants.NGHTTP2_REFUSED_STREAM) return finish(new GrpcError(Status.UNAVAILABLE, "the daemon refused the call; try again"));
          // A reset before any answer is a connection that failed (e.g. plain text to a TLS port), not the
          // daemon cancelling a call it had begun to answer.
          if (code === http2.constants.NGHTTP2_CANCEL && httpStatus) return finish(new GrpcError(Status.CANCELLED, "the call was cancelled"));
          if (code === http2.constants.NGHTTP2_ENHANCE_YOUR_CALM) return finish(new GrpcError(Status.RESOURCE_EXHAUSTED, "the daemon asked this client to slow down"));
          finish(new GrpcError(Status.UNAVAILABLE, `the connection to ${this.options.addr} closed before the call ended${code ? ` (HTTP/2 error ${code})` : ""}`, "ECONNRESET"));
        });
        stream.end(frame(request));
      };
      // On a connection bounded by answerWithinMs, the call waits for the peer's settings: one that never
      // answers is never sent anything but the connection preface, so nothing of the call can reach it later.
      if (this.options.answerWithinMs !== undefined && !this.answered.has(session)) session.once("remoteSettings", send);
      else send();
    });
  }
}
