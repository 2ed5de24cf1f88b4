// A small Dockerfile reader for the tests: enough to check stages and instructions.
export interface Instruction {
  line: number;
  op: string;
  args: string;
}
export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Instructions of a Dockerfile, continuations joined and comments dropped, grouped by stage. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith("\\") && i + 1 < lines.length) {
      line = line.slice(0, -1);
      i++;
      if (!/^\s*#/.test(lines[i]!)) line += ` ${lines[i]!.trim()}`;
    }
    const [, op, args] = line.trim().match(/^(\S+)\s*(.*)$/)!;
    const instruction = { line: start, op: op!.toUpperCase(), args: args!.trim() };
    if (instruction.op === "FROM") {
      const [from, as, name] = instruction.args.split(/\s+/);
      stages.push({ from: from!, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}
