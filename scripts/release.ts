// `bun run release`: the release binaries, cross-compiled with the same build as `bun run build`
// (scripts/build.ts: plugin, defines, minify, bytecode), into dist/release/:
//   todo-<os>-<arch>[.exe] for each target below, SHA256SUMS (sha256sum's format), release.json.
// Usage: bun scripts/release.ts [--targets linux-x64,darwin-arm64,…] [--out DIR]
// Bun fetches each foreign target's runtime once (npm packages @oven/bun-<os>-<arch>, cached in
// ~/.bun/install/cache); the host's own target needs nothing.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { buildBinary, gitCommit } from "./build";

const root = join(import.meta.dir, "..");

export interface ReleaseTarget {
  /** <os>-<arch>[-libc], the file name's suffix. */
  name: string;
  target: Bun.Build.CompileTarget;
  /** What a user needs besides the binary. */
  note?: string;
}

export const TARGETS: ReleaseTarget[] = [
  { name: "linux-x64", target: "bun-linux-x64", note: "glibc 2.17 or newer" },
  { name: "linux-arm64", target: "bun-linux-arm64", note: "glibc 2.17 or newer" },
  // Alpine and other musl systems; Bun's musl runtime links libstdc++ and libgcc dynamically.
  { name: "linux-x64-musl", target: "bun-linux-x64-musl", note: "musl; needs libstdc++ and libgcc (apk add libstdc++ libgcc)" },
  { name: "linux-arm64-musl", target: "bun-linux-arm64-musl", note: "musl; needs libstdc++ and libgcc (apk add libstdc++ libgcc)" },
  { name: "darwin-x64", target: "bun-darwin-x64" },
  { name: "darwin-arm64", target: "bun-darwin-arm64" },
  { name: "windows-x64", target: "bun-windows-x64" },
];

export function fileName(t: ReleaseTarget): string {
  return `todo-${t.name}${t.name.startsWith("windows-") ? ".exe" : ""}`;
}

export interface ReleaseManifest {
  version: string;
  commit: string;
  files: { name: string; target: string; sha256: string; bytes: number; note?: string }[];
}

export async function release(options: { out: string; targets: ReleaseTarget[]; commit?: string }): Promise<ReleaseManifest> {
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  // The Docker build has no .git: it passes the commit in the environment, as for `bun run build`.
  const commit = options.commit ?? (process.env.TODO_BUILD_COMMIT || (await gitCommit()));
  rmSync(options.out, { recursive: true, force: true });
  mkdirSync(options.out, { recursive: true });
  const files: ReleaseManifest["files"] = [];
  for (const t of options.targets) {
    const outfile = join(options.out, fileName(t));
    const started = performance.now();
    await buildBinary({ outfile, target: t.target, commit });
    const bytes = readFileSync(outfile);
    files.push({ name: basename(outfile), target: t.target, sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length, ...(t.note ? { note: t.note } : {}) });
    console.log(`${relative(root, outfile)}  ${(bytes.length / 1e6).toFixed(1)} MB  ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  files.sort((a, b) => a.name.localeCompare(b.name));
  // `sha256sum -c SHA256SUMS` checks them.
  writeFileSync(join(options.out, "SHA256SUMS"), files.map((f) => `${f.sha256}  ${f.name}\n`).join(""));
  const manifest: ReleaseManifest = { version, commit, files };
  writeFileSync(join(options.out, "release.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { targets: { type: "string" }, out: { type: "string", default: join(root, "dist/release") } },
  });
  const wanted = values.targets?.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = wanted?.filter((w) => !TARGETS.some((t) => t.name === w)) ?? [];
  if (unknown.length > 0) {
    console.error(`release: unknown target ${unknown.join(", ")} (known: ${TARGETS.map((t) => t.name).join(", ")})`);
    process.exit(2);
  }
  const targets = wanted ? TARGETS.filter((t) => wanted.includes(t.name)) : TARGETS;
  const manifest = await release({ out: values.out!, targets });
  console.log(`todo ${manifest.version} (commit ${manifest.commit}): ${manifest.files.length} binaries and SHA256SUMS in ${relative(root, values.out!) || "."}`);
}
