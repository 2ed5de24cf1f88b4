// Ecosystem tools the tests drive (grpcurl, buf, helm, ferretdb, …), installed by
// scripts/install-tools.sh into a cache folder. Under CI=true a missing tool fails; elsewhere the
// tests that need it are skipped with the reason printed.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { test } from "bun:test";

export const TOOLS_BIN = join(process.env.TODO_TOOLS_DIR || join(homedir(), ".cache/todo-tools"), "bin");

export function findTool(name: string): string | undefined {
  const cached = join(TOOLS_BIN, name);
  if (existsSync(cached)) return cached;
  return Bun.which(name) ?? undefined;
}

/** The tool's path, or undefined after registering why the tests needing it do not run. */
export function toolOrSkip(name: string, why: string): string | undefined {
  const path = findTool(name);
  if (path) return path;
  const hint = `${name} is not installed (run scripts/install-tools.sh ${name}, or apt-get install it)`;
  if (process.env.CI === "true") test(`${why}: ${name} is available`, () => {
    throw new Error(`${hint}; CI must provide it`);
  });
  else console.warn(`skipping ${why}: ${hint}`);
  return undefined;
}
