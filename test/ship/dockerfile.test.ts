// Dockerfile invariants. No Docker engine runs here, so the image is never built in these tests: the build
// stage's steps run here on the context .dockerignore leaves, and what the runtime stage needs from its base
// image is checked in image.test.ts (ldd, and a chroot run).
import { describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseDockerfile, type Stage } from "./dockerfile";
import { findTool, ROOT, run, runOk } from "./tools";

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
    expect(ops(runtime, "ENV")).toEqual(["TODO_DATA_DIR=/data", "HOST=0.0.0.0"]);
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

  test("the build stage's steps succeed on a clean checkout's context, as .dockerignore leaves it", () => {
    // Docker's rule: a pattern (with * and **) excludes the paths it matches and everything under them.
    const patterns = dockerignore.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*\//g, "(.*/)?").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}(/.*)?$`));
    const context = runOk(["git", "ls-files"]).split("\n").filter((f) => f && !patterns.some((re) => re.test(f)));
    expect(context).toContain("package.json");
    expect(context.some((f) => f.startsWith("node_modules/") || f.startsWith("helm/"))).toBe(false);

    const tmp = mkdtempSync(join(tmpdir(), "todo-docker-build-"));
    const src = join(tmp, "src");
    const copy = (files: string[]) => {
      for (const f of files) {
        mkdirSync(dirname(join(src, f)), { recursive: true });
        copyFileSync(join(ROOT, f), join(src, f));
      }
    };
    // What the image's labels and the binary are stamped with in this rehearsal.
    const args: Record<string, string> = { REVISION: "docker-rehearsal" };
    try {
      mkdirSync(src, { recursive: true });
      for (const { op, args: line } of byName.build!.instructions) {
        if (op === "COPY" && line === ". .") copy(context);
        else if (op === "COPY") {
          // A source is a file of the context, or a folder of it (patches/): all the files under it.
          const sources: string[] = line.split(/\s+/).slice(0, -1);
          const files: string[] = sources.flatMap((f) => (context.includes(f) ? [f] : context.filter((c) => c.startsWith(`${f}/`))));
          for (const f of sources) expect(files.some((c) => c === f || c.startsWith(`${f}/`))).toBe(true);
          copy(files);
        } else if (op === "ARG") {
          const [name, value = ""] = line.split("=");
          args[name!] ??= value;
        } else if (op === "RUN") {
          // The image's absolute paths, moved under the rehearsal's folder.
          const command = line.replaceAll("/rootfs", join(tmp, "rootfs")).replaceAll("/src", src);
          const r = run(["sh", "-c", command], { cwd: src, env: { ...args } });
          if (r.code !== 0) throw new Error(`RUN ${line}\nexited ${r.code}\n${r.stdout}${r.stderr}`);
        } else expect(["WORKDIR", "ENV"]).toContain(op);
      }
      const version = runOk([join(src, "dist/todo"), "--version"]).trim();
      expect(version).toMatch(new RegExp(`^todo ${pkg.version.replaceAll(".", "\\.")} \\(commit .+\\)$`));
      // The build script takes the commit from TODO_BUILD_COMMIT where it reads it (no .git in the context).
      if (readFileSync(join(ROOT, "scripts/build.ts"), "utf8").includes("TODO_BUILD_COMMIT ||")) expect(version).toContain("(commit docker-rehearsal)");
      expect(existsSync(join(tmp, "rootfs/data"))).toBe(true);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 300_000);

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
