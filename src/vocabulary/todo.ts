// The words every layer uses of a todo, each said once: its states and how each surface spells them,
// the id's form, the fields a list orders by, and the limits on what a todo holds. It imports nothing,
// so the domain, the wire mapping, the APIs and the CLI can all import it.

/** A todo's states, in the order a person meets them. STATE_UNSPECIFIED (the proto's "unset") is none. */
export const STATES = ["STATE_NOT_STARTED", "STATE_IN_PROGRESS", "STATE_DONE"] as const;
export type State = (typeof STATES)[number];

/** The states without their prefix: how people type them and how the original API (v1) names them. */
export const SHORT_STATES = ["NOT_STARTED", "IN_PROGRESS", "DONE"] as const;
export type ShortState = (typeof SHORT_STATES)[number];

const PREFIX = "STATE_";

export const shortState = (state: State): ShortState => state.slice(PREFIX.length) as ShortState;

/**
 * How strictly a surface reads a state:
 * - `name`: the enum's name only (todo.v1, stores);
 * - `short`: the name without STATE_ only (the original v1 API and its documents);
 * - `json`: either of those (proto3 JSON, and the CLI's output read back by `todo import`);
 * - `typed`: either, in any case, with - or a space for _ (what a person types: in-progress, done).
 */
export type StateSpelling = "name" | "short" | "json" | "typed";

/** The state `text` spells, or undefined when it spells none in that spelling. */
export function stateFromSpelling(text: string, spelling: StateSpelling): State | undefined {
  let name: string;
  if (spelling === "name") name = text;
  else if (spelling === "short") name = PREFIX + text;
  else if (spelling === "json") name = text.startsWith(PREFIX) ? text : PREFIX + text;
  else name = PREFIX + text.trim().toUpperCase().replace(/^STATE_/, "").replace(/[- ]/g, "_");
  return (STATES as readonly string[]).includes(name) ? (name as State) : undefined;
}

/** Ids are MongoDB ObjectIds in hex, in every store, so a todo keeps its id when it moves between stores. */
export const ID_LENGTH = 24;
export const ID_PATTERN = new RegExp(`^[0-9a-f]{${ID_LENGTH}}$`);
export const ID_FORM = `${ID_LENGTH} lowercase hex digits`;

/** The fields a list may be ordered by (AIP-132 order_by). */
export const ORDER_FIELDS = ["create_time", "update_time", "reminder", "title"] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

/** What a todo and a query may hold; lengths count characters as a person does (code points). */
export const LIMITS = {
  titleLength: 200,
  descriptionLength: 10_000,
  tags: 32,
  tagLength: 64,
  patternLength: 1_000,
  pageSize: 1_000,
  defaultPageSize: 100,
} as const;

/** A todo holds each tag once, in the order first given. */
export const uniqueTags = (tags: Iterable<string>): string[] => [...new Set(tags)];
