// Generates everything src/ derives from .proto files, so the schema stays the single source of truth:
// - src/proto/descriptors.json: protobufjs JSON for our protos and for the health and reflection
//   protos that grpc-health-check and @grpc/reflection load from node_modules at run time
//   (embedded so the compiled binary never needs a .proto file; see src/proto/loader.ts).
// - src/proto/types/: TypeScript types from @grpc/proto-loader's own generator (which reads .proto files
//   only, so its types also cover google.api's and descriptor.proto's option types; types cost nothing
//   at run time).
// - src/proto/gen/static.js: protobufjs static codecs (pbjs) for the services the CLI calls, so the
//   client encodes and decodes without protobufjs' reflection and code generation at start-up
//   (src/cli/codec.ts types them with the generated types above).
// - src/proto/gen/descriptor-set.ts: the schema as a FileDescriptorSet (buf build, imports included,
//   source info left out), base64 in a module so the compiled binary carries it: the HTTP transports
//   (src/api/http/) read their services, JSON names and google.api.http routes from it.
// `bun run gen` rewrites them; `bun run gen --check` fails when the committed copies are stale.
import { $ } from "bun";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import protobuf from "protobufjs";

const root = join(import.meta.dir, "..");
const protoDir = join(root, "proto");
const check = process.argv.includes("--check");

// proto/google/ holds vendored imports (google.api's annotations), not protos of ours to serve.
const ownProtos = readdirSync(protoDir, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".proto") && !f.startsWith("google/"))
  .sort();

// [include dir, file, keepCase] for each proto a library loads with proto-loader's loadSync at run
// time; keepCase as the library passes it, since protobufjs JSON stores field names already cased.
const libraryProtos: [string, string, boolean][] = [
  [join(root, "node_modules/grpc-health-check/proto"), "health/v1/health.proto", true],
  [join(root, "node_modules/@grpc/reflection/build/proto"), "grpc/reflection/v1/reflection.proto", false],
  [join(root, "node_modules/@grpc/reflection/build/proto"), "grpc/reflection/v1alpha/reflection.proto", false],
];

// google/api/annotations.proto extends descriptor.proto, which protobufjs ships but does not bundle.
const descriptorProto = join(root, "node_modules/protobufjs/google/protobuf/descriptor.proto");
const resolverFor = (includeDir: string) => (_origin: string, target: string) =>
  target === "google/protobuf/descriptor.proto" ? descriptorProto : target.startsWith("google/protobuf/") ? target : join(includeDir, target);

/** The types descriptor.proto defines (FileDescriptorProto, MethodOptions, ...). */
const descriptorTypes = (() => {
  const pbRoot = new protobuf.Root();
  pbRoot.loadSync(descriptorProto);
  return Object.keys(pbRoot.lookup("google.protobuf")!.toJSON().nested ?? {});
})();

/**
 * Drops the schema of options (google.api's HttpRule and descriptor.proto's types), which the
 * annotations import: the methods keep their options (`"(google.api.http).get": "/v1/todos/{id}"`,
 * read by the HTTP transport), but nothing loads, serves or encodes the option types themselves, and
 * the CLI's codecs and the daemon's loaded packages stay the size they were without annotations.
 */
function withoutOptionSchemas(json: protobuf.INamespace): protobuf.INamespace {
  const google = json.nested?.google as protobuf.INamespace | undefined;
  if (!google?.nested) return json;
  delete google.nested.api;
  const wellKnown = google.nested.protobuf as protobuf.INamespace | undefined;
  for (const name of descriptorTypes) delete wellKnown?.nested?.[name];
  if (wellKnown?.nested && Object.keys(wellKnown.nested).length === 0) delete google.nested.protobuf;
  if (Object.keys(google.nested).length === 0) delete json.nested!.google;
  return json;
}

function toJSON(includeDir: string, files: string | string[], keepCase: boolean): protobuf.INamespace {
  const pbRoot = new protobuf.Root();
  pbRoot.resolvePath = resolverFor(includeDir);
  pbRoot.loadSync(files, { keepCase });
  pbRoot.resolveAll();
  return withoutOptionSchemas(pbRoot.toJSON());
}

/** The services the command-line client calls (their imports come along). */
const CLIENT_PROTOS = ["todo/v1/todo.proto", "todo/v1/server_info.proto"];

const descriptors: Record<string, protobuf.INamespace> = {};
// Our own protos keep the schema's snake_case names, so reflection describes them as written.
for (const file of ownProtos) descriptors[file] = toJSON(protoDir, file, true);
for (const [dir, file, keepCase] of libraryProtos) descriptors[file] = toJSON(dir, file, keepCase);

const out = mkdtempSync(join(tmpdir(), "todo-gen-"));
try {
  await Bun.write(join(out, "descriptors.json"), JSON.stringify(descriptors, null, 1) + "\n");
  await $`${join(root, "node_modules/.bin/proto-loader-gen-types")} --keepCase --longs=String --enums=String --defaults --oneofs --grpcLib=@grpc/grpc-js --includeDirs=. --outDir=${join(out, "types")} ${ownProtos}`
    .cwd(protoDir)
    .quiet();
  // pbjs reads the loaded protos as JSON without the option schemas: from the .proto files it would
  // emit codecs for google.api and descriptor.proto too, which the CLI would load at every start.
  const clientJSON = join(out, "client-protos.json");
  await Bun.write(clientJSON, JSON.stringify(toJSON(protoDir, CLIENT_PROTOS, true)));
  await $`${join(root, "node_modules/.bin/pbjs")} -t static-module -w es6 --keep-case --no-create --no-verify --no-delimited --no-service --no-typeurl --no-comments ${clientJSON} -o ${join(out, "static.js")}`.quiet();
  rmSync(clientJSON);
  const set = await $`${join(root, "node_modules/.bin/buf")} build ${protoDir} --exclude-source-info -o -`.cwd(root).quiet().arrayBuffer();
  await Bun.write(
    join(out, "descriptor-set.ts"),
    `// Generated by scripts/gen.ts from proto/ (buf build): a google.protobuf.FileDescriptorSet, base64.\nexport const DESCRIPTOR_SET = "${Buffer.from(set).toString("base64")}";\n`,
  );
  await Bun.write(join(out, "static.d.ts"), "// The codecs are typed in src/cli/codec.ts, with the types in ./types.\nexport declare const todo: any;\nexport declare const google: any;\n");
  const target = join(root, "src/proto/gen");
  if (check) {
    const diff = await $`diff -r ${out} ${target}`.nothrow().quiet();
    if (diff.exitCode !== 0) {
      console.error(`${relative(root, target)} is stale: run \`bun run gen\` and commit the result.\n${diff.stdout}`);
      process.exit(1);
    }
  } else {
    rmSync(target, { recursive: true, force: true });
    await $`cp -r ${out} ${target}`;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
