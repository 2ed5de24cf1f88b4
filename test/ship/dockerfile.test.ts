// Dockerfile invariants. No Docker engine runs here, so the image is never built in these tests: what the
// runtime stage needs from its base image is checked in image.test.ts (ldd, and a chroot run).
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDockerfile, type Stage } from "./dockerfile";
import { findTool, ROOT, run } from "./tools";

const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const dockerignore = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const stages = parseDockerfile(dockerfile);
const byName = Object.fromEntries(stages.map((s) => [s.name, s]));
const runtime = stages.at(-1)!;
const ops = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op).map((i) => i.args);

describe("Dockerfile", () => {
  test("stages: build from the pinned official Bun image, an optional test target, distroless last", () => {
    expect(stages.map((s) => s.name)).toEqual(["build", "test", "runtime"]);
    // The same Bun as package.json's packageManager (and .ci/run), in the Debian (glibc) variant.
    const bunVersion = (pkg.packageManager as string).replace(/^bun@/, "");
    expect(byName.build!.from).toBe(`oven/bun:${bunVersion}`);
    expect(byName.test!.from).toBe("build");
    expect(runtime.from).toMatch(/^gcr\.io\/distroless\/(base-nossl|base|cc)-debian12:nonroot$/);
  });

  test("build: frozen lockfile, then `bun run build`, stamping the revision", () => {
    const runs = ops(byName.build!, "RUN");
    expect(runs[0]).toBe("bun install --frozen-lockfile");
    expect(runs.some((r) => r.includes('TODO_BUILD_COMMIT="${REVISION}" bun run build'))).toBe(true);
    // The dependency layer is cached apart from the sources.
    const copies = ops(byName.build!, "COPY");
    expect(copies[0]).toBe("package.json bun.lock bunfig.toml ./");
    expect(ops(byName.test!, "RUN")).toEqual(["bun run test"]);
  });

  test("runtime: only /todo and the data directory, as nonroot", () => {
    expect(ops(runtime, "COPY")).toEqual([
      "--from=build --chown=0:0 --chmod=0755 /src/dist/todo /todo",
      "--from=build --chown=65532:65532 /rootfs/data /data",
    ]);
    expect(ops(runtime, "RUN")).toEqual([]); // distroless has no shell
    expect(ops(runtime, "USER")).toEqual(["65532:65532"]);
    expect(ops(runtime, "ENTRYPOINT")).toEqual(['["/todo"]']);
    expect(ops(runtime, "CMD")).toEqual(['["serve"]']);
    expect(ops(runtime, "EXPOSE")).toEqual(["8080 8081"]);
    expect(ops(runtime, "ENV")).toEqual(["TODO_DATA_DIR=/data"]);
    expect(ops(runtime, "VOLUME")).toEqual(['["/data"]']);
  });

  test("runtime: OCI labels version, revision and created from build arguments", () => {
    const args = ops(runtime, "ARG").map((a) => a.split("=")[0]);
    expect(args).toEqual(expect.arrayContaining(["VERSION", "REVISION", "CREATED"]));
    const labels = ops(runtime, "LABEL").join(" ");
    expect(labels).toContain('org.opencontainers.image.version="${VERSION}"');
    expect(labels).toContain('org.opencontainers.image.revision="${REVISION}"');
    expect(labels).toContain('org.opencontainers.image.created="${CREATED}"');
  });

  test(".dockerignore keeps the host's node_modules, dist and .git out of the context", () => {
    expect(dockerignore).toEqual(expect.arrayContaining(["node_modules", "dist", ".git"]));
    // …but not what the build and test stages read.
    for (const needed of ["src", "proto", "scripts", "test", "package.json", "bun.lock", "bunfig.toml", "tsconfig.json"]) expect(dockerignore).not.toContain(needed);
  });

  // dockerfile-utils (npm; the linter behind VS Code's Dockerfile support). hadolint, the usual choice, is a
  // Haskell program that no registry reachable here ships. The lint runs where dockerfile-utils is
  // installed (a devDependency, or on PATH); CI requires it once package.json declares it.
  const declared = Boolean(pkg.devDependencies?.["dockerfile-utils"]);
  const local = join(ROOT, "node_modules/.bin/dockerfile-utils");
  const linter = existsSync(local) ? local : findTool("dockerfile-utils");
  if (!linter) console.warn("skipping the Dockerfile lint: dockerfile-utils is not installed (npm package dockerfile-utils)");
  test.skipIf(!linter && !(declared && process.env.CI === "true"))("dockerfile-utils lint reports nothing", () => {
    const r = run([linter ?? local, "lint", join(ROOT, "Dockerfile")]);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
