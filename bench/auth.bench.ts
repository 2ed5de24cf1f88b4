// The cost of authentication per call: Authenticator.authenticate (a SHA-256 of the presented token and a
// constant-time comparison with every configured digest) for token files of 1, 100 and 1,000 entries, for
// a valid token and for a refused one (which compares every entry too). Not a test: its figures depend on
// the machine. Run: bun bench/auth.bench.ts
import { Metadata } from "@grpc/grpc-js";
import { Authenticator } from "../src/server/auth";

const CALLS = 100_000;
const token = (i: number) => `bench-token-${i.toString(16).padStart(40, "0")}`;

for (const size of [1, 100, 1000]) {
  const text = Array.from({ length: size }, (_, i) => `user${i}:${token(i)}`).join("\n");
  const auth = new Authenticator({ tokens: { variable: "TODO_AUTH_TOKENS", text }, clientCertificates: false, publicReflection: false });
  for (const [what, presented] of [["valid", token(size - 1)], ["refused", token(size)]] as const) {
    const started = performance.now();
    for (let i = 0; i < CALLS; i++) {
      const metadata = new Metadata();
      metadata.set("authorization", `Bearer ${presented}`);
      auth.authenticate("/todo.v1.TodoService/GetTodo", metadata, () => undefined);
    }
    const perCall = ((performance.now() - started) * 1000) / CALLS;
    console.log(`${String(size).padStart(5)} tokens, ${what.padEnd(7)}: ${perCall.toFixed(2)} µs per call`);
  }
}
