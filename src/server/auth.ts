// Who may call: bearer tokens (TODO_AUTH_TOKENS, or TODO_AUTH_TOKENS_FILE re-read on SIGHUP) and, with
// mutual TLS, the client certificate the TLS handshake verified. An interceptor checks every call before
// its request is read, names the caller (the principal, which becomes the event's actor) and answers
// UNAUTHENTICATED otherwise. Tokens are kept only as SHA-256 digests and never logged or echoed.
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Metadata, type ServerInterceptor, ServerInterceptingCall, status } from "@grpc/grpc-js";
import { setPrincipal } from "../api/grpc/principal";
import type { TokenSource } from "../config/serve";
import { unwrapped } from "../api/grpc/server";

export class TokenError extends Error {}

/** A token's name: what events, logs and metrics show for it. */
const NAME = /^[A-Za-z0-9][\w.@-]{0,63}$/;
/** A token is sent in an HTTP header: visible ASCII without spaces. 16 characters at least, so a guess is hopeless. */
const TOKEN = /^[\x21-\x7e]{16,4096}$/;

const digest = (token: string) => createHash("sha256").update(token).digest();

/** The configured tokens, as digests, each with the name of whoever holds it. */
export class TokenSet {
  private constructor(private readonly entries: readonly { name: string; digest: Buffer }[]) {}

  get size(): number {
    return this.entries.length;
  }

  /**
   * Entries one per line (a file) or separated by commas or newlines (TODO_AUTH_TOKENS): `name:token`, or
   * `token` alone, named `token-<first 8 hex digits of its SHA-256>`, a stable name that reveals nothing
   * usable. Blank lines and `#` comments are skipped. Errors name the place (`where:line`), never the token.
   */
  static parse(text: string, where: string, separators: RegExp = /\n/): TokenSet {
    const entries: { name: string; digest: Buffer }[] = [];
    const lines = text.split(separators);
    for (const [index, raw] of lines.entries()) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) continue;
      const at = `${where}:${index + 1}`;
      const colon = line.indexOf(":");
      const name = colon >= 0 ? line.slice(0, colon).trim() : undefined;
      const token = colon >= 0 ? line.slice(colon + 1).trim() : line;
      if (name !== undefined && !NAME.test(name)) throw new TokenError(`${at}: a token's name is 1 to 64 letters, digits, ".", "_", "@" or "-" (write name:token, or the token alone)`);
      if (!TOKEN.test(token)) throw new TokenError(`${at}: a token is 16 to 4096 visible ASCII characters without spaces (e.g. openssl rand -hex 32)`);
      const hash = digest(token);
      const entry = { name: name ?? `token-${hash.toString("hex").slice(0, 8)}`, digest: hash };
      if (entries.some((e) => e.digest.equals(hash))) throw new TokenError(`${at}: this token is listed twice; give each caller its own`);
      if (entries.some((e) => e.name === entry.name)) throw new TokenError(`${at}: the name "${entry.name}" is taken by another token; names must be unique`);
      entries.push(entry);
    }
    if (entries.length === 0) throw new TokenError(`${where}: no token in it; add one per line (name:token), or unset it to run without tokens`);
    return new TokenSet(entries);
  }

  static readFile(path: string): TokenSet {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new TokenError(`${path}: cannot read the token file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    return TokenSet.parse(text, path);
  }

  /** Whether a token with this digest is in the set. */
  holds(hash: Buffer): boolean {
    return this.entries.some((e) => e.digest.equals(hash));
  }

  /** The digests of the tokens in this set, as hex (for revocation). */
  digests(): string[] {
    return this.entries.map((e) => e.digest.toString("hex"));
  }

  /**
   * The name of the token presented, or undefined. Digests of equal length are compared in constant time,
   * and every entry is compared, so neither the time nor the order tells anything about the tokens.
   */
  nameOf(token: string): string | undefined {
    const presented = digest(token);
    let found: string | undefined;
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, presented) && found === undefined) found = entry.name;
    return found;
  }
}

export interface AuthOptions {
  tokens?: TokenSource;
  /** With mutual TLS, a verified client certificate authenticates a call that carries no token. */
  clientCertificates: boolean;
  /** Server reflection without a token. */
  publicReflection: boolean;
}

/** Services anyone may call: health, for probes and load balancers (it tells nothing but SERVING). */
const OPEN_SERVICES: ReadonlySet<string> = new Set(["grpc.health.v1.Health"]);
const REFLECTION_SERVICES: ReadonlySet<string> = new Set(["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"]);

export class Authenticator {
  private tokens: TokenSet | undefined;
  /** Streaming calls still open, by the digest (hex) of the token they were made with: revocation ends them. */
  private readonly streams = new Map<string, Set<(details: string) => void>>();

  /** Reads the tokens; a TokenError (one line, no secret in it) when they are malformed. */
  constructor(private readonly options: AuthOptions) {
    this.tokens = this.load();
  }

  /** Whether any call needs a credential. */
  get enabled(): boolean {
    return this.tokens !== undefined || this.options.clientCertificates;
  }

  /** How many tokens are configured (for the start-up log line; never the tokens). */
  get tokenCount(): number {
    return this.tokens?.size ?? 0;
  }

  private load(): TokenSet | undefined {
    const source = this.options.tokens;
    if (!source) return undefined;
    if (source.file !== undefined) return TokenSet.readFile(source.file);
    return TokenSet.parse(source.text ?? "", source.variable, /[,\n]/);
  }

  /**
   * Re-reads the token file (SIGHUP). A file that no longer parses keeps the tokens in force, and the
   * error says why: locking everyone out, or letting everyone in, because of a typo would be worse.
   */
  reload(): { tokens: number; revoked: number; streamsEnded: number } {
    if (this.options.tokens?.file === undefined) return { tokens: this.tokenCount, revoked: 0, streamsEnded: 0 };
    const before = this.tokens;
    const after = TokenSet.readFile(this.options.tokens.file);
    this.tokens = after;
    // A token no longer listed is revoked at once: the streams it opened end now, not when they would.
    const revoked = (before?.digests() ?? []).filter((hex) => !after.holds(Buffer.from(hex, "hex")));
    let streamsEnded = 0;
    for (const hex of revoked) {
      const ends = this.streams.get(hex);
      this.streams.delete(hex);
      for (const end of ends ?? []) {
        end("the token this call was made with was revoked (the daemon's token file no longer lists it); ask the operator for a current one");
        streamsEnded++;
      }
    }
    return { tokens: after.size, revoked: revoked.length, streamsEnded };
  }

  /** Keeps a streaming call made with the token `hash` until it ends; `end` answers it if the token is revoked first. Returns the untracking. */
  trackStream(hash: Buffer, end: (details: string) => void): () => void {
    const hex = hash.toString("hex");
    let ends = this.streams.get(hex);
    if (!ends) this.streams.set(hex, (ends = new Set()));
    ends.add(end);
    return () => {
      ends.delete(end);
      if (ends.size === 0 && this.streams.get(hex) === ends) this.streams.delete(hex);
    };
  }

  /** The caller's name, or the one line that says why the call is refused. */
  authenticate(path: string, metadata: Metadata, peerCommonName: () => string | undefined): { principal: string; token?: Buffer } | { refused: string } {
    const header = metadata.get("authorization")[0];
    // The credential goes no further: no handler, log line or error sees it.
    metadata.remove("authorization");
    return this.authenticateHeader(path, typeof header === "string" ? header : header === undefined ? undefined : "", peerCommonName);
  }

  /** Whether a call of `path` needs a credential: not when none is configured, nor for the open services. */
  guards(path: string): boolean {
    const service = path.split("/")[1] ?? "";
    return this.enabled && !OPEN_SERVICES.has(service) && !(this.options.publicReflection && REFLECTION_SERVICES.has(service));
  }

  /** As authenticate, for a call whose authorization header is at hand (the HTTP port's). */
  authenticateHeader(path: string, header: string | undefined, peerCommonName: () => string | undefined): { principal: string; token?: Buffer } | { refused: string } {
    if (!this.guards(path)) return { principal: "" };
    if (header !== undefined) {
      const bearer = /^Bearer +(\S+)$/i.exec(header.trim());
      if (!bearer) return { refused: "the authorization header is not `Bearer <token>`" };
      const name = this.tokens?.nameOf(bearer[1]!);
      if (name === undefined) return { refused: "the token is not valid (it may have been revoked); ask the operator for a current one" };
      return { principal: name, token: digest(bearer[1]!) };
    }
    if (this.options.clientCertificates) {
      // grpc-js reports a certificate only when the handshake verified it against TLS_CLIENT_CA_FILE.
      const commonName = peerCommonName();
      if (commonName) return { principal: commonName };
    }
    return { refused: "this daemon requires a token: send `authorization: Bearer <token>` (todo: --token-file, TODO_TOKEN or the config file's token)" };
  }
}

/** Checks every call's credential before its request is read; names the caller for the handler and the access log. */
export function authInterceptor(auth: Authenticator): ServerInterceptor {
  return (method, call) => {
    // A call nobody needs to name (no credential configured, or an open service) is not wrapped at all:
    // each layer costs every call an object and a hop per event. Its principal stays "".
    if (!auth.guards(method.path)) return unwrapped(call);
    let untrack = () => {};
    return new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, forward) {
            const peer = () => {
              const subject = call.getAuthContext().sslPeerCertificate?.subject as Record<string, string | string[]> | undefined;
              const cn = subject?.CN;
              return Array.isArray(cn) ? cn[0] : cn;
            };
            const result = auth.authenticate(method.path, metadata, peer);
            if ("refused" in result) {
              call.sendStatus({ code: status.UNAUTHENTICATED, details: result.refused });
              return;
            }
            setPrincipal(metadata, result.principal);
            if (method.responseStream && result.token)
              untrack = auth.trackStream(result.token, (details) => call.sendStatus({ code: status.UNAUTHENTICATED, details }));
            forward(metadata);
          },
          onCancel() {
            untrack();
          },
        });
      },
      sendStatus(status, next) {
        untrack();
        next(status);
      },
    });
  };
}
