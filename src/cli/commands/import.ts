import { createReadStream, openSync } from "node:fs";
import { Status as status } from "../grpc-status";
import { createInterface } from "node:readline";
import { defineCommand } from "../define-command";
import { connectionArgs } from "../args";
import { withClient } from "../client";
import { createTodo } from "../create-todo";
import { CliError } from "../errors";
import { writeStderr } from "../terminal";
import { count } from "../text";
import { todoFromJson } from "../../wire/json";
import { parseDescription, parseTags, parseTitle } from "../../todos/rules";

export default defineCommand({
  meta: {
    name: "import",
    description: "Create todos from JSON Lines (as export writes them); a line with an id keeps it, one without gets a new id",
  },
  args: {
    in: { type: "string", description: "Read this file instead of stdin", valueHint: "file" },
    "skip-existing": { type: "boolean", description: "Skip a line whose id a todo has already (as when importing an export again), instead of stopping there" },
    ...connectionArgs,
  },
  run: ({ args }) =>
    withClient(args, async (client) => {
      let input: NodeJS.ReadableStream = process.stdin;
      if (args.in) {
        try {
          input = createReadStream(args.in, { fd: openSync(args.in, "r") });
        } catch (e) {
          throw new CliError(`--in: cannot read ${args.in} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, "input");
        }
      } else if (process.stdin.isTTY) writeStderr("reading todos as JSON Lines from stdin; end with Ctrl-D");
      let lineNumber = 0;
      let imported = 0;
      let keptIds = 0;
      let skipped = 0;
      // One line at a time, in order: the store keeps the export's order, and a failure says where to resume.
      for await (const line of createInterface({ input, crlfDelay: Infinity })) {
        lineNumber++;
        if (line.trim() === "") continue;
        const fail = (cause: string, alternative = "") =>
          new CliError(
            `line ${lineNumber}: ${cause}; ${imported} todo${imported === 1 ? " was" : "s were"} imported before it` +
              (imported ? `: import from line ${lineNumber} on (e.g. tail -n +${lineNumber} FILE | todo import)` : "") +
              alternative,
          );
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch (e) {
          throw fail(`not JSON (${(e as Error).message})`);
        }
        let todo;
        try {
          todo = todoFromJson(json);
          // The rules the daemon applies, checked here too: a line over a limit is named with the rule it
          // breaks, not with the transport's "message larger than max" its size would get first.
          parseTitle("title", todo.title ?? "");
          parseDescription("description", todo.description ?? "");
          parseTags("tags", todo.tags ?? []);
        } catch (e) {
          throw fail((e as Error).message);
        }
        try {
          await createTodo(client, todo, todo.id || undefined);
        } catch (e) {
          if (!(e instanceof CliError) || e.code !== status.ALREADY_EXISTS) throw fail((e as Error).message);
          if (args["skip-existing"]) {
            skipped++;
            continue;
          }
          throw fail(e.message, `${imported ? ", or" : ";"} import again with --skip-existing to skip the todos that exist`);
        }
        imported++;
        if (todo.id) keptIds++;
      }
      const skips = args["skip-existing"] ? `; skipped ${count(skipped, "line")} whose id a todo has already` : "";
      console.log(`imported ${count(imported, "todo")} (${keptIds} kept their ids)${skips}`);
    }),
});
