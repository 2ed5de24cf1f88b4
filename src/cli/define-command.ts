// citty's defineCommand (the identity, for its types), without loading citty: its module imports
// node:util, about a quarter of a compiled hello-world's time for every command (docs/performance.md).
// Commands are parsed by command-line.ts; citty is used for its types only.
import type { ArgsDef, CommandDef } from "citty";

export function defineCommand<const T extends ArgsDef = ArgsDef>(def: CommandDef<T>): CommandDef<T> {
  return def;
}
