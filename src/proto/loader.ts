// Every .proto the process needs, embedded as protobufjs JSON (src/proto/gen/descriptors.json, written by
// `bun run gen`), so `todo` runs where no .proto file and no node_modules exist.
import { fromJSON, type Options, type PackageDefinition } from "@grpc/proto-loader";
import type { INamespace } from "protobufjs";
import { FileDescriptorProto, type IDescriptorProto, type IFileDescriptorProto } from "protobufjs/ext/descriptor";
import descriptors from "./gen/descriptors.json";

export * from "@grpc/proto-loader";

/** Options matching the generated types in src/proto/gen/types (see scripts/gen.ts). */
export const LOADER_OPTIONS: Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

type EmbeddedFile = keyof typeof descriptors;

export function loadEmbedded(file: EmbeddedFile, options: Options = LOADER_OPTIONS): PackageDefinition {
  return repairDescriptors(fromJSON(descriptors[file] as INamespace, options), file);
}

/** Go's naming rule for a map field's entry type: "statuses" → "StatusesEntry". */
const mapEntryName = (field: string) => `${field.replace(/(?:^|_)([a-z])/g, (_, c: string) => c.toUpperCase())}Entry`;

/**
 * Repairs the file descriptors protobufjs writes, which reflection serves, so strict clients (grpcurl
 * and other Go tools) accept them: protobufjs lists no `dependency` between files (grpcurl then cannot
 * resolve google.protobuf.Timestamp from todo.v1), and names a map field's entry type after the field
 * ("Statuses") where protobuf requires "StatusesEntry". It also names each file after its package
 * (todo_v1.proto), so two .proto files of one package collide and reflection, which keeps files by
 * name, serves only the first one's services: the file gets its real path back.
 */
function repairDescriptors(definition: PackageDefinition, path: string): PackageDefinition {
  // proto-loader hands every message and enum definition the same array of encoded files.
  const shared = Object.values(definition).find((d) => "fileDescriptorProtos" in d)?.fileDescriptorProtos as Buffer[] | undefined;
  if (!shared) return definition;
  const files = shared.map((b) => FileDescriptorProto.decode(b) as IFileDescriptorProto);
  // One file is the .proto's own; the others are the well-known types it imports.
  const own = files.filter((f) => f.package !== "google.protobuf");
  if (own.length === 1) own[0]!.name = path;
  const definedIn = new Map<string, string>();
  const references = new Map<string, Set<string>>();
  const visitMessages = (file: IFileDescriptorProto, scope: string, messages: IDescriptorProto[] = []) => {
    for (const m of messages) {
      for (const entry of m.nestedType ?? []) {
        const field = entry.options?.mapEntry ? m.field?.find((f) => f.typeName === entry.name) : undefined;
        if (field) field.typeName = entry.name = mapEntryName(field.name!);
      }
      const name = `${scope}.${m.name}`;
      definedIn.set(name, file.name!);
      for (const e of m.enumType ?? []) definedIn.set(`${name}.${e.name}`, file.name!);
      for (const f of m.field ?? []) if (f.typeName) references.get(file.name!)!.add(f.typeName);
      visitMessages(file, name, m.nestedType);
    }
  };
  for (const file of files) {
    const scope = file.package ? `.${file.package}` : "";
    references.set(file.name!, new Set());
    visitMessages(file, scope, file.messageType);
    for (const e of file.enumType ?? []) definedIn.set(`${scope}.${e.name}`, file.name!);
    for (const service of file.service ?? [])
      for (const m of service.method ?? []) for (const t of [m.inputType, m.outputType]) if (t) references.get(file.name!)!.add(t);
  }
  const linked = files.map((file) => {
    const deps = new Set([...references.get(file.name!)!].map((t) => definedIn.get(t.startsWith(".") ? t : `.${t}`)).filter((f) => f && f !== file.name));
    return Buffer.from(FileDescriptorProto.encode({ ...file, dependency: [...deps] as string[] }).finish());
  });
  shared.splice(0, shared.length, ...linked);
  return definition;
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
