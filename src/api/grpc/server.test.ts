// Two GrpcServers in one process keep apart what each holds: the calls its drain cuts off and the reply
// bytes it has reserved belong to the instance, not to the module.
import { afterAll, expect, test } from "bun:test";
import { credentials, makeClientConstructor, type ServerInterceptor, ServerInterceptingCall, ServerCredentials, type ServiceError } from "@grpc/grpc-js";
import type { ServerInfoServiceDefinition, ServerInfoServiceHandlers } from "../../proto/gen/types/todo/v1/ServerInfoService";
import { loadEmbedded } from "../../proto/loader";
import { SERVER_INFO_SERVICE } from "../server-info";
import { RESERVED_REPLY_BYTES } from "./reply-budget";
import { GrpcServer } from "./server";

const definition = loadEmbedded("todo/v1/server_info.proto")[SERVER_INFO_SERVICE] as unknown as ServerInfoServiceDefinition;
const passThrough: ServerInterceptor = (_method, call) => new ServerInterceptingCall(call);
const ServerInfoClient = makeClientConstructor(definition, "ServerInfoService");

/** A server whose one method runs until its call is cut off; `started` resolves when a call is in its handler. */
async function hangingServer() {
  let entered = () => {};
  const started = new Promise<void>((resolve) => (entered = resolve));
  const grpc = new GrpcServer({
    maxConcurrentStreams: 100,
    idleMs: 60_000,
    interceptors: { metrics: passThrough, accessLog: passThrough, auth: passThrough, healthWatch: passThrough },
    log: { error() {} },
  });
  grpc.serve<ServerInfoServiceHandlers>(definition, {
    GetServerInfo: (_request, ctx) =>
      new Promise((_resolve, reject) => {
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason));
        entered();
      }),
  });
  const { port } = await grpc.bind("127.0.0.1:0", ServerCredentials.createInsecure());
  // One call per client: a Bun grpc-js client can fail a connection's second call against headerTableSize 0 (server.ts).
  const client = new ServerInfoClient(`127.0.0.1:${port}`, credentials.createInsecure());
  const outcome = new Promise<ServiceError | null>((resolve) =>
    (client as unknown as { GetServerInfo(request: object, callback: (e: ServiceError | null) => void): void }).GetServerInfo({}, (e) => resolve(e)),
  );
  await started;
  return { grpc, client, outcome };
}

const servers: Awaited<ReturnType<typeof hangingServer>>[] = [];
afterAll(() => {
  for (const { grpc, client } of servers) {
    client.close();
    grpc.server.forceShutdown();
  }
});

test("each server cuts off its own calls and counts its own reserved replies", async () => {
  const a = await hangingServer();
  const b = await hangingServer();
  servers.push(a, b);
  // Each has one unary call in its handler, holding the room reserved for its reply.
  expect([a.grpc.heldReplyBytes(), b.grpc.heldReplyBytes()]).toEqual([RESERVED_REPLY_BYTES, RESERVED_REPLY_BYTES]);

  expect(a.grpc.cutOffCalls("a drains")).toBe(1);
  expect(await a.outcome).toMatchObject({ code: 14, details: "a drains" });
  // b's call was still running after a's drain: b cuts it off itself.
  expect(b.grpc.cutOffCalls("b drains")).toBe(1);
  expect(await b.outcome).toMatchObject({ code: 14, details: "b drains" });
});
