// Running the external tools the shipping tests drive (helm, kubeconform, go, …). Finding them is the
// project's shared rule (test/support/tools.ts): in ${TODO_TOOLS_DIR:-~/.cache/todo-tools}/bin or on PATH;
// under CI=true a missing tool fails, elsewhere the tests needing it are skipped with the reason printed.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export { findTool, toolOrSkip } from "../support/tools";

export const ROOT = join(import.meta.dir, "../..");
export const TOOLS_DIR = process.env.TODO_TOOLS_DIR || join(homedir(), ".cache/todo-tools");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string[], options: { cwd?: string; env?: Record<string, string | undefined>; stdin?: string } = {}): RunResult {
  if (!existsSync(cmd[0]!) && !Bun.which(cmd[0]!)) throw new Error(`${cmd[0]} is not installed (CI=${process.env.CI ?? ""}); see scripts/install-tools.sh`);
  const p = Bun.spawnSync(cmd, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdin: options.stdin === undefined ? "ignore" : Buffer.from(options.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: p.exitCode ?? -1, stdout: p.stdout.toString(), stderr: p.stderr.toString() };
}

/** Runs, and throws with both outputs when the exit code is not 0. */
export function runOk(cmd: string[], options?: Parameters<typeof run>[1]): string {
  const r = run(cmd, options);
  if (r.code !== 0) throw new Error(`${cmd.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
