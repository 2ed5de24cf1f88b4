// HTTP/2 that breaks the protocol, written frame by frame from Node.js (floods and raw clients run on
// Node, not Bun): the preface and SETTINGS, then a DATA frame on stream 0 (a connection error,
// PROTOCOL_ERROR). Prints one JSON line: the GOAWAY frames the daemon answered with (error code, debug data).
//   node bad-frames.mjs <host:port>
import { connect } from "node:net";

const [host, port] = process.argv[2].split(":");
const frame = (type, flags, stream, payload) => {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(stream, 5);
  return Buffer.concat([header, payload]);
};
const socket = connect(Number(port), host);
const goaways = [];
let received = Buffer.alloc(0);
socket.on("connect", () => {
  socket.write(Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), frame(4, 0, 0, Buffer.alloc(0))]));
  setTimeout(() => socket.write(frame(0, 0, 0, Buffer.from("x"))), 300);
});
socket.on("data", (data) => {
  received = Buffer.concat([received, data]);
  while (received.length >= 9 && received.length >= 9 + received.readUIntBE(0, 3)) {
    const length = received.readUIntBE(0, 3);
    const payload = received.subarray(9, 9 + length);
    if (received[3] === 7) goaways.push({ code: payload.readUInt32BE(4), debug: payload.subarray(8).toString() });
    received = received.subarray(9 + length);
  }
});
socket.on("error", () => {});
const closed = await Promise.race([new Promise((resolve) => socket.on("close", () => resolve(true))), new Promise((resolve) => setTimeout(() => resolve(false), 5_000))]);
console.log(JSON.stringify({ goaways, closed }));
socket.destroy();
