// Tests that run in order and build on each other (the first creates todos, the next reads them): each
// step needs every earlier one to have passed. When one did not, a later step fails at once naming it,
// rather than failing on an empty id for a reason of its own.
import { test } from "bun:test";

export function steps() {
  const names: string[] = [];
  const passed = new Set<string>();
  const failed = new Set<string>();
  return function step(name: string, fn: () => Promise<unknown> | unknown, timeout?: number) {
    const earlier = [...names];
    names.push(name);
    test(
      name,
      async () => {
        const missing = earlier.find((n) => !passed.has(n));
        if (missing !== undefined)
          throw new Error(`this step builds on the earlier step "${missing}", which ${failed.has(missing) ? "failed (see its error above)" : "did not run"}`);
        try {
          await fn();
        } catch (e) {
          failed.add(name);
          throw e;
        }
        passed.add(name);
      },
      timeout,
    );
  };
}
