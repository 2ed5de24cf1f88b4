import { describe, expect, test } from "bun:test";
import { ID_PATTERN } from "../vocabulary/todo";
import { newId } from "./id";

describe("newId", () => {
  test("is an ObjectId whose first 4 bytes are the seconds", () => {
    const now = Date.UTC(2026, 10, 30, 12, 0, 0, 123);
    const id = newId(now);
    expect(id).toMatch(ID_PATTERN);
    expect(Number.parseInt(id.slice(0, 8), 16)).toBe(Math.floor(now / 1000));
  });

  test("ids of one process follow the order they were made in, within a millisecond and when the clock steps back", () => {
    const now = Date.now();
    const ids = [newId(now), newId(now), newId(now + 1), newId(now + 999), newId(now + 1000), newId(now - 5000), newId(now + 1000)];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  test("ids made by separate processes a few milliseconds apart, in the same second, follow that order", async () => {
    const made: string[] = [];
    for (let i = 0; i < 6; i++) {
      // Each a new process with its own random bytes, as each `todo add` is.
      const proc = Bun.spawnSync([process.execPath, "-e", `console.log((await import(${JSON.stringify(import.meta.dir + "/id.ts")})).newId())`]);
      made.push(proc.stdout.toString().trim());
      await Bun.sleep(3);
    }
    for (const id of made) expect(id).toMatch(ID_PATTERN);
    expect([...made].sort()).toEqual(made);
  });
});
