// The schema as protobuf-es reads it: the FileDescriptorSet `bun run gen` embeds (src/proto/gen/
// descriptor-set.ts), decoded when the web API is made. The HTTP transports take their services, JSON
// names and google.api.http routes from it, so nothing about the wire is written twice.
import { createFileRegistry, type DescService, fromBinary, type Registry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { DESCRIPTOR_SET } from "../../proto/gen/descriptor-set";

export function loadSchema(): Registry {
  return createFileRegistry(fromBinary(FileDescriptorSetSchema, Buffer.from(DESCRIPTOR_SET, "base64")));
}

/** A service of the schema by its full name; a programming error when it is not there. */
export function serviceOf(schema: Registry, typeName: string): DescService {
  const service = schema.getService(typeName);
  if (!service) throw new Error(`${typeName} is not in the embedded schema; run bun run gen`);
  return service;
}
