// One line of `todo watch` for a person: what happened to which todo, when (local time), in words
// ("done", "started") rather than field names, the title with its +tags, fitted to the terminal. Piped, the same line whole: full
// id, RFC 3339 time, nothing cut, no colour. Stored text is inert either way; --json is the exact form.
import type { TodoEvent__Output } from "../proto/gen/types/todo/v1/TodoEvent";
import { type Look, STATE_STYLE, shownTime, toMillis } from "./output";
import type { Style } from "./terminal";
import { displayWidth, fit, inert, oneLine } from "./text";

/** What a change of state is called. */
const STATE_VERBS: Record<string, string> = { STATE_DONE: "done", STATE_IN_PROGRESS: "started", STATE_NOT_STARTED: "reopened" };
const VERB_STYLE: Record<string, Style | undefined> = { created: "cyan", deleted: "red", reminder: "bold", reopened: "yellow" };
/** The widest verb, so the ids line up. */
const VERB_WIDTH = 8;

/** The verb for an event, and what else it changed (update mask paths other than the state). */
function describe(event: TodoEvent__Output, look: Look): { verb: string; style?: Style; detail: string } {
  if (event.created) return { verb: "created", style: VERB_STYLE.created, detail: "" };
  if (event.deleted) return { verb: "deleted", style: VERB_STYLE.deleted, detail: "" };
  if (event.reminder_due) return { verb: "reminder", style: VERB_STYLE.reminder, detail: ` (due ${shownTime(toMillis(event.reminder_due.reminder!), look)})` };
  const paths = event.updated!.update_mask?.paths ?? [];
  const others = paths.filter((p) => p !== "state").map((p) => inert(p));
  const state = event.updated!.todo!.state;
  const verb = paths.includes("state") ? (STATE_VERBS[state] ?? "updated") : "updated";
  const style = verb === "updated" ? undefined : (STATE_STYLE[state] ?? VERB_STYLE[verb]);
  return { verb, style, detail: others.length ? ` (${others.join(", ")})` : "" };
}

/** The line for `event`; `shortId` is the id as shown (its shortest unique prefix on a terminal). */
export function eventLine(event: TodoEvent__Output, look: Look, shortId: string): string {
  const todo = (event.created ?? event.updated ?? event.deleted ?? event.reminder_due)!.todo!;
  const { verb, style, detail } = describe(event, look);
  const head = `${event.position}  ${shownTime(toMillis(event.time!), look)}  `;
  const id = `  ${inert(shortId)}  `;
  // Tags as a person types them (+shop), after the title.
  const title = oneLine(todo.title) + todo.tags.map((tag) => ` +${oneLine(tag)}`).join("");
  const paint = (text: string, rest: string) => look.paint("dim", head) + look.paint(style, verb) + " ".repeat(Math.max(0, VERB_WIDTH - verb.length)) + id + text + rest;
  if (look.width === undefined) return paint(title, detail);
  // One line that fits: the title is cut first; the detail goes too when not even a short title fits.
  const room = look.width - displayWidth(head) - VERB_WIDTH - displayWidth(id);
  if (room - displayWidth(detail) >= 8) return paint(fit(title, room - displayWidth(detail)), detail);
  return paint(fit(`${title}${detail}`, Math.max(1, room)), "");
}
