// The floor: a bare @grpc/grpc-js server, compiled like todo (bench/floor.ts builds it with
// scripts/build.ts's options), with one unary method answering an empty message with an empty message
// and nothing else: no interceptors, no protobuf library (the empty message is zero bytes), default
// server options. What todo serve's rates and memory are measured against (docs/performance.md).
// Prints {"port": N} once it listens on 127.0.0.1 (port 0: one the OS picks).
import { Server, ServerCredentials, type ServiceDefinition } from "@grpc/grpc-js";

const EMPTY = Buffer.alloc(0);
const empty = () => EMPTY;
const nothing = () => ({});

const floor: ServiceDefinition = {
  Ping: { path: "/bench.floor.Floor/Ping", requestStream: false, responseStream: false, requestSerialize: empty, requestDeserialize: nothing, responseSerialize: empty, responseDeserialize: nothing },
};

const server = new Server();
server.addService(floor, { Ping: (_call: unknown, callback: (error: null, reply: object) => void) => callback(null, {}) });
server.bindAsync(`127.0.0.1:${process.argv[2] ?? 0}`, ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    console.error(`floor server: ${error.message}`);
    process.exit(1);
  }
  console.log(JSON.stringify({ port }));
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => server.tryShutdown(() => process.exit(0)));
