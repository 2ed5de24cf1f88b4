import { expect, test } from "bun:test";
import { thousands } from "./text";

test("thousands writes a whole number as toLocaleString('en-US') does, without loading the number formatting data", () => {
  const numbers = [0, 1, 12, 999, 1000, 1001, 65_536, 999_999, 1_000_000, 123_456_789, Number.MAX_SAFE_INTEGER];
  for (let i = 0; i < 200; i++) numbers.push(Math.floor(Math.random() * 10 ** (1 + (i % 15))));
  for (const n of numbers) expect(thousands(n)).toBe(n.toLocaleString("en-US"));
});
