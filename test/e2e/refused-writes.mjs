// Writes sent on a connection whose reply budget is full, from Node.js's http2 (see node-client.mjs).
// The connection lets no reply data through (its initial window is 0), so every reply stays unsent in
// the daemon: first `searches` v1.ToDoService/Search calls (every todo), then `gets` GetTodo calls of
// `id`, then `creates` CreateTodo calls titled `<prefix> <i>`, each with a 10,000-character description
// (a ~40 KB reply). Prints one JSON line: the status and message of each create, and how many searches
// and gets were refused.
//   node refused-writes.mjs <host:port> <searches> <gets> <id> <creates> <prefix>
import http2 from "node:http2";

const [addr, searches, gets, id, creates, prefix] = process.argv.slice(2);
const session = http2.connect(`http://${addr}`, { settings: { initialWindowSize: 0 } });
session.on("error", () => {});
// See raw-client.mjs: nothing is sent before the daemon's SETTINGS arrive.
await new Promise((resolve) => session.once("remoteSettings", resolve));

const string = (field, text) => {
  const bytes = Buffer.from(text);
  return Buffer.concat([Buffer.from([(field << 3) | 2]), varint(bytes.length), bytes]);
};
const varint = (n) => {
  const out = [];
  for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return Buffer.from(out);
};
const message = (fields) => {
  const body = Buffer.concat(fields);
  const frame = Buffer.alloc(5);
  frame.writeUInt32BE(body.length, 1);
  return Buffer.concat([frame, body]);
};

/** Sends one call; resolves with its grpc-status and message once they arrive (data is never read). */
function send(path, body) {
  return new Promise((resolve) => {
    const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" });
    stream.on("error", () => resolve({ status: "stream error" }));
    const answer = (headers) => {
      if (headers["grpc-status"] === undefined) return;
      resolve({ status: Number(headers["grpc-status"]), message: decodeURIComponent(String(headers["grpc-message"] ?? "")) });
    };
    stream.on("response", answer);
    stream.on("trailers", answer);
    stream.end(body);
    setTimeout(() => resolve({ status: "pending" }), 8_000);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const count = (answers) => answers.reduce((counts, a) => ((counts[a.status] = (counts[a.status] ?? 0) + 1), counts), {});

const searching = Array.from({ length: Number(searches) }, () => send("/v1.ToDoService/Search", message([])));
await sleep(2_000);
const getting = Array.from({ length: Number(gets) }, () => send("/todo.v1.TodoService/GetTodo", message([string(1, id)])));
await sleep(2_000);
const description = "\u{1D11E}".repeat(10_000);
const creating = Array.from({ length: Number(creates) }, (_, i) =>
  send("/todo.v1.TodoService/CreateTodo", message([Buffer.concat([Buffer.from([0x0a]), varint(string(2, `${prefix} ${i}`).length + string(3, description).length), string(2, `${prefix} ${i}`), string(3, description)])])),
);
const created = await Promise.all(creating);
console.log(JSON.stringify({ searches: count(await Promise.all(searching)), gets: count(await Promise.all(getting)), creates: created.map((c, i) => ({ title: `${prefix} ${i}`, ...c })) }));
session.destroy();
