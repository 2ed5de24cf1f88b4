// Bearer tokens against the compiled binary: every todo service refuses a call without a valid token
// (the legacy v1.ToDoService too), health stays open, reflection is closed unless --public-reflection,
// the token file is re-read on SIGHUP, the caller becomes the events' actor and the access log's
// principal, and no token ever shows in the logs or the metrics. Plus the refusals at start.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { status } from "@grpc/grpc-js";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBinary } from "../support/binary";
import { cli, type Daemon, hidden, startDaemon, watchLogs } from "../support/daemon";
import { reflectionList, unary } from "../support/grpc-call";
import { findNginx, startNginx } from "../support/nginx";
import { lineReader } from "../support/lines";
import { scaled } from "../support/time";

const ALICE = `alice-${"a1".repeat(16)}`;
const UNNAMED = `unnamed-${"b2".repeat(16)}`;
const CAROL = `carol-${"c3".repeat(16)}`;
const UNNAMED_PRINCIPAL = `token-${createHash("sha256").update(UNNAMED).digest("hex").slice(0, 8)}`;
const ALL_TOKENS = [ALICE, UNNAMED, CAROL];

const dir = mkdtempSync(join(tmpdir(), "todo-auth-"));
const tokenFile = join(dir, "tokens");
const aliceFile = join(dir, "alice-token");
writeFileSync(tokenFile, `# who may call\nalice:${ALICE}\n\n${UNNAMED}\n`);
writeFileSync(aliceFile, `${ALICE}\n`);

const GET_TODO = "/todo.v1.TodoService/GetTodo";
const SERVER_INFO = "/todo.v1.ServerInfoService/GetServerInfo";
const LEGACY_READ = "/v1.ToDoService/Read";
const HEALTH = "/grpc.health.v1.Health/Check";
const ID = "0".repeat(24);

/** Waits for a log line with this message (after `from` lines), within a scaled deadline. */
async function logged(daemon: Daemon, msg: string, from = 0): Promise<Record<string, unknown>> {
  const until = Date.now() + scaled(10_000);
  for (;;) {
    const line = daemon.logs().slice(from).find((l) => l.msg === msg || (typeof l.msg === "string" && l.msg.startsWith(msg)));
    if (line) return line;
    if (Date.now() > until) throw new Error(`no "${msg}" log line:\n${daemon.logs().map((l) => JSON.stringify(l)).join("\n")}`);
    await Bun.sleep(20);
  }
}

describe("a daemon with a token file", () => {
  let daemon: Daemon;

  beforeAll(async () => {
    daemon = await startDaemon({ env: { TODO_AUTH_TOKENS_FILE: tokenFile } });
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  test("no token: UNAUTHENTICATED on todo.v1, its server info and the legacy v1.ToDoService, saying how to send one", async () => {
    for (const path of [GET_TODO, SERVER_INFO, LEGACY_READ]) {
      const r = await unary(daemon.addr, path, path === LEGACY_READ ? { id: ID } : { id: ID });
      expect({ path, code: r.code }).toEqual({ path, code: status.UNAUTHENTICATED });
      expect(r.details).toBe("this daemon requires a token: send `authorization: Bearer <token>` (todo: --token-file, TODO_TOKEN or the config file's token)");
    }
  });

  test("a wrong token, or a header that is not Bearer, is UNAUTHENTICATED and not echoed", async () => {
    const wrong = `${ALICE.slice(0, -1)}x`;
    for (const path of [GET_TODO, SERVER_INFO, LEGACY_READ]) {
      const r = await unary(daemon.addr, path, {}, { token: wrong });
      expect(r.code).toBe(status.UNAUTHENTICATED);
      expect(r.details).toBe("the token is not valid (it may have been revoked); ask the operator for a current one");
    }
    const basic = await unary(daemon.addr, SERVER_INFO, {}, { authorization: `Basic ${ALICE}` });
    expect(basic).toEqual({ code: status.UNAUTHENTICATED, details: "the authorization header is not `Bearer <token>`" });
  });

  test("the right token, named or not, passes on every service", async () => {
    for (const token of [ALICE, UNNAMED]) {
      expect((await unary(daemon.addr, SERVER_INFO, {}, { token })).code).toBe(status.OK);
      // Past authentication, the call reaches the service: todo.v1 says an unknown id is NOT_FOUND, the
      // legacy Read answers it as the original did, without an error.
      expect((await unary(daemon.addr, GET_TODO, { id: ID }, { token })).code).toBe(status.NOT_FOUND);
      expect((await unary(daemon.addr, LEGACY_READ, { id: ID }, { token })).code).toBe(status.OK);
    }
  });

  test("health answers without a token; reflection needs one", async () => {
    expect(await unary(daemon.addr, HEALTH, { service: "todo.v1.TodoService" })).toMatchObject({ code: status.OK, response: { status: "SERVING" } });
    expect((await reflectionList(daemon.addr)).code).toBe(status.UNAUTHENTICATED);
    const listed = await reflectionList(daemon.addr, { token: ALICE });
    expect(listed.code).toBe(status.OK);
    expect(listed.response).toContain("todo.v1.TodoService");
  });

  test("the CLI sends the token from --token-file, --token, TODO_TOKEN or the config file; without one it says how to give it", async () => {
    const missing = await cli(["add", "no token", "--addr", daemon.addr]);
    expect(missing).toMatchObject({ exitCode: 1, stdout: "" });
    expect(missing.stderr).toBe(`todo: todod at ${daemon.addr} requires a token: pass --token-file FILE, or set TODO_TOKEN or token in the config file (see todo config show)\n`);
    const wrong = await cli(["add", "wrong token", "--addr", daemon.addr], { TODO_TOKEN: CAROL });
    expect(wrong.stderr).toBe(`todo: todod at ${daemon.addr} refused the token: the token is not valid (it may have been revoked); ask the operator for a current one\n`);
    expect(wrong.stderr).not.toContain(CAROL);

    expect(await cli(["add", "by token file", "--addr", daemon.addr, "--token-file", aliceFile])).toMatchObject({ exitCode: 0, stderr: "" });
    expect(await cli(["add", "by flag", "--addr", daemon.addr, "--token", ALICE])).toMatchObject({ exitCode: 0, stderr: "" });
    expect(await cli(["add", "by env", "--addr", daemon.addr], { TODO_TOKEN: UNNAMED })).toMatchObject({ exitCode: 0, stderr: "" });
    const home = mkdtempSync(join(tmpdir(), "todo-config-"));
    mkdirSync(join(home, "todo"));
    // token-file is relative to the config file; the token itself may be in the file too.
    writeFileSync(join(home, "alice-token"), `${ALICE}\n`);
    writeFileSync(join(home, "todo", "config.toml"), `addr = "${daemon.addr}"\ntoken-file = "../alice-token"\n`);
    expect(await cli(["add", "by config file token-file"], { XDG_CONFIG_HOME: home })).toMatchObject({ exitCode: 0, stderr: "" });
    writeFileSync(join(home, "todo", "config.toml"), `addr = "${daemon.addr}"\ntoken = "${ALICE}"\n`);
    expect(await cli(["add", "by config file token"], { XDG_CONFIG_HOME: home })).toMatchObject({ exitCode: 0, stderr: "" });
    // config show tells where the token came from, never the token.
    const shown = await cli(["config", "show"], { XDG_CONFIG_HOME: home });
    expect(shown.stdout).toMatch(/^token\s+\(hidden\)\s+\(file .*config\.toml\)$/m);
    expect(shown.stdout).not.toContain(ALICE);

    // todo version asks todo.v1.ServerInfoService, with the token too.
    const version = await cli(["version", "--addr", daemon.addr, "--token-file", aliceFile]);
    expect(version).toMatchObject({ exitCode: 0, stderr: "" });
    expect(version.stdout).toContain(`at ${daemon.addr}`);
    const listed = await cli(["list", "--json", "--addr", daemon.addr, "--token-file", aliceFile]);
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout.trim().split("\n").map((l) => JSON.parse(l).title).sort()).toEqual(["by config file token", "by config file token-file", "by env", "by flag", "by token file"]);
  });

  test("the caller is the event's actor: the token's name, or token-<digest> for an unnamed one", async () => {
    const watch = Bun.spawn(hidden([await ensureBinary(), "watch", "--from", "0", "--json", "--addr", daemon.addr, "--token-file", aliceFile]), { stdout: "pipe", stderr: "pipe" });
    try {
      await cli(["add", "actor alice", "--addr", daemon.addr, "--token", ALICE]);
      await cli(["add", "actor unnamed", "--addr", daemon.addr], { TODO_TOKEN: UNNAMED });
      const out = lineReader(watch.stdout);
      const until = Date.now() + scaled(15_000);
      const actorOf = (title: string) => out.seen.map((l) => JSON.parse(l)).find((e) => JSON.stringify(e).includes(`"title":"${title}"`))?.actor;
      while ((!actorOf("actor alice") || !actorOf("actor unnamed")) && Date.now() < until) await Bun.sleep(20);
      expect(actorOf("actor alice")).toBe("alice");
      expect(actorOf("actor unnamed")).toBe(UNNAMED_PRINCIPAL);
    } finally {
      watch.kill("SIGKILL");
    }
  });

  test("the access log names the caller, and a refused call", async () => {
    await unary(daemon.addr, SERVER_INFO, {}, { token: ALICE });
    const calls = daemon.logs().filter((l) => l.msg === "call" && l.method === SERVER_INFO);
    expect(calls).toContainEqual(expect.objectContaining({ code: "OK", principal: "alice" }));
    expect(calls).toContainEqual(expect.objectContaining({ code: "UNAUTHENTICATED", principal: "" }));
  });

  test("SIGHUP re-reads the token file: a removed token is refused after, a new one accepted; a broken file keeps the tokens", async () => {
    // A watch over the web API (server-sent events) made with the token that goes: it ends, saying why.
    const watch = await fetch(`${daemon.httpUrl}/v1/todos:watch?fromNow=true`, { headers: { authorization: `Bearer ${ALICE}` } });
    expect(watch.status).toBe(200);
    const before = daemon.logs().length;
    writeFileSync(tokenFile, `carol:${CAROL}\n`);
    process.kill(daemon.pid, "SIGHUP");
    const reloaded = await logged(daemon, "tokens reloaded", before);
    expect(reloaded).toMatchObject({ tokens: 1 });
    // This watch, and the gRPC watch of an earlier test if the daemon has not yet seen its client killed.
    expect(reloaded.streamsEnded).toBeGreaterThanOrEqual(1);
    const events = await watch.text();
    expect(events).toContain("event: error\ndata: ");
    expect(JSON.parse(events.slice(events.lastIndexOf("data: ") + 6))).toMatchObject({ code: 16, message: expect.stringContaining("was revoked") });
    expect((await unary(daemon.addr, SERVER_INFO, {}, { token: ALICE })).code).toBe(status.UNAUTHENTICATED);
    expect((await unary(daemon.addr, SERVER_INFO, {}, { token: CAROL })).code).toBe(status.OK);

    const broken = daemon.logs().length;
    writeFileSync(tokenFile, `carol:${CAROL}\ndave:short\n`);
    process.kill(daemon.pid, "SIGHUP");
    const warning = await logged(daemon, "tokens not reloaded", broken);
    expect(warning).toMatchObject({ level: "warn", msg: `tokens not reloaded, the previous ones stay in force: ${tokenFile}:2: a token is 16 to 4096 visible ASCII characters without spaces (e.g. openssl rand -hex 32)` });
    expect((await unary(daemon.addr, SERVER_INFO, {}, { token: CAROL })).code).toBe(status.OK);
    expect(await cli(["add", "after reload", "--addr", daemon.addr], { TODO_TOKEN: CAROL })).toMatchObject({ exitCode: 0 });
  });

  test("no token appears in the logs or the metrics", async () => {
    const metrics = await (await fetch(`${daemon.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/grpc_server_handled_total\{[^}]*grpc_code="Unauthenticated"[^}]*\} [1-9]/);
    const logs = daemon.logs().map((l) => JSON.stringify(l)).join("\n");
    expect(logs).toContain('"principal":"alice"');
    for (const token of ALL_TOKENS) {
      expect(logs).not.toContain(token);
      expect(metrics).not.toContain(token);
    }
  });
});

test("TODO_AUTH_TOKENS and --public-reflection: reflection is open, the todo services are not", async () => {
  const daemon = await startDaemon({ env: { TODO_AUTH_TOKENS: `alice:${ALICE},${UNNAMED}` }, args: ["--public-reflection"] });
  try {
    const listed = await reflectionList(daemon.addr);
    expect(listed.code).toBe(status.OK);
    expect(listed.response).toContain("v1.ToDoService");
    expect((await unary(daemon.addr, GET_TODO, { id: ID })).code).toBe(status.UNAUTHENTICATED);
    expect((await unary(daemon.addr, SERVER_INFO, {}, { token: UNNAMED })).code).toBe(status.OK);
    expect(daemon.logs().find((l) => l.msg === "todod listening")).toMatchObject({ tokens: 2, tls: "off" });
  } finally {
    expect(await daemon.stop()).toBe(0);
  }
});

describe("refused at start, with one line", () => {
  /** `todo serve` on free ports, expected to exit before listening. */
  async function refused(args: string[], env: Record<string, string> = {}) {
    const r = await cli(["serve", "--grpc-port", "0", "--http-port", "0", ...args], { TODO_DATA_DIR: mkdtempSync(join(tmpdir(), "todo-data-")), ...env });
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    return r;
  }

  test("a malformed token file names its line, never the token", async () => {
    const file = join(dir, "malformed");
    writeFileSync(file, `alice:${ALICE}\nbob ${CAROL}\n`);
    const r = await refused([], { TODO_AUTH_TOKENS_FILE: file });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`todo: ${file}:2: a token is 16 to 4096 visible ASCII characters without spaces (e.g. openssl rand -hex 32)\n`);
    for (const token of ALL_TOKENS) expect(r.stderr).not.toContain(token);
  });

  test("a missing token file", async () => {
    const r = await refused(["--auth-tokens-file", join(dir, "absent")]);
    expect(r.stderr).toBe(`todo: ${join(dir, "absent")}: cannot read the token file (ENOENT)\n`);
  });

  test("a non-loopback address without tokens or client certificates, unless --insecure", async () => {
    const r = await refused(["--host", "0.0.0.0"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      "todo: --host 0.0.0.0 serves beyond this machine, so calls need a credential: set TODO_AUTH_TOKENS_FILE (or TLS_CLIENT_CA_FILE), or --insecure / TODO_INSECURE=true to let anyone who reaches the port read and change every todo\n",
    );
  });

  test("tokens are not a flag: a command line is visible in ps", async () => {
    const r = await refused(["--auth-tokens", ALICE]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("todo: tokens have no flag, as a command line is visible to every user (ps): set TODO_AUTH_TOKENS or --auth-tokens-file / TODO_AUTH_TOKENS_FILE\n");
  });
});

test("with tokens, a non-loopback address is served (reached here through loopback)", async () => {
  const proc = Bun.spawn(hidden([await ensureBinary(), "serve", "--host", "0.0.0.0", "--grpc-port", "0", "--http-port", "0"]), {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, TODO_DATA_DIR: mkdtempSync(join(tmpdir(), "todo-data-")), TODO_AUTH_TOKENS_FILE: aliceFile },
    stdout: "pipe",
    stderr: "pipe",
  });
  try {
    const ready = await watchLogs(proc, "todo serve --host 0.0.0.0").listening;
    const addr = `127.0.0.1:${ready.grpcPort}`;
    expect((await unary(addr, SERVER_INFO, {}, { token: ALICE })).code).toBe(status.OK);
    expect((await unary(addr, SERVER_INFO, {})).code).toBe(status.UNAUTHENTICATED);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  } finally {
    proc.kill("SIGKILL");
  }
});

// As under ingress-nginx: the authorization header passes through grpc_pass, and so do the refusals.
const nginxPath = findNginx();
test.skipIf(!nginxPath)("behind nginx grpc_pass, the token reaches the daemon and a missing one is refused", async () => {
  const daemon = await startDaemon({ env: { TODO_AUTH_TOKENS_FILE: aliceFile } });
  const nginx = await startNginx(nginxPath!, daemon.addr);
  try {
    expect(await cli(["add", "through nginx", "--addr", nginx.addr, "--token-file", aliceFile])).toMatchObject({ exitCode: 0, stderr: "" });
    const refused = await cli(["list", "--addr", nginx.addr]);
    expect(refused).toMatchObject({ exitCode: 1, stderr: `todo: todod at ${nginx.addr} requires a token: pass --token-file FILE, or set TODO_TOKEN or token in the config file (see todo config show)\n` });
  } finally {
    await nginx.stop();
    expect(await daemon.stop()).toBe(0);
  }
});
