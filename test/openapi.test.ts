// /openapi.json (src/api/http/openapi.json) is generated from the proto's google.api.http annotations,
// never edited by hand: it is what the generator writes now, it is a valid Swagger 2.0 document, and it
// describes exactly todo.v1's HTTP routes.
import { expect, test } from "bun:test";
import { join } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { ROOT } from "./support/binary";
import { toolOrSkip } from "./support/tools";

const OPENAPI = join(ROOT, "src/api/http/openapi.json");
const go = toolOrSkip("go", "the check that src/api/http/openapi.json is current (Go 1.26+ from go.dev)");
const buf = toolOrSkip("buf", "the check that src/api/http/openapi.json is current");

test.skipIf(!go || !buf)("src/api/http/openapi.json is what protoc-gen-openapiv2 generates from proto/ now (regenerate: bun run gen:openapi)", () => {
  // The plugin's modules first, so a cold module cache's `go: downloading` lines stay out of the check.
  const download = Bun.spawnSync([go!, "mod", "download"], { cwd: join(ROOT, "test/openapi"), stdout: "pipe", stderr: "pipe" });
  expect(download.exitCode).toBe(0);
  const check = Bun.spawnSync(["bun", "scripts/gen-openapi.ts", "--check"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  expect(`${check.stdout}${check.stderr}`).toBe("");
  expect(check.exitCode).toBe(0);
});

test("it is a valid Swagger 2.0 document (swagger-parser: schema and $refs)", async () => {
  const api = await SwaggerParser.validate(OPENAPI);
  expect(api.info).toMatchObject({ title: "todo API", version: "v1" });
});

test("its routes are exactly todo.v1's google.api.http annotations, each behind the bearer token, each failing as google.rpc.Status", async () => {
  const doc = await Bun.file(OPENAPI).json();
  const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
  expect(routes).toEqual(
    [
      "POST /v1/todos",
      "GET /v1/todos/{id}",
      "PATCH /v1/todos/{todo.id}",
      "DELETE /v1/todos/{id}",
      "GET /v1/todos",
      "GET /v1/todos:watch",
      "GET /v1/serverInfo",
    ].sort(),
  );
  expect(doc.securityDefinitions).toEqual({ bearer: expect.objectContaining({ type: "apiKey", in: "header", name: "Authorization" }) });
  expect(doc.security).toEqual([{ bearer: [] }]);
  for (const methods of Object.values(doc.paths as Record<string, Record<string, { responses: Record<string, { schema?: { $ref?: string } }> }>>))
    for (const operation of Object.values(methods)) expect(operation.responses.default?.schema?.$ref).toBe("#/definitions/Status");
  expect(Object.keys(doc.definitions.Status.properties).sort()).toEqual(["code", "details", "message"]);
  // proto3 JSON: lowerCamel names, enum values by name.
  expect(Object.keys(doc.definitions.Todo.properties)).toContain("createTime");
  expect(doc.definitions.State.type).toBe("string");
  const update = doc.paths["/v1/todos/{todo.id}"].patch.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
  expect(update).toEqual(expect.arrayContaining(["path:todo.id", "body:todo", "query:updateMask"]));
});
