// The schema as protobuf-es reads it: the FileDescriptorSet `bun run gen` embeds (src/proto/gen/
// descriptor-set.ts), decoded once, on the first HTTP call. The HTTP transports take their services,
// JSON names and google.api.http routes from it, so nothing about the wire is written twice.
import { createFileRegistry, type DescService, fromBinary, type Registry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { DESCRIPTOR_SET } from "../../proto/gen/descriptor-set";

let registry: Registry | undefined;

export function schemaRegistry(): Registry {
  registry ??= createFileRegistry(fromBinary(FileDescriptorSetSchema, Buffer.from(DESCRIPTOR_SET, "base64")));
  return registry;
}

/** A service of the schema by its full name; a programming error when it is not there. */
export function serviceOf(typeName: string): DescService {
  const service = schemaRegistry().getService(typeName);
  if (!service) throw new Error(`${typeName} is not in the embedded schema; run bun run gen`);
  return service;
}
