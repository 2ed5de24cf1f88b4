// Every .proto the process needs, embedded as protobufjs JSON (src/proto/gen/descriptors.json, written by
// `bun run gen`), so `todo` runs where no .proto file and no node_modules exist.
import { fromJSON, type Options, type PackageDefinition } from "@grpc/proto-loader";
import type { INamespace } from "protobufjs";
import descriptors from "./gen/descriptors.json";

export * from "@grpc/proto-loader";

/** Options matching the generated types in src/proto/gen/types (see scripts/gen.ts). */
export const LOADER_OPTIONS: Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

type EmbeddedFile = keyof typeof descriptors;

export function loadEmbedded(file: EmbeddedFile, options: Options = LOADER_OPTIONS): PackageDefinition {
  return fromJSON(descriptors[file] as INamespace, options);
}

/**
 * Stands in for proto-loader's loadSync inside grpc-health-check and @grpc/reflection (the build points
 * their `@grpc/proto-loader` import here, see scripts/build.ts): both load their .proto files from
 * `__dirname` at run time, which in a compiled binary is the build machine's node_modules.
 */
export function loadSync(filename: string, options?: Options): PackageDefinition {
  const file = (Object.keys(descriptors) as EmbeddedFile[]).find((f) => filename === f || filename.endsWith(`/${f}`));
  if (!file) throw new Error(`${filename} is not embedded: add it to scripts/gen.ts and run \`bun run gen\``);
  return loadEmbedded(file, options);
}
