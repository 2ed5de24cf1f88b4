// CreateTodo load for bench/mongo-catchup.bench.ts, from Node.js's grpc-js on one channel (load
// generators run on Node or ghz, never Bun: see test/e2e/node-client.mjs). Prints one JSON line.
//   node bench/mongo-creates.mjs <host:port> <creates> <concurrency>
import { createRequire } from "node:module";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const require = createRequire(join(root, "package.json"));
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");

const [addr, creates, concurrency] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const definition = protoLoader.loadSync("todo/v1/todo.proto", { includeDirs: [join(root, "proto")], keepCase: true, arrays: true, defaults: true });
const { TodoService } = grpc.loadPackageDefinition(definition).todo.v1;
const client = new TodoService(addr, grpc.credentials.createInsecure());
const create = (i) =>
  new Promise((resolve, reject) =>
    client.CreateTodo({ todo: { title: `catch-up ${i}`, description: "a description of ordinary length for a todo", tags: ["bench", `t${i % 10}`] } }, { deadline: Date.now() + 60_000 }, (e, r) => (e ? reject(e) : resolve(r))),
  );

let next = 0;
let ok = 0;
const failed = {};
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < creates) {
      const i = next++;
      try {
        await create(i);
        ok++;
      } catch (e) {
        failed[e.code] = (failed[e.code] ?? 0) + 1;
      }
    }
  }),
);
console.log(JSON.stringify({ ok, failed, seconds: (performance.now() - started) / 1000 }));
client.close();
