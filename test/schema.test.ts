// The schema is the single source of truth: it passes buf lint, and what src/ derives from it is current.
import { expect, test } from "bun:test";
import { ROOT } from "./support/binary";
import { toolOrSkip } from "./support/tools";

const buf = toolOrSkip("buf", "buf lint of proto/");

test.skipIf(!buf)("buf lint passes (exceptions justified in buf.yaml)", () => {
  const lint = Bun.spawnSync([buf!, "lint"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  expect(`${lint.stdout}${lint.stderr}`).toBe("");
  expect(lint.exitCode).toBe(0);
});

test("src/proto/gen matches proto/ (run `bun run gen` after a schema change)", () => {
  const check = Bun.spawnSync(["bun", "scripts/gen.ts", "--check"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  expect(check.stderr.toString()).toBe("");
  expect(check.exitCode).toBe(0);
});
