// gRPC requests written byte by byte over Node.js's http2, for what a well-behaved client never sends:
// malformed bodies, a compressed flag without an encoding, bodies that are not gzip, 100 KB fields.
// Node, not Bun (see node-client.mjs). Reads a JSON list of requests on stdin and prints one JSON line:
// for each request its grpc-status, grpc-message length and head, and the time to the answer.
//   node raw-client.mjs <host:port> <deadline seconds>   < [{ path, body (hex), flag?, encoding? }, …]
// All requests go on one connection, at once; each is answered or times out at the deadline.
import http2 from "node:http2";

const [addr, seconds] = process.argv.slice(2);
const requests = JSON.parse(await new Response(process.stdin).text());
const session = http2.connect(`http://${addr}`, { maxHeaderListSize: 64 * 1024 });
session.on("error", () => {});
const deadline = Date.now() + Number(seconds) * 1000;
// The daemon advertises a header table size of 0 (see src/api/grpc/server.ts) and applies it at once:
// a header block sent before its SETTINGS arrive, indexed under the default size, is a COMPRESSION_ERROR.
await new Promise((resolve) => session.once("remoteSettings", resolve));

function send({ path, body, flag = 0, encoding }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const headers = { ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" };
    if (encoding) headers["grpc-encoding"] = encoding;
    const stream = session.request(headers);
    const payload = Buffer.from(body, "hex");
    const frame = Buffer.alloc(5 + payload.length);
    frame.writeUInt8(flag, 0);
    frame.writeUInt32BE(payload.length, 1);
    payload.copy(frame, 5);
    let head = {};
    const timer = setTimeout(() => {
      stream.close();
      resolve({ status: "no answer", ms: Math.round(performance.now() - started) });
    }, deadline - Date.now());
    stream.on("response", (h) => (head = h));
    stream.on("data", () => {});
    const finish = (trailers) => {
      clearTimeout(timer);
      const message = decodeURIComponent(String(trailers["grpc-message"] ?? head["grpc-message"] ?? ""));
      resolve({
        status: Number(trailers["grpc-status"] ?? head["grpc-status"] ?? -1),
        message: message.slice(0, 300),
        messageLength: message.length,
        ms: Math.round(performance.now() - started),
      });
    };
    stream.on("trailers", finish);
    stream.on("end", () => finish({}));
    stream.on("error", (error) => {
      clearTimeout(timer);
      resolve({ status: "stream error", message: error.message, ms: Math.round(performance.now() - started) });
    });
    stream.end(frame);
  });
}

const results = await Promise.all(requests.map(send));
session.close();
console.log(JSON.stringify(results));
