// Workarounds for Bun's node:http2 and node:tls under grpc-js on the client side, for test processes that
// call the daemon with grpc-js (as a third-party client would). The CLI no longer uses grpc-js; its own
// transport (src/cli/grpc-http2.ts) sets the same options directly. grpc-js exposes no option for them.
import http2 from "node:http2";
import { isIP } from "node:net";
import tls from "node:tls";

/**
 * Bun's HPACK encoder ignores the peer's SETTINGS_HEADER_TABLE_SIZE (oven-sh/bun#19152) on the client
 * side too. todod advertises 0 (its own workaround for nginx, see src/api/grpc/server.ts), so a Bun client
 * that indexes headers anyway breaks every second call on a connection (RST_STREAM COMPRESSION_ERROR).
 * Like the server, the client then encodes without a dynamic table when its own table size is 0.
 * grpc-js has no option for it, so the client's sessions get it here; this process is only a client.
 */
let dynamicTableDisabled = false;

export function encodeHeadersWithoutDynamicTable() {
  if (dynamicTableDisabled) return;
  dynamicTableDisabled = true;
  const connect = http2.connect;
  http2.connect = ((authority: string, options: http2.ClientSessionOptions = {}, listener?: () => void) =>
    connect(authority, { ...options, settings: { ...options.settings, headerTableSize: 0 } }, listener)) as typeof http2.connect;
}

/**
 * grpc-js sets the TLS server name (SNI) to the target's host even when that is an IP address, which
 * RFC 6066 forbids: Node warns, Bun's tls.connect throws. Without a server name Bun still checks the
 * certificate against the host (its IP subjectAltName), so the name is dropped for IP literals only.
 */
let ipServernameDropped = false;

export function dropIpServername() {
  if (ipServernameDropped) return;
  ipServernameDropped = true;
  const connect = tls.connect;
  tls.connect = ((...args: unknown[]) => {
    const options = args[0] as { servername?: unknown } | undefined;
    if (options && typeof options === "object" && typeof options.servername === "string" && isIP(options.servername)) {
      const { servername: _, ...rest } = options;
      args[0] = rest;
    }
    return (connect as (...a: unknown[]) => tls.TLSSocket)(...args);
  }) as typeof tls.connect;
}
