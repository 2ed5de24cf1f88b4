// Long watches on ONE connection, from Node.js's grpc-js (Node, not Bun: see node-client.mjs), with
// unary calls on that same connection while they run. Prints one JSON line.
//   node long-watch.mjs <host:port> <plan as JSON>
// plan: {
//   watches: [{ after, read, pauseEvery?, pauseMs? }],  each reads `read` events after position `after`,
//            pausing its stream for pauseMs after every pauseEvery events, then cancels;
//   thenWrite?: true,   once every watch has read its events, and while they are still open: a GetTodo
//                       and a CreateTodo on the same connection, and each watch waits for the new event;
//   getEveryMs?: n,     a GetTodo on the same connection every n ms while the watches run.
// }
import { createRequire } from "node:module";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");
const require = createRequire(join(root, "package.json"));
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");

const [addr, planText] = process.argv.slice(2);
const plan = JSON.parse(planText);
const definition = protoLoader.loadSync("todo/v1/todo.proto", { includeDirs: [join(root, "proto")], keepCase: true, arrays: true, defaults: true });
const { TodoService } = grpc.loadPackageDefinition(definition).todo.v1;
const client = new TodoService(addr, grpc.credentials.createInsecure(), { "grpc.max_receive_message_length": -1 });

const codeName = (error) => grpc.status[error.code] ?? String(error.code);
function call(method, request) {
  return new Promise((resolve, reject) => client[method](request, { deadline: Date.now() + 60_000 }, (error, response) => (error ? reject(error) : resolve(response))));
}

const unary = { ok: 0, failed: {}, example: undefined };
async function get(id) {
  try {
    await call("GetTodo", { id });
    unary.ok++;
  } catch (error) {
    // NOT_FOUND is an answer: the connection served the call.
    if (error.code === grpc.status.NOT_FOUND) unary.ok++;
    else {
      unary.failed[codeName(error)] = (unary.failed[codeName(error)] ?? 0) + 1;
      unary.example ??= error.details;
    }
  }
}

const AFTER = "after the long watch";
let allRead;
const readAll = new Promise((resolve) => (allRead = resolve));
let readCount = 0;
const finishers = [];

function watch({ after, read, pauseEvery = 0, pauseMs = 0 }) {
  return new Promise((resolve) => {
    const result = { after, events: 0, bytes: 0, inOrder: true, lastPosition: after, code: undefined, details: undefined, sawCreated: false };
    const stream = client.WatchTodos({ after_position: String(after) });
    let done = false;
    let counted = false;
    const finish = () => {
      if (done) return;
      done = true;
      stream.cancel();
      resolve(result);
    };
    finishers.push(finish);
    const haveRead = () => {
      if (counted) return;
      counted = true;
      if (++readCount === plan.watches.length) allRead();
      if (!plan.thenWrite) finish();
    };
    stream.on("data", (message) => {
      if (done) return;
      const position = Number(message.position);
      if (!message.event) return; // the first message: where the watch starts
      if (position !== result.lastPosition + 1) result.inOrder = false;
      result.lastPosition = position;
      const todo = message.event.created?.todo ?? message.event.updated?.todo ?? message.event.deleted?.todo;
      if (plan.thenWrite && todo?.title === AFTER) {
        result.sawCreated = true;
        return finish();
      }
      result.events++;
      result.bytes += Buffer.byteLength(todo?.description ?? "") + Buffer.byteLength(todo?.title ?? "");
      if (result.events === read) haveRead();
      if (pauseEvery && result.events % pauseEvery === 0) {
        stream.pause();
        setTimeout(() => stream.resume(), pauseMs);
      }
    });
    stream.on("error", (error) => {
      if (done) return;
      result.code = codeName(error);
      result.details = error.details;
      haveRead();
      finish();
    });
    stream.on("end", () => {
      haveRead();
      finish();
    });
  });
}

const started = performance.now();
const watches = plan.watches.map(watch);
const ticker = plan.getEveryMs ? setInterval(() => void get("000000000000000000000000"), plan.getEveryMs) : undefined;
let write;
if (plan.thenWrite) {
  await readAll;
  await get("000000000000000000000000");
  try {
    await call("CreateTodo", { todo: { title: AFTER } });
    write = "OK";
  } catch (error) {
    write = `${codeName(error)}: ${error.details}`;
    for (const finish of finishers) finish();
  }
}
const results = await Promise.all(watches);
clearInterval(ticker);
console.log(JSON.stringify({ watches: results, unary, write, ms: Math.round(performance.now() - started) }));
client.close();
