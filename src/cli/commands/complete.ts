// Values the shell completion scripts ask for while a person types: tags and ids from the daemon.
import { defineCommand } from "../define-command";
import { connectionArgs } from "../args";
import { withClient } from "../client";
import { CliError } from "../errors";
import { selectAll } from "../bulk";
import { shortestUniquePrefixes } from "../ids";
import { hasControls, oneLine } from "../text";

const KINDS = ["tags", "+tags", "ids"] as const;

export default defineCommand({
  meta: { name: "__complete", description: "For the completion scripts: print the daemon's tags (tags, +tags) or ids with titles (ids), one per line" },
  args: {
    kind: { type: "positional", description: KINDS.join(", "), required: true },
    ...connectionArgs,
  },
  async run({ args }) {
    if (!(KINDS as readonly string[]).includes(args.kind)) throw new CliError(`kind: "${args.kind}" is not one of ${KINDS.join(", ")}`, "input");
    // A shell waits for this while a person waits for the shell: ask briefly, and when no daemon
    // answers offer nothing rather than an error in the middle of the command line.
    await withClient({ ...args, timeout: args.timeout ?? "2" }, async (client) => {
      const todos = await selectAll(client, {});
      // A value is offered only as it is stored, one value a line (ids: then a tab and the title), so a
      // value holding a newline, a tab or another control character is left out rather than changed:
      // escaped, it would be a different tag on the command line; raw, it would forge lines or reach the
      // terminal in the shell's list. Nobody types such a value on one line anyway. Titles are only
      // shown, so they are made one line (oneLine) instead.
      const typeable = (value: string) => !hasControls(value);
      if (args.kind === "ids") {
        const ids = todos.map((t) => t.id).filter(typeable);
        const shortest = shortestUniquePrefixes(ids);
        for (const t of todos) if (shortest.has(t.id)) console.log(`${shortest.get(t.id)}\t${oneLine(t.title)}`);
        return;
      }
      const tags = [...new Set(todos.flatMap((t) => t.tags))].filter(typeable).sort();
      for (const tag of tags) console.log(`${args.kind === "+tags" ? "+" : ""}${tag}`);
      // A key press starts no daemon: the local one is asked only when it runs.
    }, { startLocal: false }).catch((e) => {
      if (!(e instanceof CliError) || e.exitCode === 2) throw e;
    });
  },
});
