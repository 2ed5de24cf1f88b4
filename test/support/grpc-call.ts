// One gRPC call by method path, from this (Bun) test process, with any metadata and channel credentials:
// what a client other than the CLI (grpcurl, a Go or Node program) would send. Each call opens its own
// connection, so one call's credentials never ride on another's.
import { type ChannelCredentials, Client, credentials as grpcCredentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import type { MethodDefinition } from "@grpc/proto-loader";
import { dropIpServername, encodeHeadersWithoutDynamicTable } from "./bun-grpc-js";
import { loadEmbedded } from "../../src/proto/loader";

// The daemon advertises an HPACK table size of 0, which Bun's client encoder ignores unless told (see
// test/support/bun-grpc-js.ts); with TLS to 127.0.0.1, Bun refuses an IP address as the server name.
encodeHeadersWithoutDynamicTable();
dropIpServername();

const FILES = ["todo/v1/todo.proto", "todo/v1/server_info.proto", "v1/todo.proto", "health/v1/health.proto", "grpc/reflection/v1/reflection.proto"] as const;

/** "/package.Service/Method" → its definition, from the descriptors embedded in the binary. */
function method(path: string): MethodDefinition<object, object> {
  const [, service, name] = path.split("/");
  for (const file of FILES) {
    const definition = loadEmbedded(file)[service!] as unknown as Record<string, MethodDefinition<object, object>> | undefined;
    if (definition?.[name!]) return definition[name!]!;
  }
  throw new Error(`no method ${path} in the embedded descriptors`);
}

export interface CallResult {
  /** grpc status code: 0 for OK. */
  code: number;
  details: string;
  response?: any;
}

export interface CallOptions {
  token?: string;
  /** The raw authorization header, when not `Bearer <token>`. */
  authorization?: string;
  credentials?: ChannelCredentials;
}

function metadataOf(options: CallOptions): Metadata {
  const metadata = new Metadata();
  const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
  if (authorization) metadata.set("authorization", authorization);
  return metadata;
}

/** A unary call; resolves with its status (never rejects on a gRPC error). */
export function unary(addr: string, path: string, request: object, options: CallOptions = {}): Promise<CallResult> {
  const m = method(path);
  const client = new Client(addr, options.credentials ?? grpcCredentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 });
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, m.requestSerialize, m.responseDeserialize, request, metadataOf(options), { deadline: Date.now() + 30_000 }, (error: ServiceError | null, response?: object) => {
      client.close();
      resolve(error ? { code: error.code, details: error.details } : { code: 0, details: "", response });
    });
  });
}

/** A reflection list_services call (bidirectional streaming): the services, or the status that refused it. */
export function reflectionList(addr: string, options: CallOptions = {}): Promise<CallResult> {
  const path = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
  const m = method(path);
  const client = new Client(addr, options.credentials ?? grpcCredentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 });
  return new Promise((resolve) => {
    const call = client.makeBidiStreamRequest(path, m.requestSerialize, m.responseDeserialize, metadataOf(options), { deadline: Date.now() + 30_000 });
    call.on("data", (response: any) => {
      resolve({ code: 0, details: "", response: response.listServicesResponse?.service?.map((s: { name: string }) => s.name) });
      call.cancel();
      client.close();
    });
    call.on("error", (error: ServiceError) => {
      client.close();
      resolve({ code: error.code, details: error.details });
    });
    // The embedded descriptors name reflection's fields in lowerCamelCase.
    call.write({ listServices: "" });
  });
}
