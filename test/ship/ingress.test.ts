// The ingress path of the original README's minikube recipe, without a cluster: nginx (Debian's
// nginx-light, as ingress-nginx runs nginx) terminates TLS with a certificate made here by openssl and
// passes the calls on with grpc_pass (what `nginx.ingress.kubernetes.io/backend-protocol: GRPC` makes it
// do) to `todo serve`; the CLI goes through it with --tls --ca cert.pem.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, type Daemon, startDaemon } from "../support/daemon";
import { findNginx, type Nginx, startNginx, type TlsCertificate } from "../support/nginx";
import { runOk, toolOrSkip } from "./tools";

const nginx = findNginx() ?? toolOrSkip("nginx", "the TLS ingress test (Debian package nginx-light)");
const openssl = toolOrSkip("openssl", "the TLS ingress test (it makes its certificates with openssl)");

/** A self-signed certificate (it is its own CA) for the given subjectAltName. */
function certificate(dir: string, name: string, san: string): TlsCertificate {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  runOk([openssl!, "req", "-x509", "-nodes", "-days", "2", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-keyout", key, "-out", cert, "-subj", `/CN=${name}`, "-addext", `subjectAltName=${san}`]);
  return { cert, key };
}

describe.skipIf(!nginx || !openssl)("the CLI through a TLS-terminating nginx (grpc_pass) to todo serve", () => {
  let dir: string;
  let daemon: Daemon;
  let ingress: Nginx;
  let wrongName: Nginx;
  let good: TlsCertificate;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "todo-ingress-"));
    // The address the CLI dials is an IP here, so the certificate names it (and a DNS name, as an
    // ingress host would be).
    good = certificate(dir, "todo.example.test", "DNS:todo.example.test,DNS:localhost,IP:127.0.0.1");
    const other = certificate(dir, "other.example.test", "DNS:other.example.test");
    daemon = await startDaemon();
    ingress = await startNginx(nginx!, daemon.addr, good);
    wrongName = await startNginx(nginx!, daemon.addr, other);
  }, 300_000);

  afterAll(async () => {
    await ingress?.stop();
    await wrongName?.stop();
    await daemon?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const through = (args: string[], tls: string[]) => cli([...args, "--addr", ingress.addr, ...tls]);

  test("--tls --ca cert.pem: the original README's session, through the ingress", async () => {
    const tls = ["--tls", "--ca", good.cert];
    const ids: string[] = [];
    for (const description of ["12factor apps", "12factor eventstore"]) {
      const r = await through(["create", "--title", "ori", "--description", description, "--state", "NOT_STARTED", "--tags", "job", "--json"], tls);
      expect({ code: r.exitCode, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
      ids.push(JSON.parse(r.stdout).id);
    }
    const updated = await through(["update", "--id", ids[1]!, "--tags", "job,golang", "--json"], tls);
    expect(updated.exitCode).toBe(0);
    expect(JSON.parse(updated.stdout).tags).toEqual(["job", "golang"]);
    const read = await through(["read", "--id", ids[1]!, "--json"], tls);
    expect(JSON.parse(read.stdout)).toMatchObject({ id: ids[1], title: "ori", description: "12factor eventstore", tags: ["job", "golang"] });
    const search = await through(["search", "--pattern", ".event.*", "--json"], tls);
    expect(search.stdout.trim().split("\n").map((l) => JSON.parse(l).id)).toEqual([ids[1]]);
    const deleted = await through(["delete", "--id", ids[0]!], tls);
    expect(deleted.exitCode).toBe(0);
    const all = await through(["search", "--json"], tls);
    expect(all.stdout.trim().split("\n").map((l) => JSON.parse(l).id)).toEqual([ids[1]]);
    // Every call reached the daemon through nginx; nginx saw no HTTP/2 error from it.
    expect(ingress.errorLog()).not.toMatch(/upstream sent|invalid http2/);
  });

  test("by name, as an ingress host is dialled: the certificate's DNS name is checked (and sent as SNI)", async () => {
    const port = ingress.addr.split(":")[1];
    const r = await cli(["search", "--addr", `localhost:${port}`, "--tls", "--ca", good.cert, "--json"]);
    expect({ code: r.exitCode, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  });

  test("without --ca the self-signed certificate is refused, with one line saying why", async () => {
    const r = await through(["search"], ["--tls"]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/certificate/i);
    expect(r.stderr).toContain("--ca");
  });

  test("a certificate for another name is refused even with its CA; --insecure-skip-verify accepts it", async () => {
    const other = join(dir, "other.example.test.pem");
    const refused = await cli(["search", "--addr", wrongName.addr, "--tls", "--ca", other]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/certificate|host ?name|altnames|IP/i);
    const accepted = await cli(["search", "--addr", wrongName.addr, "--insecure-skip-verify", "--json"]);
    expect({ code: accepted.exitCode, stderr: accepted.stderr }).toEqual({ code: 0, stderr: "" });
  });

  test("plain-text gRPC to the TLS port fails clearly, and --ca naming a missing file is a usage error", async () => {
    const plain = await through(["search"], []);
    expect(plain.exitCode).not.toBe(0);
    expect(plain.stderr).toContain(ingress.addr);
    const missing = await through(["search"], ["--tls", "--ca", join(dir, "nope.pem")]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("nope.pem");
  });
});
