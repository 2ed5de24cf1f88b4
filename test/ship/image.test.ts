// What the runtime image needs, tested without a Docker engine (none runs here):
// 1. every shared library `ldd dist/todo` lists comes from a Debian package the Dockerfile's distroless base
//    ships, and the binary asks for no newer glibc than Debian 12's;
// 2. `todo serve` runs in a chroot holding only what the image holds — the binary, those libraries, CA
//    certificates, /etc/passwd with nonroot — as user 65532 on a read-only root with /data and /tmp writable
//    (as the Helm chart runs it), and the CLI drives it from outside.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Subprocess } from "bun";
import { ensureBinary } from "../support/binary";
import { cli, watchLogs } from "../support/daemon";
import { parseDockerfile } from "./dockerfile";
import { ROOT, run, runOk } from "./tools";

/**
 * The Debian packages in each distroless Debian 12 image that hold shared libraries (GoogleContainerTools/
 * distroless: base/config.bzl and cc/config.bzl; static holds none). Each image includes the ones before it.
 */
const DISTROLESS_LIBRARY_PACKAGES: Record<string, string[]> = {
  "static-debian12": [],
  "base-nossl-debian12": ["libc6"],
  "base-debian12": ["libc6", "libssl3"],
  "cc-debian12": ["libc6", "libssl3", "libgomp1", "libstdc++6", "libgcc-s1", "gcc-12-base"],
};
/** Debian 12's glibc. */
const DEBIAN12_GLIBC = "2.36";

const runtimeBase = parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8")).at(-1)!.from;
const variant = runtimeBase.match(/^gcr\.io\/distroless\/([a-z-]+debian12)(?::|@|$)/)?.[1] ?? "";

/** The libraries the dynamic loader maps for the binary: [name as linked, resolved path]. */
function lddLibraries(binary: string): [string, string][] {
  return runOk(["ldd", binary])
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("linux-vdso"))
    .map((l) => {
      const arrow = l.match(/^(\S+) => (\S+) \(/);
      if (arrow) return [arrow[1]!, arrow[2]!] as [string, string];
      const direct = l.match(/^(\/\S+) \(/); // the loader itself
      if (direct) return [direct[1]!, direct[1]!] as [string, string];
      throw new Error(`unexpected ldd line: ${l}`);
    });
}

function versionLE(a: string, b: string): boolean {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  return true;
}

const linuxGlibc = process.platform === "linux" && Bun.which("ldd") !== null && Bun.which("dpkg") !== null;
if (!linuxGlibc) console.warn("skipping the image library checks: they need Linux with ldd and dpkg (Debian)");

describe.skipIf(!linuxGlibc)(`runtime base ${runtimeBase}`, () => {
  let binary: string;
  beforeAll(async () => {
    binary = await ensureBinary();
  }, 300_000);

  test("is a distroless Debian 12 image whose library packages are known here", () => {
    expect(Object.keys(DISTROLESS_LIBRARY_PACKAGES)).toContain(variant);
  });

  test("ships every library ldd lists for dist/todo (by owning Debian package)", () => {
    const libs = lddLibraries(binary);
    expect(libs.length).toBeGreaterThan(0);
    const shipped = new Set(DISTROLESS_LIBRARY_PACKAGES[variant]);
    const owners = new Map<string, string>();
    for (const [name, path] of libs) {
      // dpkg knows the path the package installed (/lib64/… is usrmerge's symlink to it).
      let r = run(["dpkg", "-S", path]);
      if (r.code !== 0) r = run(["dpkg", "-S", realpathSync(path)]);
      if (r.code !== 0) r = run(["dpkg", "-S", `*/${name.split("/").at(-1)}`]);
      expect(r.code).toBe(0);
      owners.set(name, r.stdout.split(":")[0]!.trim());
    }
    const missing = [...owners].filter(([, pkg]) => !shipped.has(pkg));
    expect(missing).toEqual([]);
    // Measured: glibc alone. A new dependency (say libstdc++) makes this fail and names the image to move to.
    expect([...new Set(owners.values())]).toEqual(["libc6"]);
  });

  test(`asks for no glibc symbol version newer than Debian 12's (${DEBIAN12_GLIBC})`, () => {
    const objdump = Bun.which("objdump");
    if (!objdump) return console.warn("objdump (binutils) not installed: glibc symbol versions not checked");
    const versions = [...runOk([objdump, "-T", binary]).matchAll(/GLIBC_([\d.]+)/g)].map((m) => m[1]!);
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.filter((v) => !versionLE(v, DEBIAN12_GLIBC))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------

// Root is not enough inside a container build (no CAP_SYS_ADMIN): try a private mount namespace.
const canChroot =
  process.getuid?.() === 0 &&
  linuxGlibc &&
  Bun.which("unshare") !== null &&
  Bun.which("chroot") !== null &&
  Bun.spawnSync(["unshare", "-m", "--propagation", "private", "true"], { stderr: "ignore" }).exitCode === 0;
if (!canChroot) {
  if (process.env.CI === "true") throw new Error("the chroot image test needs root, unshare (a mount namespace) and chroot");
  console.warn("skipping the chroot image test: it needs root, unshare (a mount namespace) and chroot");
}

const NONROOT = 65532;

/** A root filesystem holding what the runtime image holds, and nothing else. */
function makeRoot(binary: string): { root: string; data: string } {
  const root = mkdtempSync(join(tmpdir(), "todo-image-root-"));
  const data = mkdtempSync(join(tmpdir(), "todo-image-data-"));
  chmodSync(root, 0o755);
  copyFileSync(binary, join(root, "todo"));
  chmodSync(join(root, "todo"), 0o755);
  for (const [name, path] of lddLibraries(binary)) {
    // At the path the binary asks for (the loader at /lib64/…), with the real file's content.
    for (const at of new Set([name.startsWith("/") ? name : path, path])) {
      mkdirSync(join(root, dirname(at)), { recursive: true });
      copyFileSync(realpathSync(path), join(root, at));
    }
  }
  mkdirSync(join(root, "etc/ssl/certs"), { recursive: true });
  const bundle = "/etc/ssl/certs/ca-certificates.crt";
  if (existsSync(bundle)) copyFileSync(bundle, join(root, "etc/ssl/certs/ca-certificates.crt"));
  // As distroless writes them.
  writeFileSync(join(root, "etc/passwd"), `root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:${NONROOT}:${NONROOT}:nonroot:/home/nonroot:/sbin/nologin\n`);
  writeFileSync(join(root, "etc/group"), `root:x:0:\nnobody:x:65534:\nnonroot:x:${NONROOT}:\n`);
  writeFileSync(join(root, "etc/nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
  writeFileSync(join(root, "etc/hosts"), "127.0.0.1 localhost\n");
  for (const d of ["home/nonroot", "data", "tmp", "proc", "dev"]) mkdirSync(join(root, d), { recursive: true });
  chownSync(join(root, "home/nonroot"), NONROOT, NONROOT);
  // The volume: the image's /data belongs to nonroot.
  chownSync(data, NONROOT, NONROOT);
  chmodSync(data, 0o700);
  return { root, data };
}

interface ChrootDaemon {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  addr: string;
  httpUrl: string;
  logs: Record<string, unknown>[];
  stderr: () => string;
}

/**
 * `todo serve` as the container runtime would start it: a private mount namespace, the root read-only,
 * /data (the volume) and /tmp writable, /proc and /dev mounted, then chroot as 65532:65532 with only the
 * image's environment.
 */
async function startInChroot(root: string, data: string): Promise<ChrootDaemon> {
  const script = [
    'set -e; R="$0"; D="$1"; shift',
    'mount --bind "$R" "$R"',
    'mount --bind "$D" "$R/data"',
    'mount -t tmpfs -o mode=1777,size=64m tmpfs "$R/tmp"',
    'mount --rbind /dev "$R/dev"',
    'mount -t proc proc "$R/proc"',
    'mount -o remount,bind,ro "$R"',
    'exec chroot --userspec=65532:65532 "$R" "$@"',
  ].join("\n");
  // The image's environment only: distroless' PATH (which also finds mount and chroot on this host), its
  // HOME, the Dockerfile's TODO_DATA_DIR; the ports are free ones on loopback.
  const env = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/home/nonroot", TODO_DATA_DIR: "/data", HOST: "127.0.0.1", GRPC_PORT: "0", HTTP_PORT: "0" };
  const proc = Bun.spawn(["unshare", "-m", "--propagation", "private", "sh", "-c", script, root, data, "/todo", "serve"], {
    env,
    stdout: "pipe",
    stderr: "pipe",
  });
  const { lines: logs, listening, stderr } = watchLogs(proc, "todo serve in the chroot");
  const timer = setTimeout(() => proc.kill("SIGKILL"), 20_000);
  const ready = await listening.finally(() => clearTimeout(timer));
  return { proc, addr: `127.0.0.1:${ready.grpcPort}`, httpUrl: `http://127.0.0.1:${ready.httpPort}`, logs, stderr };
}

describe.skipIf(!canChroot)("dist/todo in a chroot shaped like the image", () => {
  let root: string;
  let data: string;
  let daemon: ChrootDaemon;

  beforeAll(async () => {
    ({ root, data } = makeRoot(await ensureBinary()));
    daemon = await startInChroot(root, data);
  }, 300_000);

  afterAll(async () => {
    if (daemon && daemon.proc.exitCode === null) daemon.proc.kill("SIGKILL");
    await daemon?.proc.exited;
    for (const d of [root, data]) if (d) rmSync(d, { recursive: true, force: true });
  });

  test("it listens, is ready, and reports its version", async () => {
    expect(daemon.logs.find((l) => l.msg === "todod listening")).toMatchObject({ version: expect.any(String) });
    expect(await (await fetch(`${daemon.httpUrl}/healthz`)).text()).toBe("ok\n");
    expect((await fetch(`${daemon.httpUrl}/readyz`)).status).toBe(200);
  });

  test("the CLI from outside creates, reads and searches through it", async () => {
    const created = await cli(["create", "--addr", daemon.addr, "--title", "from the host", "--description", "into the chroot", "--tags", "image,chroot"]);
    expect(created.stderr).toBe("");
    expect(created.exitCode).toBe(0);
    const id = created.stdout.trim().split(/\s+/).at(-1)!;
    const read = await cli(["read", "--addr", daemon.addr, "--id", id, "--json"]);
    expect(read.exitCode).toBe(0);
    expect(JSON.parse(read.stdout)).toMatchObject({ id, title: "from the host", description: "into the chroot", tags: ["image", "chroot"] });
    const found = await cli(["search", "--addr", daemon.addr, "--pattern", "chroot", "--json"]);
    expect(found.stdout.trim().split("\n").map((l) => JSON.parse(l).id)).toEqual([id]);
    const metrics = await (await fetch(`${daemon.httpUrl}/metrics`)).text();
    expect(metrics).toContain("todo.v1.TodoService");
  });

  test("it writes only to /data, as nonroot", () => {
    const files = readdirSync(data);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(statSync(join(data, f)).uid).toBe(NONROOT);
  });

  test("SIGTERM drains and exits 0", async () => {
    daemon.proc.kill("SIGTERM");
    const code = await daemon.proc.exited;
    expect({ code, stderr: daemon.stderr() }).toEqual({ code: 0, stderr: "" });
  });
});
