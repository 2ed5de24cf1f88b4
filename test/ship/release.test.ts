// `bun run release`: every target cross-compiles; SHA256SUMS and release.json match the files; the
// linux-x64 binary runs (daemon and CLI, with the build tree's node_modules hidden), linux-arm64 runs
// under qemu-user where it is installed, and the others are checked by their executable headers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hidden } from "../support/daemon";
import { gitCommit } from "../../scripts/build";
import { fileName, TARGETS, type ReleaseManifest } from "../../scripts/release";
import { ROOT, run, runOk } from "./tools";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

function head(path: string, n = 64): Buffer {
  const fd = openSync(path, "r");
  try {
    const b = Buffer.alloc(n);
    readSync(fd, b, 0, n, 0);
    return b;
  } finally {
    closeSync(fd);
  }
}

/** The ELF program interpreter, read with readelf. */
function interpreter(path: string): string {
  return runOk(["readelf", "-l", "-W", path]).match(/Requesting program interpreter: ([^\]]+)\]/)?.[1] ?? "";
}

describe("bun run release", () => {
  let out: string;
  let manifest: ReleaseManifest;
  let commit: string;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "todo-release-"));
    // A commit given in the environment (as the Docker build does), so the stamp is known exactly: the
    // shared work tree's "-dirty" mark could change between two reads of git.
    commit = `${(await gitCommit()).replace(/-dirty$/, "")}-test`;
    // Foreign targets' runtimes come from the npm registry once, then from Bun's cache.
    runOk(["bun", join(ROOT, "scripts/release.ts"), "--out", out], { env: { TODO_BUILD_COMMIT: commit } });
    manifest = JSON.parse(readFileSync(join(out, "release.json"), "utf8"));
  }, 600_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  test("one binary per target, named todo-<os>-<arch>[.exe], with SHA256SUMS and release.json", () => {
    const names = TARGETS.map(fileName).sort();
    expect(names).toEqual([
      "todo-darwin-arm64",
      "todo-darwin-x64",
      "todo-linux-arm64",
      "todo-linux-arm64-musl",
      "todo-linux-x64",
      "todo-linux-x64-musl",
      "todo-windows-x64.exe",
    ]);
    expect(readdirSync(out).sort()).toEqual([...names, "SHA256SUMS", "release.json"].sort());
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.commit).toBe(commit);
    expect(manifest.files.map((f) => f.name)).toEqual(names);
  });

  test("SHA256SUMS holds each file's digest, in sha256sum's format", () => {
    const sums = readFileSync(join(out, "SHA256SUMS"), "utf8");
    for (const f of manifest.files) {
      const digest = createHash("sha256").update(readFileSync(join(out, f.name))).digest("hex");
      expect(f.sha256).toBe(digest);
      expect(sums).toContain(`${digest}  ${f.name}\n`);
    }
    if (Bun.which("sha256sum")) expect(run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], { cwd: out }).code).toBe(0);
  }, 120_000);

  test("each binary is an executable for its platform", () => {
    const elfMachine = (p: string) => head(p).readUInt16LE(18); // e_machine: 0x3e x86-64, 0xb7 AArch64
    const bin = (name: string) => join(out, name);
    expect(head(bin("todo-linux-x64")).subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    expect(elfMachine(bin("todo-linux-x64"))).toBe(0x3e);
    expect(elfMachine(bin("todo-linux-arm64"))).toBe(0xb7);
    expect(elfMachine(bin("todo-linux-x64-musl"))).toBe(0x3e);
    expect(elfMachine(bin("todo-linux-arm64-musl"))).toBe(0xb7);
    expect(interpreter(bin("todo-linux-x64"))).toBe("/lib64/ld-linux-x86-64.so.2");
    expect(interpreter(bin("todo-linux-arm64"))).toBe("/lib/ld-linux-aarch64.so.1");
    expect(interpreter(bin("todo-linux-x64-musl"))).toBe("/lib/ld-musl-x86_64.so.1");
    expect(interpreter(bin("todo-linux-arm64-musl"))).toBe("/lib/ld-musl-aarch64.so.1");
    // Mach-O 64-bit (0xfeedfacf, little-endian) with CPU type x86_64 (0x01000007) or arm64 (0x0100000c).
    expect(head(bin("todo-darwin-x64")).readUInt32LE(0)).toBe(0xfeedfacf);
    expect(head(bin("todo-darwin-x64")).readUInt32LE(4)).toBe(0x01000007);
    expect(head(bin("todo-darwin-arm64")).readUInt32LE(4)).toBe(0x0100000c);
    // PE: "MZ", then at e_lfanew "PE\0\0" and machine 0x8664 (x86-64).
    const pe = head(bin("todo-windows-x64.exe"), 1024);
    expect(pe.subarray(0, 2).toString("latin1")).toBe("MZ");
    const lfanew = pe.readUInt32LE(0x3c);
    expect(pe.subarray(lfanew, lfanew + 4).toString("latin1")).toBe("PE\0\0");
    expect(pe.readUInt16LE(lfanew + 4)).toBe(0x8664);
  });

  test("linux-x64 reports the stamped version and commit, serves, and answers its own CLI", async () => {
    const binary = join(out, "todo-linux-x64");
    expect(runOk(hidden([binary, "--version"])).trim()).toBe(`todo ${pkg.version} (commit ${commit})`);
    const data = mkdtempSync(join(tmpdir(), "todo-release-data-"));
    const daemon = Bun.spawn(hidden([binary, "serve", "--host", "127.0.0.1", "--grpc-port", "0", "--http-port", "0"]), {
      env: { PATH: process.env.PATH!, HOME: data, TODO_DATA_DIR: data, LOG_FORMAT: "json" },
      stdout: "pipe",
      stderr: "pipe",
    });
    try {
      const reader = daemon.stdout.getReader();
      let buffer = "";
      let listening: Record<string, any> | undefined;
      const deadline = Date.now() + 15_000;
      while (!listening && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += new TextDecoder().decode(value);
        for (const line of buffer.split("\n")) {
          try {
            const entry = JSON.parse(line);
            if (entry.msg === "todod listening") listening = entry;
          } catch {}
        }
      }
      reader.releaseLock();
      expect(listening).toMatchObject({ version: pkg.version, commit });
      const addr = `127.0.0.1:${listening!.grpcPort}`;
      const created = run(hidden([binary, "create", "--addr", addr, "--title", "released"]));
      expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: "" });
      const found = run(hidden([binary, "search", "--addr", addr, "--json"]));
      expect(found.stdout.trim().split("\n").map((l) => JSON.parse(l).title)).toEqual(["released"]);
    } finally {
      daemon.kill("SIGTERM");
      expect(await daemon.exited).toBe(0);
      rmSync(data, { recursive: true, force: true });
    }
  }, 60_000);

  // qemu-user and Debian's arm64 glibc (packages qemu-user, libc6-arm64-cross) run the arm64 binary here.
  const qemu = Bun.which("qemu-aarch64");
  const arm64Libc = "/usr/aarch64-linux-gnu";
  const canEmulate = qemu !== null && existsSync(join(arm64Libc, "lib/ld-linux-aarch64.so.1"));
  if (!canEmulate) console.warn("not running the linux-arm64 binary: qemu-user and libc6-arm64-cross are not installed");
  test.skipIf(!canEmulate)("linux-arm64 runs under qemu-user and reports the same version and commit", () => {
    const r = run([qemu!, "-L", arm64Libc, join(out, "todo-linux-arm64"), "--version"]);
    expect({ code: r.code, stdout: r.stdout.trim() }).toEqual({ code: 0, stdout: `todo ${pkg.version} (commit ${commit})` });
  }, 60_000);
});
