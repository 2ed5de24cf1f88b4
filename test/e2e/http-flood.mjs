// Idle connections to the daemon's HTTP port, from Node.js (floods run on Node, not Bun): `count` TCP
// connections that never send a byte, held `seconds`. Meanwhile, every 500 ms, a GET /readyz on a new
// connection, once the flood is in. Prints one JSON line: the probes' answers, and when the daemon closed
// the flood's sockets.
//   node http-flood.mjs <host:port> <count> <seconds>
import http from "node:http";
import { connect } from "node:net";

const [addr, count, seconds] = process.argv.slice(2);
const [host, port] = addr.split(":");
const started = performance.now();
const since = () => Math.round(performance.now() - started);

const closedMs = [];
const sockets = [];
let connected = 0;
for (let i = 0; i < Number(count); i++) {
  const socket = connect(Number(port), host);
  socket.on("error", () => {});
  socket.on("connect", () => connected++);
  socket.resume(); // read, so that a close by the daemon is seen
  socket.on("close", () => closedMs.push(since()));
  sockets.push(socket);
}

function probe() {
  return new Promise((resolve) => {
    const request = http.get({ host, port: Number(port), path: "/readyz", agent: false, timeout: 3_000 }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode));
    });
    request.on("timeout", () => request.destroy(new Error("no answer within 3 s")));
    request.on("error", (e) => resolve(e.code ?? e.message));
  });
}

const probes = [];
const deadline = Date.now() + Number(seconds) * 1000;
// Probes once the flood is in (each of its connections accepted, or closed by the daemon): while
// connections keep arriving, each one at the cap closes the longest idle, a probe not yet read included.
while (connected + closedMs.length < Number(count) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
const floodedMs = since();
while (Date.now() < deadline) {
  probes.push(await probe());
  await new Promise((resolve) => setTimeout(resolve, 500));
}
console.log(JSON.stringify({ count: Number(count), connected, floodedMs, probes, closedMs: closedMs.sort((a, b) => a - b), stillOpen: Number(count) - closedMs.length }));
for (const socket of sockets) socket.destroy();
