// Temporary directories for a test file, removed when its tests are done.
import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A function that makes a new directory `todo-<name>-…` each call; all of them go after the file's tests. */
export function tempDirs(): (name: string) => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return (name) => {
    const dir = mkdtempSync(join(tmpdir(), `todo-${name}-`));
    dirs.push(dir);
    return dir;
  };
}
