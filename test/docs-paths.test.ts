// Every file or folder of the repository that the README and docs/ name exists: a path that moved is
// fixed in the text in the same change.
import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./support/binary";

const DOCUMENTS = ["README.md", "SECURITY.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)].filter((f) => existsSync(join(ROOT, f)));

/** Paths under the repository's own folders, as the documents write them (placeholders such as <name> skipped). */
function namedPaths(text: string): string[] {
  const paths = new Set<string>();
  for (const [, path] of text.matchAll(/(?<![\w/.-])((?:src|test|scripts|proto|bench|docs)\/[\w./-]*[\w/])/g)) if (!/[<*]/.test(path!)) paths.add(path!);
  return [...paths];
}

test("the paths the README and docs/ name exist", () => {
  const missing = DOCUMENTS.flatMap((doc) => namedPaths(readFileSync(join(ROOT, doc), "utf8")).filter((p) => !existsSync(join(ROOT, p))).map((p) => `${doc}: ${p}`));
  expect(DOCUMENTS).toContain("README.md");
  expect(missing).toEqual([]);
});
