import { once } from "node:events";
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { defineCommand } from "../define-command";
import { connectionArgs } from "../args";
import { withClient } from "../client";
import { CliError } from "../errors";
import { writeStderr } from "../terminal";
import { jsonLines } from "../output";
import { searchPages } from "../pages";

export default defineCommand({
  meta: { name: "export", description: "Write every todo as JSON Lines (proto3 JSON, as search --json prints), oldest first" },
  args: {
    out: { type: "string", description: "Write to this file instead of stdout (replaced only when the export is complete)", valueHint: "file" },
    ...connectionArgs,
  },
  run: ({ args }) =>
    withClient(args, async (client) => {
      // To a file: write beside it and rename at the end, so a failed export never looks like a whole one.
      const partial = args.out ? `${args.out}.partial` : undefined;
      let fd = -1;
      if (partial) {
        try {
          fd = openSync(partial, "w", 0o600);
        } catch (e) {
          throw new CliError(`--out: cannot write ${partial} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, "input");
        }
      }
      const write = async (text: string) => {
        if (partial) writeSync(fd, text);
        else if (!process.stdout.write(text)) await once(process.stdout, "drain");
      };
      let count = 0;
      try {
        for await (const todos of searchPages(client, { order_by: "create_time" })) {
          await write(jsonLines(todos));
          count += todos.length;
        }
      } catch (e) {
        if (partial) {
          closeSync(fd);
          rmSync(partial, { force: true });
        }
        throw e;
      }
      if (partial) {
        closeSync(fd);
        renameSync(partial, args.out!);
      }
      // The count goes to stderr: stdout may be the export itself.
      writeStderr(`exported ${count} todo${count === 1 ? "" : "s"}${args.out ? ` to ${args.out}` : ""}`);
    }),
});
