// Compiles src/main.ts into one self-contained executable (`bun run build` → dist/todo).
// Imported by scripts/release.ts for cross-compiled targets.
import { $, type BunPlugin } from "bun";
import { join } from "node:path";

const root = join(import.meta.dir, "..");

/**
 * grpc-health-check and @grpc/reflection load their .proto files with proto-loader's loadSync from
 * `__dirname`, which a compiled binary keeps as the build machine's node_modules path: the binary
 * would work here and crash anywhere else. Their `@grpc/proto-loader` import is pointed at
 * src/proto/loader.ts, which serves the same files from descriptors embedded at build time.
 */
const embeddedProtoLoader: BunPlugin = {
  name: "embedded-proto-loader",
  setup(build) {
    build.onResolve({ filter: /^@grpc\/proto-loader$/ }, (args) =>
      /node_modules\/(grpc-health-check|@grpc\/reflection)\//.test(args.importer) ? { path: join(root, "src/proto/loader.ts") } : undefined,
    );
  },
};

export async function gitCommit(): Promise<string> {
  const result = await $`git -C ${root} rev-parse --short=12 HEAD`.nothrow().quiet();
  if (result.exitCode !== 0) return "unknown";
  const dirty = (await $`git -C ${root} status --porcelain --untracked-files=no`.nothrow().quiet()).stdout.length > 0;
  return result.stdout.toString().trim() + (dirty ? "-dirty" : "");
}

/** Compiles todo, or with `entrypoints` another program the same way (bench/floor.ts: the floor server). */
export async function buildBinary(options: { outfile: string; target?: Bun.Build.CompileTarget; commit: string; entrypoints?: string[] }) {
  const result = await Bun.build({
    // A worker runs from its own entry point in the executable (new Worker(url) in search-workers.ts).
    entrypoints: options.entrypoints ?? [join(root, "src/main.ts"), join(root, "src/store/sqlite/search-worker.ts")],
    compile: {
      outfile: options.outfile,
      ...(options.target ? { target: options.target } : {}),
      // Configuration comes from the environment and flags only (12-factor), never from files that
      // happen to sit in the working directory.
      autoloadDotenv: false,
      autoloadBunfig: false,
    },
    format: "esm",
    // Each lazily imported command (and the daemon behind `serve`) becomes its own chunk inside the
    // binary, parsed only when run: `todo --version` and the client never load the daemon's code.
    splitting: true,
    minify: true,
    bytecode: true,
    sourcemap: "none",
    define: { TODO_BUILD_COMMIT: JSON.stringify(options.commit) },
    plugins: [embeddedProtoLoader],
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error(`build of ${options.outfile} failed`);
  }
}

if (import.meta.main) {
  const outfile = join(root, "dist/todo");
  const started = performance.now();
  // An image build has no .git: the Dockerfile passes the revision in.
  await buildBinary({ outfile, commit: process.env.TODO_BUILD_COMMIT || (await gitCommit()) });
  console.log(`built ${outfile} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
