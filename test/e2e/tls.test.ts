// TLS on the daemon's gRPC port, against the compiled binary, with certificates made here by openssl:
// the CLI trusting the CA (--ca), the certificate renewed on SIGHUP without closing the listener,
// a broken renewal kept out, and mutual TLS: no client certificate is refused, one signed by the
// client CA is accepted and names the caller (its CN) when no token is sent.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { credentials, status } from "@grpc/grpc-js";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBinary } from "../support/binary";
import { cli, type Daemon, hidden, startDaemon } from "../support/daemon";
import { unary } from "../support/grpc-call";
import { lineReader } from "../support/lines";
import { scaled } from "../support/time";

const dir = mkdtempSync(join(tmpdir(), "todo-tls-"));
const path = (name: string) => join(dir, name);

function openssl(...args: string[]) {
  const r = Bun.spawnSync(["openssl", ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`openssl ${args.join(" ")} failed:\n${r.stderr}`);
}

/** A CA: <name>.key, <name>.crt. */
function makeCa(name: string) {
  openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "2", "-subj", `/CN=${name}`);
}

/** A certificate for `cn` signed by `ca`, for a server (127.0.0.1 in its names) or a client. */
function makeCert(name: string, cn: string, ca: string, server: boolean) {
  openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
  writeFileSync(path(`${name}.ext`), server ? "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n" : "extendedKeyUsage=clientAuth\n");
  openssl("x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`);
}

makeCa("ca-one");
makeCa("ca-two");
makeCa("clients");
makeCert("server-one", "todod one", "ca-one", true);
makeCert("server-two", "todod two", "ca-two", true);
makeCert("alice", "alice", "clients", false);
makeCert("mallory", "mallory", "ca-two", false);

/** The daemon's certificate files, which the tests overwrite to renew them. */
const CERT = path("server.crt");
const KEY = path("server.key");
function install(name: string) {
  copyFileSync(path(`${name}.crt`), CERT);
  copyFileSync(path(`${name}.key`), KEY);
}

async function logged(daemon: Daemon, msg: string, from: number): Promise<Record<string, unknown>> {
  const until = Date.now() + scaled(10_000);
  for (;;) {
    const line = daemon.logs().slice(from).find((l) => typeof l.msg === "string" && l.msg.startsWith(msg));
    if (line) return line;
    if (Date.now() > until) throw new Error(`no "${msg}" log line:\n${daemon.logs().map((l) => JSON.stringify(l)).join("\n")}`);
    await Bun.sleep(20);
  }
}

const SERVER_INFO = "/todo.v1.ServerInfoService/GetServerInfo";
const trusting = (ca: string) => credentials.createSsl(readFileSync(path(`${ca}.crt`)));

describe("TLS", () => {
  let daemon: Daemon;

  beforeAll(async () => {
    install("server-one");
    daemon = await startDaemon({ env: { TLS_CERT_FILE: CERT, TLS_KEY_FILE: KEY } });
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  test("the CLI with --ca reaches it; plain text does not", async () => {
    expect(daemon.logs().find((l) => l.msg === "todod listening")).toMatchObject({ tls: "server", tokens: 0 });
    expect(await cli(["add", "over TLS", "--addr", daemon.addr, "--ca", path("ca-one.crt")])).toMatchObject({ exitCode: 0, stderr: "" });
    const listed = await cli(["list", "--json", "--addr", daemon.addr, "--ca", path("ca-one.crt")]);
    expect(JSON.parse(listed.stdout).title).toBe("over TLS");
    const plain = await cli(["list", "--addr", daemon.addr, "--timeout", "5"]);
    expect(plain.exitCode).toBe(1);
    // The transport's code (the peer hangs up on a plain-text HTTP/2 preface) varies; the hint does not.
    expect(plain.stderr).toMatch(new RegExp(`^todo: cannot reach todod at ${daemon.addr.replace(/[.]/g, "\\.")} \\(\\w+\\) — is \`todo serve\` running\\? \\(if it serves TLS: pass --tls, or --ca FILE\\)\n$`));
    const wrongCa = await cli(["list", "--addr", daemon.addr, "--ca", path("ca-two.crt")]);
    expect(wrongCa.stderr).toStartWith(`todo: TLS with ${daemon.addr} failed:`);
    expect(wrongCa.stderr).toEndWith(`${path("ca-two.crt")} is not the CA that signed its certificate\n`);
  });

  test("SIGHUP renews the certificate on the same listener; a key that does not match is kept out", async () => {
    expect((await unary(daemon.addr, SERVER_INFO, {}, { credentials: trusting("ca-one") })).code).toBe(status.OK);
    let from = daemon.logs().length;
    install("server-two");
    process.kill(daemon.pid, "SIGHUP");
    await logged(daemon, "TLS certificate reloaded", from);
    expect((await unary(daemon.addr, SERVER_INFO, {}, { credentials: trusting("ca-one") })).code).toBe(status.UNAVAILABLE);
    expect((await unary(daemon.addr, SERVER_INFO, {}, { credentials: trusting("ca-two") })).code).toBe(status.OK);
    expect(await cli(["list", "--addr", daemon.addr, "--ca", path("ca-two.crt")])).toMatchObject({ exitCode: 0, stderr: "" });

    from = daemon.logs().length;
    copyFileSync(path("server-one.key"), KEY); // the key of another certificate
    process.kill(daemon.pid, "SIGHUP");
    const warning = await logged(daemon, "TLS certificate not reloaded", from);
    expect(warning).toMatchObject({ level: "warn" });
    expect(warning.msg).toContain("KEY_VALUES_MISMATCH");
    expect((await unary(daemon.addr, SERVER_INFO, {}, { credentials: trusting("ca-two") })).code).toBe(status.OK);
  });
});

describe("mutual TLS", () => {
  let daemon: Daemon;
  const clientFlags = ["--ca", path("ca-one.crt"), "--cert", path("alice.crt"), "--key", path("alice.key")];

  beforeAll(async () => {
    daemon = await startDaemon({ env: { TLS_CERT_FILE: path("server-one.crt"), TLS_KEY_FILE: path("server-one.key"), TLS_CLIENT_CA_FILE: path("clients.crt") } });
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  test("without a client certificate, or with one another CA signed, the call is refused", async () => {
    const none = await cli(["list", "--addr", daemon.addr, "--ca", path("ca-one.crt")]);
    expect(none).toMatchObject({ exitCode: 1, stdout: "" });
    expect(none.stderr).toBe(`todo: todod at ${daemon.addr} requires a client certificate (mutual TLS): pass --cert FILE and --key FILE\n`);
    const foreign = await cli(["list", "--addr", daemon.addr, "--ca", path("ca-one.crt"), "--cert", path("mallory.crt"), "--key", path("mallory.key")]);
    expect(foreign.exitCode).toBe(1);
    expect((await unary(daemon.addr, SERVER_INFO, {}, { credentials: trusting("ca-one") })).code).not.toBe(status.OK);
    const half = await cli(["list", "--addr", daemon.addr, "--cert", path("alice.crt")]);
    expect(half).toMatchObject({ exitCode: 2, stderr: "todo: a client certificate needs both --cert and --key (--key is missing)\n" });
  });

  test("with one the client CA signed, calls pass and the certificate's CN is the events' actor", async () => {
    expect(daemon.logs().find((l) => l.msg === "todod listening")).toMatchObject({ tls: "mutual" });
    const watch = Bun.spawn(hidden([await ensureBinary(), "watch", "--from", "0", "--json", "--addr", daemon.addr, ...clientFlags]), { stdout: "pipe", stderr: "pipe" });
    try {
      expect(await cli(["add", "by certificate", "--addr", daemon.addr, ...clientFlags])).toMatchObject({ exitCode: 0, stderr: "" });
      const [line] = await lineReader(watch.stdout).atLeast(1, "the created event", scaled(15_000));
      expect(JSON.parse(line!)).toMatchObject({ actor: "alice", created: { todo: { title: "by certificate" } } });
      expect(daemon.logs()).toContainEqual(expect.objectContaining({ msg: "call", method: "/todo.v1.TodoService/CreateTodo", code: "OK", principal: "alice" }));
    } finally {
      watch.kill("SIGKILL");
    }
  });
});

describe("the HTTP port over TLS (HTTP_TLS)", () => {
  let daemon: Daemon;
  const CLIENT_CERT = ["--cert", path("alice.crt"), "--key", path("alice.key")];

  beforeAll(async () => {
    install("server-one");
    daemon = await startDaemon({ env: { TLS_CERT_FILE: CERT, TLS_KEY_FILE: KEY, TLS_CLIENT_CA_FILE: path("clients.crt"), HTTP_TLS: "true" } });
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  const https = () => daemon.httpUrl.replace(/^http:/, "https:");
  function curl(url: string, ...args: string[]) {
    const r = Bun.spawnSync(["curl", "-sS", "-w", "\n%{http_code}", ...args, url], { stdout: "pipe", stderr: "pipe" });
    const out = r.stdout.toString();
    const nl = out.lastIndexOf("\n");
    return { exitCode: r.exitCode, status: Number(out.slice(nl + 1)), body: out.slice(0, nl), stderr: r.stderr.toString() };
  }

  test("probes and the web API answer over TLS only; a verified client certificate names the caller, none is 401", () => {
    expect(curl(`${https()}/healthz`, "--cacert", path("ca-one.crt"))).toMatchObject({ exitCode: 0, status: 200, body: "ok\n" });
    expect(curl(`${daemon.httpUrl}/healthz`).status).not.toBe(200);
    const alice = curl(`${https()}/v1/serverInfo`, "--cacert", path("ca-one.crt"), ...CLIENT_CERT);
    expect(alice.status).toBe(200);
    expect(JSON.parse(alice.body)).toMatchObject({ caller: "alice" });
    // A certificate the client CA did not sign names nobody: the call needs a token, as without one.
    const mallory = curl(`${https()}/v1/serverInfo`, "--cacert", path("ca-one.crt"), "--cert", path("mallory.crt"), "--key", path("mallory.key"));
    expect(mallory.status).toBe(401);
    expect(curl(`${https()}/v1/serverInfo`, "--cacert", path("ca-one.crt")).status).toBe(401);
  });

  test("SIGHUP renews the HTTP port's certificate too", async () => {
    const from = daemon.logs().length;
    install("server-two");
    process.kill(daemon.pid, "SIGHUP");
    await logged(daemon, "TLS certificate reloaded", from);
    expect(curl(`${https()}/healthz`, "--cacert", path("ca-two.crt"))).toMatchObject({ status: 200, body: "ok\n" });
    expect(curl(`${https()}/healthz`, "--cacert", path("ca-one.crt")).exitCode).not.toBe(0);
  });
});

test("TLS files that cannot serve stop the start with one line", async () => {
  const r = await cli(["serve", "--grpc-port", "0", "--http-port", "0"], {
    TODO_DATA_DIR: mkdtempSync(join(tmpdir(), "todo-data-")),
    TLS_CERT_FILE: path("server-one.crt"),
    TLS_KEY_FILE: path("server-two.key"),
  });
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toStartWith(`todo: the TLS files ${path("server-one.crt")}, ${path("server-two.key")} do not make a TLS context:`);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  const missing = await cli(["serve", "--grpc-port", "0", "--http-port", "0", "--tls-cert-file", path("absent.crt"), "--tls-key-file", KEY], {
    TODO_DATA_DIR: mkdtempSync(join(tmpdir(), "todo-data-")),
  });
  expect(missing.stderr).toBe(`todo: cannot read the TLS certificate (TLS_CERT_FILE) ${path("absent.crt")} (ENOENT)\n`);
});
