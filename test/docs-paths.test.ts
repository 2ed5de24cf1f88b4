// Every file or folder of the repository that the README, docs/ and the code's comments name exists: a
// path that moved is fixed in the text in the same change.
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

test("the paths the code's comments name exist", () => {
  const sources = ["src", "test", "scripts", "bench"].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => /\.(ts|mjs)$/.test(f) && !f.includes("proto/gen/"))
      .map((f) => `${dir}/${f}`),
  );
  const missing = sources.flatMap((file) => namedPaths(readFileSync(join(ROOT, file), "utf8")).filter((p) => /\.(ts|mjs|md|proto)$/.test(p) && !existsSync(join(ROOT, p))).map((p) => `${file}: ${p}`));
  expect(missing).toEqual([]);
});
