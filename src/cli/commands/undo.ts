// `todo undo`: reverts the caller's last change (or the n-th last; --list shows them) as a new change,
// from the event log (docs/undo.md). Each todo is written only if it is still as the change left it.
import { defineCommand } from "../define-command";
import type { Todo__Output } from "../../proto/gen/types/todo/v1/Todo";
import { connectionArgs } from "../args";
import { forEach } from "../bulk";
import { type TodoChanges, withClient } from "../client";
import { createTodo } from "../create-todo";
import { CliError } from "../errors";
import { Status } from "../grpc-status";
import { count, inert } from "../text";
import { changesBy, describe, readLog, type Touched } from "../undo-log";

const LISTED = 10;
const FIELDS = ["title", "description", "tags", "reminder", "state"] as const;

const name = (todo: Todo__Output | null, id: string) => (todo?.number && todo.number !== "0" ? `${todo.number} (${inert(todo.title)})` : id);

export default defineCommand({
  meta: {
    name: "undo",
    description:
      "Revert your last change (a bulk one as a whole) as a new change; a todo changed since is left alone, and said so.\n\nExamples:\n  todo undo\n  todo undo --list\n  todo undo 3",
  },
  args: {
    n: { type: "positional", description: "Which change: 1 the last (default), 2 the one before, … as --list numbers them", valueHint: "n", required: false },
    list: { type: "boolean", description: `List your last ${LISTED} changes, numbered for todo undo N` },
    ...connectionArgs,
  },
  run: ({ args }) =>
    withClient(args, async (client) => {
      const n = args.n === undefined ? 1 : Number(args.n);
      if (!Number.isSafeInteger(n) || n < 1) throw new CliError(`"${args.n}" is not a change's number: todo undo --list numbers them 1, 2, …`, "input");
      const { caller } = await client.serverInfo();
      const changes = changesBy(caller, await readLog(client));
      if (args.list) {
        if (changes.length === 0) return console.log("no changes of yours in the log");
        for (const [i, change] of changes.slice(0, LISTED).entries()) console.log(`${String(i + 1).padStart(2)}  ${new Date(change.time).toLocaleString()}  ${describe(change)}`);
        return;
      }
      const change = changes[n - 1];
      if (!change) throw new CliError(changes.length ? `you have ${count(changes.length, "change")} in the log: todo undo --list shows them` : "nothing to undo: no changes of yours in the log");
      const touched = new Map(change.touched.map((t) => [t.todoId, t]));
      await forEach(
        change.touched.map((t) => ({ id: t.todoId })),
        async ({ id }) => revert(touched.get(id)!),
        (line) => console.log(line),
      );

      async function revert({ todoId, before, after }: Touched): Promise<string> {
        try {
          if (!before && !after) return `${todoId}: added and deleted by that change: nothing to undo`;
          if (!before) {
            await client.delete(todoId, { etag: after!.etag });
            return `deleted ${name(after, todoId)} again`;
          }
          if (!after) {
            // Its creation time kept; changed now.
            const { id: _, etag: __, number: ___, ...fields } = before;
            const todo = await createTodo(client, { ...fields, update_time: { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 } }, todoId);
            return `restored ${name(todo, todoId)}`;
          }
          const changes: TodoChanges = {};
          const changed = FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
          if (changed.length === 0) return `${name(after, todoId)}: that change left it as it was: nothing to undo`;
          for (const f of changed) Object.assign(changes, { [f]: f === "reminder" && before.reminder === null ? null : before[f] });
          await client.update(todoId, changes, { etag: after.etag });
          return `reverted ${name(after, todoId)}: ${changed.join(", ")} as before`;
        } catch (e) {
          const code = e instanceof CliError ? e.code : undefined;
          const who = name(after ?? before, todoId);
          if (code === Status.FAILED_PRECONDITION || code === Status.ABORTED) throw new CliError(`${who} changed since: left as it is (todo read ${todoId} shows it)`, "failed");
          if (code === Status.NOT_FOUND) throw new CliError(`${who} was deleted since: nothing undone for it`, "failed");
          if (code === Status.ALREADY_EXISTS) throw new CliError(`${who} was created again since: left as it is`, "failed");
          throw e;
        }
      }
    }),
});
