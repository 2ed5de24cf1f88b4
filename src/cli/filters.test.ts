// A PATTERN word is literal text unless written /re/: the escape holds for every RE2 metacharacter.
import { expect, test } from "bun:test";
import { RE2JS } from "re2js";
import { escapeRegExp, positionalPattern } from "./filters";

const finds = (pattern: string, text: string) => RE2JS.compile(pattern).matcher(text).find();

test("every RE2 metacharacter, alone and in company, is matched as itself", () => {
  for (const c of "\\^$.|?*+()[]{}-/#&~=!<>:,'\"` ") {
    for (const word of [c, `a${c}b`, `${c}${c}`, `x${c}`, `${c}x`]) {
      expect([word, finds(escapeRegExp(word), `<${word}>`)]).toEqual([word, true]);
      // …and only as itself: the character is not read as an operator matching something else.
      expect([word, finds(`^${escapeRegExp(word)}$`, word.replace(c, c === "a" ? "b" : "a"))]).toEqual([word, false]);
    }
  }
  expect(finds(escapeRegExp("C++"), "learn C++ now")).toBe(true);
  expect(finds(escapeRegExp("pay $5 (cash)"), "pay $5 (cash) today")).toBe(true);
  expect(finds(escapeRegExp("a.c"), "abc")).toBe(false);
});

test("smart case: ignoring case unless the word holds a capital; /re/ stays RE2", () => {
  expect(finds(positionalPattern("rent"), "RENT due")).toBe(true);
  expect(finds(positionalPattern("RENT"), "rent due")).toBe(false);
  expect(finds(positionalPattern("RENT"), "RENT due")).toBe(true);
  expect(finds(positionalPattern("zürich"), "ZÜRICH")).toBe(true);
  expect(finds(positionalPattern("Zürich"), "zürich")).toBe(false);
  expect(positionalPattern("/r.nt/")).toBe("r.nt");
  expect(positionalPattern("/")).toBe("(?i)/");
  expect(positionalPattern("//")).toBe("(?i)//");
});
