import { expect, test } from "bun:test";
import { trigramQuery } from "./trigram-query";

const both = (pattern: string) => trigramQuery(pattern, ["title", "description"]);

test("a literal of three characters or more is looked up; shorter ones are not", () => {
  expect(both("hello")).toBe('{title description} : "hello"');
  expect(both("ab")).toBeNull();
  expect(trigramQuery("hello", ["title"])).toBe('{title} : "hello"');
});

test("case-insensitive patterns use the index: FTS5 folds case, ASCII is lowercased", () => {
  expect(both("(?i)HeLLo")).toBe('{title description} : "hello"');
  expect(both("(?i)kelvin")).toBe('{title description} : "kelvin"');
  // ß has a case orbit (ẞ) the index may key apart: it is left out, the rest is looked up.
  expect(both("(?i)straße")).toBe('{title description} : "stra"');
  expect(both("Zürich")).toBe('{title description} : "zürich"');
});

test("alternations, optional parts and small classes become OR; a concatenation AND", () => {
  expect(both("milk|bread")).toBe('{title description} : ("milk" OR "bread")');
  expect(both("colou?r")).toBe('{title description} : ("colour" OR "color")');
  expect(both("a[bc]d[ef]g")).toBe('{title description} : ("abdeg" OR "abdfg" OR "acdeg" OR "acdfg")');
  expect(both("[Hh]ello")).toBe('{title description} : "hello"');
  expect(both("foo.*bar")).toBe('{title description} : ("foo" AND "bar")');
  expect(both("(?:foo|ab).*bar")).toBe('{title description} : "bar"');
});

test("what is costly for FTS5 and narrows little is left out: an OR's shared part stands for it, an AND drops an OR of trigrams", () => {
  expect(both("todo [0-3]")).toBe('{title description} : "todo "');
  expect(both("invoice [0-9]{4}")).toBe('{title description} : "invoice "');
  expect(both("error [0-9]+")).toBe('{title description} : "error "');
  expect(both("[0-9]x{3}")).toBe('{title description} : "xxx"');
});

test("a pattern with nothing of three characters to look up has no query", () => {
  for (const pattern of ["", ".*", "[0-9]{7}", "\\d{5}-\\d{5}", "(?i)(\\pL|\\pN){900}s", "[a-z]+", "a.b.c", "(?i)éé"]) expect(both(pattern)).toBeNull();
});

test("quotes are doubled inside an FTS5 string", () => {
  expect(both('say "hi"')).toBe('{title description} : "say ""hi"""');
});

test("a pattern of many repetitions gives a bounded query", () => {
  const query = both("(?:[ab]c){500}");
  expect(query).not.toBeNull();
  expect(query!.length).toBeLessThan(4_100);
});
