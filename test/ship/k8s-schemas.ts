// Offline JSON schemas for kubeconform, made from sources the Go module proxy serves:
// - Kubernetes' own OpenAPI v2 document, api/openapi-spec/swagger.json in the k8s.io/kubernetes module;
// - the custom resources the chart renders: the Prometheus Operator's ServiceMonitor CRD
//   (jsonnet/prometheus-operator/servicemonitors-crd.json in its module) and the Gateway API's GRPCRoute and
//   HTTPRoute (config/crd/standard/gateway.networking.k8s.io_{grpc,http}routes.yaml in sigs.k8s.io/gateway-api).
// kubeconform's usual schema source is a download site this machine cannot reach; its converter
// (openapi2jsonschema) is a Python script. This does the same conversion: one standalone strict schema
// per kind, in kubeconform's default layout <dir>/v<version>-standalone-strict/<kind>-<group>-<version>.json
// ("standalone": references inlined as local definitions; "strict": objects reject unknown fields).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runOk, TOOLS_DIR } from "./tools";

/** The Kubernetes version validated against: the newest patch release of the minor helm 3.22 is built on. */
export const KUBERNETES_VERSION = "1.37.2";
export const PROMETHEUS_OPERATOR_VERSION = "v0.85.0";
// v1.7 needs Go 1.27 to be downloaded; the machine has 1.26.
export const GATEWAY_API_VERSION = "v1.6.3";

type Schema = Record<string, any>;

/** The module's directory in the Go module cache, downloading it once. */
function goModuleDir(go: string, module: string, version: string): string {
  const out = runOk([go, "mod", "download", "-json", `${module}@${version}`], {
    cwd: TOOLS_DIR,
    env: { GOFLAGS: "", GO111MODULE: "on" },
  });
  return JSON.parse(out).Dir as string;
}

/** kubeconform's file name for a kind: lower-case kind, the group's first label, the version. */
export function schemaFileName(kind: string, group: string, version: string): string {
  const g = group ? `-${group.split(".")[0]!.toLowerCase()}` : "";
  return `${kind.toLowerCase()}${g}-${version.toLowerCase()}.json`;
}

/** Strict and JSON-Schema-shaped: int-or-string becomes a oneOf, objects with properties get additionalProperties false. */
function normalise(node: any): any {
  if (Array.isArray(node)) return node.map(normalise);
  if (node === null || typeof node !== "object") return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) out[k] = normalise(v);
  if (out.format === "int-or-string" || out["x-kubernetes-int-or-string"] === true) {
    delete out.type;
    delete out.format;
    delete out.anyOf;
    out.oneOf = [{ type: "string" }, { type: "integer" }];
  }
  if (out.properties && out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

/** The definitions a schema reaches through $ref, transitively. */
function reachable(definitions: Record<string, Schema>, root: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const walk = (n: any) => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === "object")
        for (const [k, v] of Object.entries(n)) {
          if (k === "$ref" && typeof v === "string") visit(v.replace("#/definitions/", ""));
          else walk(v);
        }
    };
    walk(definitions[name]);
  };
  visit(root);
  return seen;
}

function convertKubernetes(swagger: Schema, dir: string): number {
  const definitions: Record<string, Schema> = {};
  for (const [name, def] of Object.entries(swagger.definitions as Record<string, Schema>)) definitions[name] = normalise(def);
  // A quantity may be written as a number (cpu: 1); the API server accepts both.
  const quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
  if (definitions[quantity]) definitions[quantity] = { description: definitions[quantity]!.description, oneOf: [{ type: "string" }, { type: "number" }] };
  let written = 0;
  for (const [name, def] of Object.entries(definitions)) {
    const gvks = (def["x-kubernetes-group-version-kind"] ?? []) as { group: string; version: string; kind: string }[];
    // Only resources: kinds with metadata (skips DeleteOptions, WatchEvent and the like, listed under many groups).
    if (gvks.length !== 1 || !def.properties?.metadata) continue;
    const { group, kind, version } = gvks[0]!;
    const defs: Record<string, Schema> = {};
    for (const d of reachable(definitions, name)) if (d !== name) defs[d] = definitions[d]!;
    const schema = { $schema: "http://json-schema.org/schema#", ...def, definitions: defs };
    writeFileSync(join(dir, schemaFileName(kind, group, version)), JSON.stringify(schema));
    written++;
  }
  return written;
}

function convertCrd(crd: Schema, dir: string): number {
  let written = 0;
  for (const v of crd.spec.versions as { name: string; schema: { openAPIV3Schema: Schema } }[]) {
    const schema = normalise(v.schema.openAPIV3Schema);
    writeFileSync(join(dir, schemaFileName(crd.spec.names.kind, crd.spec.group, v.name)), JSON.stringify({ $schema: "http://json-schema.org/schema#", ...schema }));
    written++;
  }
  return written;
}

function firstDocument(parsed: unknown): Schema {
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  return docs.find((d) => d && typeof d === "object" && (d as Schema).kind === "CustomResourceDefinition") as Schema;
}

/**
 * Makes the schemas once (cached under $TODO_TOOLS_DIR/k8s-schemas) and returns kubeconform's
 * -schema-location for them.
 */
export function ensureSchemas(go: string): string {
  const base = join(TOOLS_DIR, "k8s-schemas");
  const dir = join(base, `v${KUBERNETES_VERSION}-standalone-strict`);
  const stamp = join(dir, ".complete");
  const want = `${KUBERNETES_VERSION} ${PROMETHEUS_OPERATOR_VERSION} ${GATEWAY_API_VERSION} httproutes`;
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) return base;
  mkdirSync(TOOLS_DIR, { recursive: true });
  const k8s = goModuleDir(go, "k8s.io/kubernetes", `v${KUBERNETES_VERSION}`);
  const promOp = goModuleDir(go, "github.com/prometheus-operator/prometheus-operator", PROMETHEUS_OPERATOR_VERSION);
  const gatewayApi = goModuleDir(go, "sigs.k8s.io/gateway-api", GATEWAY_API_VERSION);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const n = convertKubernetes(JSON.parse(readFileSync(join(k8s, "api/openapi-spec/swagger.json"), "utf8")), tmp);
  const m =
    convertCrd(JSON.parse(readFileSync(join(promOp, "jsonnet/prometheus-operator/servicemonitors-crd.json"), "utf8")), tmp) +
    convertCrd(firstDocument(Bun.YAML.parse(readFileSync(join(gatewayApi, "config/crd/standard/gateway.networking.k8s.io_grpcroutes.yaml"), "utf8"))), tmp) +
    convertCrd(firstDocument(Bun.YAML.parse(readFileSync(join(gatewayApi, "config/crd/standard/gateway.networking.k8s.io_httproutes.yaml"), "utf8"))), tmp);
  if (n < 50 || m < 3) throw new Error(`only ${n} Kubernetes and ${m} CRD schemas converted`);
  writeFileSync(join(tmp, ".complete"), want);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return base;
}
