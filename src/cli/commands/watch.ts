import { defineCommand } from "citty";
import { Status as status } from "../grpc-status";
import { eventToJson } from "../../wire/json";
import type { TodoEvent__Output } from "../../proto/gen/types/todo/v1/TodoEvent";
import { connectionArgs, jsonArg } from "../args";
import { withClient } from "../client";
import { CliError } from "../errors";
import { parseList } from "../input";
import { writeStderr } from "../terminal";
import { inert, inertJson } from "../text";

/** Ends of a watch that a new watch after the last position seen resumes without a gap or a duplicate. */
const RESUMABLE = new Set<number>([status.UNAVAILABLE, status.RESOURCE_EXHAUSTED, status.CANCELLED]);

function parsePosition(text: string): number {
  const position = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(position)) throw new CliError(`--from: "${text}" is not a log position (a whole number from 0)`, "input");
  return position;
}

function printEvent(event: TodoEvent__Output, json: boolean) {
  if (json) return console.log(inertJson(eventToJson(event)));
  const change = event.created ? "created" : event.updated ? "updated" : event.deleted ? "deleted" : "reminder";
  const todo = (event.created ?? event.updated ?? event.deleted ?? event.reminder_due)!.todo!;
  const iso = (ts: { seconds: string | number; nanos: number }) => new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6)).toISOString();
  const fields = event.updated ? ` (${inert(event.updated.update_mask?.paths.join(", ") ?? "")})` : event.reminder_due ? ` (due ${iso(event.reminder_due.reminder!)})` : "";
  const time = iso(event.time!);
  // The title quoted as JSON with every control character escaped (C1 and bidi too), so stored text cannot drive the terminal.
  console.log(`${event.position}  ${time}  ${change.padEnd(8)}  ${inert(event.todo_id)}  ${inertJson(todo.title)}${fields}`);
}

export default defineCommand({
  meta: {
    name: "watch",
    description: "Print changes as they happen, one line each; resumes by itself after a disconnect or a daemon restart",
  },
  args: {
    from: { type: "string", description: "Start after this log position (0: the whole log); default: only new changes", valueHint: "position" },
    ids: { type: "string", description: "Only these todos (comma-separated ids)", valueHint: "id,id" },
    tags: { type: "string", description: "Only todos with any of these tags", valueHint: "a,b" },
    reminders: {
      type: "boolean",
      // The default shows the whole log, reminders included, so a watch with --ids or --tags is a todo's full history.
      description: "Only reminders, as they fire (without it every change is shown, reminders included)",
    },
    ...connectionArgs,
    ...jsonArg,
  },
  run: ({ args }) =>
    withClient(args, async (client) => {
      let after = args.from === undefined ? undefined : parsePosition(args.from);
      let backoffMs = 200;
      let interrupted = false;
      /** Where the last RESOURCE_EXHAUSTED ended the watch, until a change arrives again. */
      let exhaustedAfter: number | undefined;
      // A daemon that never answered is a mistake to report; once watching, an interruption is waited out.
      let started = false;
      for (;;) {
        try {
          await client.watch(
            { after_position: String(after ?? 0), from_now: after === undefined, todo_ids: args.ids ? parseList(args.ids) : [], tags: args.tags ? parseList(args.tags) : [], reminders_only: args.reminders === true },
            (message) => {
              after = Number(message.position);
              started = true;
              if (message.event) {
                printEvent(message.event, args.json === true);
                exhaustedAfter = undefined;
              }
              if (interrupted) writeStderr(`todo: watching again after position ${after}`);
              interrupted = false;
              backoffMs = 200;
            },
          );
        } catch (e) {
          if (!started || !(e instanceof CliError) || e.code === undefined || !RESUMABLE.has(e.code)) throw e;
          // Twice at one position with no change between: the next change is one this client refuses
          // (larger than it takes), and resuming would ask for it again, forever.
          if (e.code === status.RESOURCE_EXHAUSTED && exhaustedAfter === after)
            throw new CliError(`${e.message}; stopped: the next change after position ${after} cannot be received, and resuming would ask for it again`);
          if (e.code === status.RESOURCE_EXHAUSTED) exhaustedAfter = after;
          if (!interrupted) writeStderr(`todo: ${inert(e.message)}; resuming${after === undefined ? "" : ` after position ${after}`} when todod answers`);
          interrupted = true;
        }
        await Bun.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }),
});
