// The binary under test installed as `todo` in a directory, with the completion script of each shell
// beside it, as a person who follows the README has them.
import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureBinary } from "./binary";
import { cli } from "./daemon";

const SHELLS = ["bash", "zsh", "fish"] as const;

/** Links the binary into `bin` as `todo` and writes `todo completion SHELL` there for each shell: the scripts' paths. */
export async function installWithCompletion(bin: string): Promise<Record<string, string>> {
  symlinkSync(await ensureBinary(), join(bin, "todo"));
  const scripts: Record<string, string> = {};
  for (const shell of SHELLS) {
    const r = await cli(["completion", shell]);
    if (r.exitCode !== 0) throw new Error(`todo completion ${shell} exited ${r.exitCode}: ${r.stderr}`);
    scripts[shell] = join(bin, `completion.${shell}`);
    writeFileSync(scripts[shell]!, r.stdout);
  }
  return scripts;
}
