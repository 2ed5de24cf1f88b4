// A Go program of this repository's test/ (a client generated from the schema: test/legacy-client,
// test/connect-client), as its tests use it: the modules its go.mod pins downloaded once, the program
// built once, and its committed generated code compared with what buf generates now.
//
// The toolchain's part runs before any program under test: on a cold cache Go prints `go: downloading …`
// on stderr here, and only here, so what the tests then run (buf with its plugins, the built program) has
// a warm cache and its stderr is the program's own. .ci/run warms this cache too.
import { afterAll, expect } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ROOT } from "./binary";

/** A promise made once, on first use: tests that share a step run it once, whichever runs first. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

export function goProgram(folder: string, what: string, go: string | undefined) {
  const dir = join(ROOT, folder);
  const work = mkdtempSync(join(tmpdir(), `todo-${basename(folder)}-`));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Runs a Go toolchain step in the folder; throws naming the step, with its output, if it fails. */
  async function step(doing: string, args: string[]): Promise<void> {
    const proc = Bun.spawn([go!, ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    if (exitCode !== 0) throw new Error(`${doing} (go ${args.join(" ")} in ${folder}) exited ${exitCode}:\n${stdout}${stderr}`);
  }

  const modules = once(() => step(`downloading ${what}'s Go modules`, ["mod", "download"]));

  return {
    /** A scratch folder removed when the file's tests end. */
    work,
    modules,
    /** The program, built once (a cold build cache compiles its dependencies first). */
    binary: once(async () => {
      await modules();
      const binary = join(work, basename(folder));
      await step(`building ${what}`, ["build", "-o", binary, "."]);
      return binary;
    }),
    /** Expects the committed gen/ to be exactly what `buf generate` in the folder writes now. */
    async expectGeneratedCodeCurrent(buf: string): Promise<void> {
      await modules();
      const out = mkdtempSync(join(work, "gen-"));
      // buf runs the plugins through `go tool`, which builds them on first use (silently: the modules are there).
      const gen = Bun.spawnSync([buf, "generate", "--output", out], { cwd: dir, stdout: "pipe", stderr: "pipe" });
      expect(`${gen.stdout}${gen.stderr}`).toBe("");
      expect(gen.exitCode).toBe(0);
      const files = (root: string) => readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".go")).sort();
      expect(files(join(out, "gen"))).toEqual(files(join(dir, "gen")));
      for (const f of files(join(dir, "gen"))) expect(readFileSync(join(out, "gen", f), "utf8")).toBe(readFileSync(join(dir, "gen", f), "utf8"));
    },
  };
}
