// The raw `mongodb` driver's insertOne or findOne, from Node.js, at a given concurrency for a given time:
// the baseline the daemon's CreateTodo and GetTodo on MongoDB are compared with (bench/run.ts).
// Usage: node bench/mongo-driver-load.mjs URL DATABASE insert|find|find-as-store CONCURRENCY SECONDS
// (find-as-store: the filter and projection the MongoDB store (src/store/mongo/) reads a todo with)
// Prints one JSON line: {"calls": N, "errors": N, "rps": N}.
import { MongoClient, ObjectId } from "mongodb";

const [url, database, op, concurrencyArg, secondsArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const seconds = Number(secondsArg);
if (!url || !database || !["insert", "find", "find-as-store"].includes(op) || !(concurrency > 0) || !(seconds > 0)) {
  console.error("usage: node bench/mongo-driver-load.mjs URL DATABASE insert|find|find-as-store CONCURRENCY SECONDS");
  process.exit(2);
}

// As many pooled connections as calls in flight, as the daemon's driver would open under the same load.
// A server that stops answering fails the run in seconds, not after the driver's default 30.
const client = new MongoClient(url, { maxPoolSize: Math.max(concurrency, 5), serverSelectionTimeoutMS: 5000 });
await client.connect();
const todos = client.db(database).collection("todos");
// A document shaped like the daemon's (src/store/mongo/documents.ts): the fields of a todo, its times and version.
const todo = () => {
  const now = new Date();
  return { _id: new ObjectId(), title: "bench", description: "a benchmark todo", tags: ["bench"], state: "STATE_NOT_STARTED", reminder: null, create_time: now, update_time: now, version: 1 };
};
const target = todo();
await todos.insertOne(target);

let calls = 0;
let errors = 0;
const started = performance.now();
const end = started + seconds * 1000;
async function worker() {
  while (performance.now() < end) {
    try {
      if (op === "insert") await todos.insertOne(todo());
      else if (op === "find") {
        if (!(await todos.findOne({ _id: target._id }))) throw new Error("not found");
      } else if (!(await todos.findOne({ _id: target._id, deleted: { $ne: true } }, { projection: { pending: 0 } }))) throw new Error("not found");
      calls++;
    } catch {
      errors++;
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const elapsed = (performance.now() - started) / 1000;
await client.close();
console.log(JSON.stringify({ calls, errors, rps: calls / elapsed }));
