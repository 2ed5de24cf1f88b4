// The compiled binary under test: built once per test run when missing or older than the sources.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "../..");
export const BINARY = join(ROOT, "dist/todo");

function newestSource(): number {
  let newest = 0;
  for (const dir of ["src", "proto", "scripts"])
    for (const f of readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })) {
      if (f.endsWith(".test.ts")) continue;
      newest = Math.max(newest, statSync(join(ROOT, dir, f)).mtimeMs);
    }
  return Math.max(newest, statSync(join(ROOT, "package.json")).mtimeMs, statSync(join(ROOT, "bun.lock")).mtimeMs);
}

let built: Promise<string> | undefined;

export function ensureBinary(): Promise<string> {
  built ??= (async () => {
    let stale = true;
    try {
      stale = statSync(BINARY).mtimeMs < newestSource();
    } catch {}
    if (stale) {
      const build = Bun.spawnSync(["bun", "scripts/build.ts"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
      if (build.exitCode !== 0) throw new Error(`bun run build failed:\n${build.stdout}${build.stderr}`);
    }
    return BINARY;
  })();
  return built;
}
