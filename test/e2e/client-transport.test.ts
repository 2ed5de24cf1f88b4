// The CLI's own gRPC transport (src/cli/grpc-http2.ts) where the daemon does not behave: a peer that
// accepts the connection and never answers is a deadline, not a hang, and a peer that is not HTTP/2
// is one line naming the address.
import { afterAll, expect, test } from "bun:test";
import { createServer, type Socket } from "node:net";
import { cli } from "../support/daemon";

const sockets = new Set<Socket>();
async function listen(onConnection: (socket: Socket) => void) {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, addr: `127.0.0.1:${(server.address() as { port: number }).port}` };
}

const silent = await listen(() => {});
const notHttp2 = await listen((socket) => socket.end("SSH-2.0-OpenSSH_9.2\r\n"));

afterAll(() => {
  for (const s of sockets) s.destroy();
  silent.server.close();
  notHttp2.server.close();
});

test("a peer that never answers fails at --timeout with one line naming it", async () => {
  const r = await cli(["read", "6b0a05d5ce81181cbe2a53ff", "--addr", silent.addr, "--timeout", "1"]);
  expect(r).toEqual({ stdout: "", stderr: `todo: todod at ${silent.addr} did not answer within 1 s; try a longer --timeout\n`, exitCode: 1 });
});

test("a peer that is not a gRPC server fails with one line naming it", async () => {
  const r = await cli(["read", "6b0a05d5ce81181cbe2a53ff", "--addr", notHttp2.addr, "--timeout", "5"]);
  expect(r.exitCode).toBe(1);
  expect(r.stderr.split("\n")).toHaveLength(2);
  expect(r.stderr).toStartWith(`todo: cannot reach todod at ${notHttp2.addr} (`);
});
