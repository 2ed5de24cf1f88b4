// The caller of a gRPC call, as the daemon's authentication named it, kept with the call's metadata
// object (the one grpc-js hands to the handler) rather than in a header, so a client cannot forge it.
import type { Metadata } from "@grpc/grpc-js";

const principals = new WeakMap<Metadata, string>();

export function setPrincipal(metadata: Metadata, principal: string): void {
  principals.set(metadata, principal);
}

/** The caller named for this call's metadata; "" when authentication is off or the service is open. */
export function principalOf(metadata: Metadata): string {
  return principals.get(metadata) ?? "";
}
