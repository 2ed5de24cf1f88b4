// Connections that never make a call, from Node.js (see node-client.mjs): `count` TCP connections that
// never send a byte, and one HTTP/2 connection that completes its handshake and then stays idle. Prints
// one JSON line: when the daemon closed each kind, and how many it still held at the end.
//   node connection-flood.mjs <host:port> <count> <seconds>
import http2 from "node:http2";
import { connect } from "node:net";

const [addr, count, seconds] = process.argv.slice(2);
const [host, port] = addr.split(":");
const started = performance.now();
const since = () => Math.round(performance.now() - started);

// The idle connection first, within the cap, its handshake complete before the flood begins.
let idleClosedAt = null;
const session = http2.connect(`http://${addr}`);
session.on("error", () => {});
session.on("close", () => (idleClosedAt = since()));
await new Promise((resolve) => session.once("remoteSettings", resolve));
const handshakeAt = since();

const silentClosed = [];
const sockets = [];
for (let i = 0; i < Number(count); i++) {
  const socket = connect(Number(port), host);
  socket.on("error", () => {});
  socket.resume(); // read, so that a close by the daemon is seen
  socket.on("close", () => silentClosed.push(since()));
  sockets.push(socket);
}

await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
silentClosed.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    silent: Number(count),
    closedMs: silentClosed,
    stillOpen: Number(count) - silentClosed.length,
    idleHttp2ClosedMs: idleClosedAt === null ? null : idleClosedAt - handshakeAt,
  }),
);
for (const socket of sockets) socket.destroy();
session.destroy();
