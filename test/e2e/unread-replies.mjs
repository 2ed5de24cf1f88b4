// Calls whose replies are never read, from Node.js's http2 (see node-client.mjs): `calls`
// v1.ToDoService/Search requests on one connection, none of whose reply data is read. Reports, after
// `seconds`, how many were refused (a status without data) and how many began a reply that the daemon
// now holds unread.
//   node unread-replies.mjs <host:port> <calls> <seconds>
import http2 from "node:http2";

const [addr, calls, seconds] = process.argv.slice(2);
const session = http2.connect(`http://${addr}`);
session.on("error", () => {});
// See raw-client.mjs: nothing is sent before the daemon's SETTINGS arrive.
await new Promise((resolve) => session.once("remoteSettings", resolve));
const refused = {};
let replying = 0;
let example;
const streams = [];
for (let i = 0; i < Number(calls); i++) {
  const stream = session.request({ ":method": "POST", ":path": "/v1.ToDoService/Search", "content-type": "application/grpc", te: "trailers" });
  stream.on("error", () => {});
  // A refusal comes as trailers: alone, or after the response headers when those went out first.
  const refuse = (headers) => {
    const code = headers["grpc-status"];
    if (code === undefined) return false;
    refused[code] = (refused[code] ?? 0) + 1;
    example ??= decodeURIComponent(String(headers["grpc-message"] ?? ""));
    return true;
  };
  let began = false;
  stream.on("response", (headers) => {
    if (!refuse(headers)) (began = true), replying++;
  });
  stream.on("trailers", (headers) => {
    if (began && refuse(headers)) replying--;
  });
  // An empty SearchRequest: every todo. The reply's data is never read.
  stream.end(Buffer.alloc(5));
  streams.push(stream);
}
await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
console.log(JSON.stringify({ calls: Number(calls), replying, refused, example }));
session.destroy();
