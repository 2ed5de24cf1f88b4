// Generates src/api/http/openapi.json (served at /openapi.json) from todo.v1's google.api.http
// annotations, with grpc-gateway's protoc-gen-openapiv2 run by buf (test/openapi/buf.gen.yaml; the
// plugin is pinned as a tool in test/openapi/go.mod). Needs buf (scripts/install-tools.sh buf) and Go.
// `bun run gen:openapi` rewrites it; `--check` fails when the committed copy is stale.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { findTool } from "../test/support/tools";

const root = join(import.meta.dir, "..");
const generatorDir = join(root, "test/openapi");
const OPENAPI_FILE = join(root, "src/api/http/openapi.json");
const check = process.argv.includes("--check");

const buf = findTool("buf");
if (!buf) {
  console.error("buf is not installed: run scripts/install-tools.sh buf, then this again.");
  process.exit(1);
}

const out = mkdtempSync(join(tmpdir(), "todo-openapi-"));
try {
  const gen = Bun.spawnSync([buf, "generate", "--output", out], { cwd: generatorDir, stdout: "pipe", stderr: "pipe" });
  if (gen.exitCode !== 0) {
    console.error(`buf generate in test/openapi exited ${gen.exitCode}:\n${gen.stdout}${gen.stderr}`);
    process.exit(1);
  }
  // allow_merge writes one file, named after merge_file_name.
  const generated = await Bun.file(join(out, "openapi.swagger.json")).text();
  const committed = await Bun.file(OPENAPI_FILE)
    .text()
    .catch(() => "");
  if (check) {
    if (generated !== committed) {
      console.error(`${relative(root, OPENAPI_FILE)} is stale: run \`bun run gen:openapi\` and commit the result.`);
      process.exit(1);
    }
  } else {
    await Bun.write(OPENAPI_FILE, generated);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
