// A client that leaves by resetting its connection (TCP RST) with a call in flight, as ghz does when it
// exits: one health Check answered, a WatchTodos left open, then the socket reset. Node, not Bun (see
// node-client.mjs). Prints one JSON line: the Check's grpc-status and whether the reset was sent.
//   node reset-connection.mjs <host:port>
import http2 from "node:http2";

const session = http2.connect(`http://${process.argv[2]}`);
session.on("error", () => {});
// The daemon's header table size is 0 (src/api/grpc/server.ts): no request before its SETTINGS.
await new Promise((resolve) => session.once("remoteSettings", resolve));
const call = (path) => {
  const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" });
  stream.on("error", () => {});
  stream.end(Buffer.alloc(5)); // one empty message
  return stream;
};
const checked = await new Promise((resolve) => {
  const stream = call("/grpc.health.v1.Health/Check");
  let status;
  stream.on("response", (headers) => (status ??= headers["grpc-status"]));
  stream.on("trailers", (trailers) => (status = trailers["grpc-status"]));
  stream.on("data", () => {});
  stream.on("close", () => resolve(Number(status)));
});
call("/todo.v1.TodoService/WatchTodos");
await new Promise((resolve) => setTimeout(resolve, 300));
session.socket.resetAndDestroy();
console.log(JSON.stringify({ checked, reset: true }));
