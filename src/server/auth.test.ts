import { expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Metadata } from "@grpc/grpc-js";
import { Authenticator, TokenError, TokenSet } from "./auth";

const ALICE = "alice-0123456789abcdef";
const BOB = "bob-fedcba9876543210";

function call(auth: Authenticator, path: string, authorization?: string, cn?: string) {
  const metadata = new Metadata();
  if (authorization !== undefined) metadata.set("authorization", authorization);
  const result = auth.authenticate(path, metadata, () => cn);
  expect(metadata.get("authorization")).toEqual([]); // never passed on
  return result;
}

test("a token file: name:token lines, a token alone named by its digest, comments and blank lines skipped", () => {
  const set = TokenSet.parse(`# team\nalice:${ALICE}\n\n  ${BOB}  \n`, "tokens");
  expect(set.size).toBe(2);
  expect(set.nameOf(ALICE)).toBe("alice");
  expect(set.nameOf(BOB)).toBe(`token-${createHash("sha256").update(BOB).digest("hex").slice(0, 8)}`);
  expect(set.nameOf("alice-0123456789abcdeX")).toBeUndefined();
});

test("malformed entries name the line and never the token", () => {
  const refused = (text: string) => {
    try {
      TokenSet.parse(text, "/etc/todo/tokens");
    } catch (e) {
      expect(e).toBeInstanceOf(TokenError);
      return (e as Error).message;
    }
    throw new Error("accepted");
  };
  expect(refused(`alice:${ALICE}\nshort`)).toBe("/etc/todo/tokens:2: a token is 16 to 4096 visible ASCII characters without spaces (e.g. openssl rand -hex 32)");
  expect(refused(`bad name:${ALICE}`)).toStartWith("/etc/todo/tokens:1: a token's name is 1 to 64 letters");
  expect(refused(`a:${ALICE}\nb:${ALICE}`)).toBe("/etc/todo/tokens:2: this token is listed twice; give each caller its own");
  expect(refused(`a:${ALICE}\na:${BOB}`)).toBe('/etc/todo/tokens:2: the name "a" is taken by another token; names must be unique');
  expect(refused("# nothing\n")).toBe("/etc/todo/tokens: no token in it; add one per line (name:token), or unset it to run without tokens");
  expect(refused(`a:${ALICE} x`)).not.toContain(ALICE);
});

test("TODO_AUTH_TOKENS separates entries by commas or newlines", () => {
  const auth = new Authenticator({ tokens: { variable: "TODO_AUTH_TOKENS", text: `alice:${ALICE},bob:${BOB}` }, clientCertificates: false, publicReflection: false });
  expect(auth.tokenCount).toBe(2);
  expect(call(auth, "/todo.v1.TodoService/GetTodo", `Bearer ${BOB}`)).toMatchObject({ principal: "bob" });
});

test("every service needs a token but health; reflection too unless public", () => {
  const options = { tokens: { variable: "TODO_AUTH_TOKENS" as const, text: `alice:${ALICE}` }, clientCertificates: false };
  const auth = new Authenticator({ ...options, publicReflection: false });
  expect(call(auth, "/todo.v1.TodoService/GetTodo", `Bearer ${ALICE}`)).toMatchObject({ principal: "alice" });
  expect(call(auth, "/todo.v1.TodoService/GetTodo", `bearer  ${ALICE}`)).toMatchObject({ principal: "alice" });
  expect(call(auth, "/v1.ToDoService/Read")).toMatchObject({ refused: expect.stringContaining("requires a token") });
  expect(call(auth, "/todo.v1.ServerInfoService/GetServerInfo", `Bearer ${BOB}`)).toMatchObject({ refused: expect.stringContaining("not valid") });
  expect(call(auth, "/todo.v1.TodoService/GetTodo", ALICE)).toEqual({ refused: "the authorization header is not `Bearer <token>`" });
  expect(call(auth, "/grpc.health.v1.Health/Check")).toMatchObject({ principal: "" });
  expect(call(auth, "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo")).toMatchObject({ refused: expect.any(String) });
  const open = new Authenticator({ ...options, publicReflection: true });
  expect(call(open, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")).toMatchObject({ principal: "" });
});

test("with client certificates, the certificate's CN names a caller without a token; a wrong token is still refused", () => {
  const auth = new Authenticator({ clientCertificates: true, publicReflection: false });
  expect(auth.enabled).toBe(true);
  expect(call(auth, "/todo.v1.TodoService/GetTodo", undefined, "alice")).toMatchObject({ principal: "alice" });
  expect(call(auth, "/todo.v1.TodoService/GetTodo", undefined, undefined)).toMatchObject({ refused: expect.any(String) });
  expect(call(auth, "/todo.v1.TodoService/GetTodo", `Bearer ${ALICE}`, "alice")).toMatchObject({ refused: expect.stringContaining("not valid") });
});

test("without tokens or client certificates every call is let through, unnamed", () => {
  const auth = new Authenticator({ clientCertificates: false, publicReflection: false });
  expect(auth.enabled).toBe(false);
  expect(call(auth, "/todo.v1.TodoService/GetTodo", "Bearer whatever")).toMatchObject({ principal: "" });
});

test("reload re-reads the file; a broken file keeps the tokens in force", () => {
  const file = join(mkdtempSync(join(tmpdir(), "todo-auth-")), "tokens");
  writeFileSync(file, `alice:${ALICE}\n`);
  const auth = new Authenticator({ tokens: { variable: "TODO_AUTH_TOKENS_FILE", file }, clientCertificates: false, publicReflection: false });
  writeFileSync(file, `bob:${BOB}\n`);
  expect(auth.reload()).toEqual({ tokens: 1, revoked: 1, streamsEnded: 0 });
  expect(call(auth, "/todo.v1.TodoService/GetTodo", `Bearer ${ALICE}`)).toMatchObject({ refused: expect.any(String) });
  expect(call(auth, "/todo.v1.TodoService/GetTodo", `Bearer ${BOB}`)).toMatchObject({ principal: "bob" });
  writeFileSync(file, "bob:short\n");
  expect(() => auth.reload()).toThrow(`${file}:1: a token is 16`);
  expect(call(auth, "/todo.v1.TodoService/GetTodo", `Bearer ${BOB}`)).toMatchObject({ principal: "bob" });
});
