// `todo version` tells the client's version and, when a daemon answers, the daemon's
// (todo.v1.ServerInfoService/GetServerInfo), which reflection describes like every other service.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { freePort } from "../support/net";
import { toolOrSkip } from "../support/tools";

let daemon: Daemon;
const grpcurl = toolOrSkip("grpcurl", "todo.v1.ServerInfoService through grpcurl");

beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

test("todo version prints the client's line, then the daemon's", async () => {
  const client = (await cli(["--version"])).stdout;
  const r = await cli(["version", "--addr", daemon.addr]);
  expect(r.exitCode).toBe(0);
  expect(r.stderr).toBe("");
  const [version, commit] = /^todo (\S+) \(commit (\S+)\)\n$/.exec(client)!.slice(1);
  expect(r.stdout).toBe(`${client}todod ${version} (commit ${commit}) at ${daemon.addr}\n`);
  expect(JSON.parse((await cli(["version", "--json", "--addr", daemon.addr])).stdout)).toEqual({
    todo: { version, commit },
    todod: { version, commit, addr: daemon.addr },
  });
});

test("without a daemon, the client's version on stdout and why the daemon's is missing on stderr", async () => {
  const addr = `127.0.0.1:${await freePort()}`;
  const r = await cli(["version", "--addr", addr]);
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toBe((await cli(["--version"])).stdout);
  expect(r.stderr).toBe(`todo: cannot reach todod at ${addr} (ECONNREFUSED) — is \`todo serve\` running?\n`);
  expect(JSON.parse((await cli(["version", "--json", "--addr", addr])).stdout).todod).toBeNull();
});

test.skipIf(!grpcurl)("reflection lists and describes todo.v1.ServerInfoService, and it answers", async () => {
  const run = (...args: string[]) => Bun.spawnSync([grpcurl!, "-plaintext", ...args], { stdout: "pipe", stderr: "pipe" });
  const list = run(daemon.addr, "list").stdout.toString().trim().split("\n");
  expect(list).toEqual(expect.arrayContaining(["todo.v1.ServerInfoService", "todo.v1.TodoService", "v1.ToDoService"]));
  expect(run(daemon.addr, "describe", "todo.v1.ServerInfoService").stdout.toString()).toContain("rpc GetServerInfo ( .todo.v1.GetServerInfoRequest ) returns ( .todo.v1.ServerInfo );");
  const info = JSON.parse(run(daemon.addr, "todo.v1.ServerInfoService/GetServerInfo").stdout.toString());
  expect(`todo ${info.version} (commit ${info.commit})\n`).toBe((await cli(["--version"])).stdout);
});
