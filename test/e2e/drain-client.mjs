// Run with Node.js: an HTTP/2 client other than Bun's, whose HPACK defect only the CLI works around
// (src/cli/client.ts); a plain Bun grpc-js client has every second call on a connection reset.
// Usage: node drain-client.mjs <addr> <daemon pid>. Starts a long search, then SIGTERMs the daemon once
// it is answering, and prints the search's outcome as JSON.
import { createRequire } from "node:module";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");
const require = createRequire(join(root, "package.json"));
const grpc = require("@grpc/grpc-js");
const loader = require("@grpc/proto-loader");

const [addr, pid] = process.argv.slice(2);
const definition = loader.loadSync("todo/v1/todo.proto", { includeDirs: [join(root, "proto")], keepCase: true, longs: String, enums: String, defaults: true });
const Client = grpc.makeClientConstructor(definition["todo.v1.TodoService"], "TodoService");
const client = new Client(addr, grpc.credentials.createInsecure());

const started = Date.now();
client.SearchTodos({ pattern: "matches-nothing$" }, (error, response) => {
  console.log(JSON.stringify({ code: error ? error.code : 0, details: error?.details, todos: response?.todos.length, ms: Date.now() - started }));
  client.close();
});
// The search scans in steps, so the daemon answers this meanwhile: the search is then in flight.
client.GetTodo({ id: "000000000000000000000000" }, () => process.kill(Number(pid), "SIGTERM"));
