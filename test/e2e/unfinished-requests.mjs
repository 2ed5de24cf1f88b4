// Unary requests that are never finished, from Node.js's http2 (see node-client.mjs): `calls` GetTodo
// streams on one connection, each sending its whole message but never ending the stream, held open for
// `seconds`. Prints one JSON line: how many were answered meanwhile (none should be).
//   node unfinished-requests.mjs <host:port> <calls> <seconds>
import http2 from "node:http2";

const [addr, calls, seconds] = process.argv.slice(2);
const session = http2.connect(`http://${addr}`);
session.on("error", () => {});
// See raw-client.mjs: nothing is sent before the daemon's SETTINGS arrive.
await new Promise((resolve) => session.once("remoteSettings", resolve));
const id = Buffer.from("0".repeat(24));
const body = Buffer.concat([Buffer.from([0, 0, 0, 0, 2 + id.length, 0x0a, id.length]), id]);
let answered = 0;
for (let i = 0; i < Number(calls); i++) {
  const stream = session.request({ ":method": "POST", ":path": "/todo.v1.TodoService/GetTodo", "content-type": "application/grpc", te: "trailers" });
  stream.on("error", () => {});
  stream.on("response", () => answered++);
  stream.write(body); // and never end()
}
await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
console.log(JSON.stringify({ calls: Number(calls), answered }));
session.destroy();
