// A burst of concurrent unary calls on ONE grpc-js channel, run with Node.js (Bun's own grpc-js client
// overflows its stack on such a burst, which would test the client instead of the daemon).
// Usage: node burst-client.mjs <host:port> <todo id> <calls> <deadline seconds>
// Prints one JSON line: {"calls", "ok", "failed": {"<status>": count}, "example": "<a failure's details>", "ms"}.
import { createRequire } from "node:module";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");
const require = createRequire(join(root, "package.json"));
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");

const [addr, id, callsArg, deadlineArg] = process.argv.slice(2);
const calls = Number(callsArg);
const deadline = Date.now() + Number(deadlineArg) * 1000;

const definition = protoLoader.loadSync("todo/v1/todo.proto", { includeDirs: [join(root, "proto")] });
const { TodoService } = grpc.loadPackageDefinition(definition).todo.v1;
const client = new TodoService(addr, grpc.credentials.createInsecure());

const started = performance.now();
const failed = {};
let example;
let ok = 0;
await Promise.all(
  Array.from(
    { length: calls },
    () =>
      new Promise((resolve) =>
        client.GetTodo({ id }, { deadline }, (error, todo) => {
          if (!error && todo?.id === id) ok++;
          else {
            // Keyed by status alone: details carry timings that would make every failure distinct.
            const key = error ? grpc.status[error.code] : "wrong todo";
            failed[key] = (failed[key] ?? 0) + 1;
            example ??= error?.details;
          }
          resolve();
        }),
      ),
  ),
);
client.close();
console.log(JSON.stringify({ calls, ok, failed, example, ms: Math.round(performance.now() - started) }));
