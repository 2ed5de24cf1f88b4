import { defineCommand } from "../define-command";
import { Status as status } from "../grpc-status";
import { eventToJson } from "../../wire/json";
import type { TodoEvent__Output } from "../../proto/gen/types/todo/v1/TodoEvent";
import { colorArg, connectionArgs } from "../args";
import { type TodoClient, withClient } from "../client";
import { CliError } from "../errors";
import { eventLine } from "../event-line";
import { splitWords } from "../filters";
import { resolveIds, shortestUniquePrefixes } from "../ids";
import { parseList } from "../input";
import { type Look, lookFor } from "../output";
import { selectAll } from "../bulk";
import { writeStderr } from "../terminal";
import { inert, inertJson } from "../text";

/** Ends of a watch that a new watch after the last position seen resumes without a gap or a duplicate. */
const RESUMABLE = new Set<number>([status.UNAVAILABLE, status.RESOURCE_EXHAUSTED, status.CANCELLED]);

function parsePosition(text: string): number {
  const position = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(position)) throw new CliError(`--from: "${text}" is not a log position (a whole number from 0)`, "input");
  return position;
}

/**
 * How a person's line names a todo: its shortest unique prefix among every todo the store held when
 * the watch began and every one seen since (as git abbreviates; a later todo may lengthen it).
 * Piped, the whole id.
 */
async function idNamer(client: TodoClient, look: Look): Promise<(id: string) => string> {
  if (look.width === undefined) return (id) => id;
  const known = new Set((await selectAll(client, {})).map((t) => t.id));
  let prefixes = shortestUniquePrefixes([...known]);
  return (id) => {
    if (!known.has(id)) {
      known.add(id);
      prefixes = shortestUniquePrefixes([...known]);
    }
    return prefixes.get(id) ?? id;
  };
}

export default defineCommand({
  meta: {
    name: "watch",
    description:
      "Print the event log as it grows: one line per event (created, done, started, reopened, updated, deleted, reminder), as log position, local time, what happened, id and title. On a terminal the id is its shortest unique prefix and the line fits the width; --json prints each event exactly. Resumes by itself after a disconnect or a daemon restart.\n\nExamples:\n  todo watch +shop\n  todo watch 6b0a --from 0\n  todo watch --reminders",
  },
  args: {
    words: { type: "positional", description: "Ids (or unique prefixes) and +tag words: only those todos' events", valueHint: "id|+tag", required: false, variadic: true },
    from: { type: "string", description: "Start after this log position (0: the whole log); default: only new changes", valueHint: "position" },
    ids: { type: "string", description: "Only these todos (comma-separated ids or unique prefixes)", valueHint: "id,id" },
    tags: { type: "string", description: "Only todos with any of these tags (or +tag words)", valueHint: "a,b" },
    reminders: {
      type: "boolean",
      // The default shows the whole log, reminders included, so a watch with --ids or --tags is a todo's full history.
      description: "Only reminders, as they fire (without it every change is shown, reminders included)",
    },
    ...connectionArgs,
    json: { type: "boolean", description: "Print each event as proto3 JSON for scripts (one event per line), exactly as logged" },
    ...colorArg,
  },
  run: ({ args }) =>
    withClient(args, async (client) => {
      const { words, plusTags } = splitWords(args);
      const todoIds = await resolveIds(client, [...parseList(args.ids ?? ""), ...words]);
      const tags = [...parseList(args.tags ?? "").map((t) => t.replace(/^\+/, "")), ...plusTags];
      const look = lookFor(args.color);
      const named = args.json ? (id: string) => id : await idNamer(client, look);
      const print = (event: TodoEvent__Output) => console.log(args.json ? inertJson(eventToJson(event)) : eventLine(event, look, named(event.todo_id)));
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
            { after_position: String(after ?? 0), from_now: after === undefined, todo_ids: todoIds, tags, reminders_only: args.reminders === true },
            (message) => {
              after = Number(message.position);
              started = true;
              if (message.event) {
                print(message.event);
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
