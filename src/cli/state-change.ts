// `todo done` and `todo start`: set the state of todos named by id, or of every todo a filter selects.
// A filter that selects more than 2 asks first, listing the first ones (issue 21: `todo done --pattern .`
// changed 177 todos unasked); ids a person typed name exactly what they mean and are not asked about.
import { defineCommand } from "./define-command";
import type { _todo_v1_Todo_State } from "../proto/gen/types/todo/v1/Todo";
import { connectionArgs, filterArgs, idsArgs, jsonArg } from "./args";
import { confirm, firstOf, forEach, targets, UNASKED } from "./bulk";
import { withClient } from "./client";
import { printJson } from "./output";
import { inert } from "./text";

export interface StateChange {
  name: string;
  description: string;
  state: _todo_v1_Todo_State;
  /** What a line of output says happened: "done", "started". */
  verb: string;
  /** The question before a bulk change, with `{todos}` for what it selects: "mark {todos} done". */
  question: string;
  /** The states a filter selects when it gives no --states: never those already in `state`. */
  from: _todo_v1_Todo_State[];
}

export function stateChange(change: StateChange) {
  return defineCommand({
    meta: { name: change.name, description: change.description },
    args: {
      ...idsArgs,
      ...filterArgs,
      yes: { type: "boolean", alias: "y", description: `Change more than ${UNASKED} todos a filter selects without asking` },
      ...connectionArgs,
      ...jsonArg,
    },
    run: ({ args }) =>
      withClient(args, async (client) => {
        const { targets: selected, filtered } = await targets(client, args, change.name, change.from);
        if (filtered && selected.length === 0) return console.log(`no todos match: nothing ${change.verb}`);
        if (filtered && selected.length > UNASKED) await confirm(change.question.replace("{todos}", firstOf(selected.map((t) => t.listed!), selected.length)), args.yes);
        await forEach(
          selected,
          async (t) => {
            // A todo already in the state is left as it is: no new version, no event (issue 21).
            const current = t.listed ?? (await client.get(t.id));
            if (current.state === change.state) return { todo: current, written: false };
            // A todo a filter selected changes only if it is still as listed (its etag).
            return { todo: await client.update(t.id, { state: change.state }, { etag: t.listed?.etag }), written: true };
          },
          ({ todo, written }) => {
            if (args.json) printJson(todo);
            else console.log(written ? `${change.verb} ${inert(todo.id)}` : `${inert(todo.id)} is already ${change.verb}: nothing written`);
          },
        );
      }),
  });
}
