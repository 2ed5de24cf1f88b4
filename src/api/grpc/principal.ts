// The caller of a gRPC call, as the daemon's authentication named it, kept on the call's metadata
// object (the one grpc-js hands to the handler) under a symbol rather than in a header, so a client
// cannot forge it, and nothing outside the call holds it.
import type { Metadata } from "@grpc/grpc-js";

const PRINCIPAL = Symbol("todo.principal");

type NamedMetadata = Metadata & { [PRINCIPAL]?: string };

export function setPrincipal(metadata: Metadata, principal: string): void {
  (metadata as NamedMetadata)[PRINCIPAL] = principal;
}

/** The caller named for this call's metadata; "" when authentication is off or the service is open. */
export function principalOf(metadata: Metadata): string {
  return (metadata as NamedMetadata)[PRINCIPAL] ?? "";
}
