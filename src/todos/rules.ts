// The domain's rules for what a todo and a query may hold. Each check names the field it refused (the
// domain's name for it: a transport renames fields to its request's names) and why. Nothing reaches a
// store unchecked.
import { RE2JS } from "re2js";
import { InvalidArgumentError } from "./errors";
import { ID_FORM, ID_PATTERN, LIMITS, ORDER_FIELDS, type OrderField, STATES, type State, stateFromSpelling, uniqueTags } from "../vocabulary/todo";
import type { Order } from "./model";
import { quote } from "./quote";

/** Length in characters as a person counts them (code points, not UTF-16 units). */
const length = (s: string) => [...s].length;

export function parseId(field: string, id: string): string {
  if (!id) throw new InvalidArgumentError(field, "is required");
  if (!ID_PATTERN.test(id)) throw new InvalidArgumentError(field, `${quote(id)} is not a todo id (${ID_FORM})`);
  return id;
}

/** The version an etag stands for, or undefined for no etag. */
export function parseEtag(field: string, etag: string | undefined): number | undefined {
  if (!etag) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(etag)) throw new InvalidArgumentError(field, `${quote(etag)} is not an etag this server issued`);
  return Number(etag);
}

/** The etag is the todo's version: opaque to clients, and it changes on every write. */
export function etagOf(version: number): string {
  return String(version);
}

export function parseTitle(field: string, title: string): string {
  if (title.trim() === "") throw new InvalidArgumentError(field, "must not be empty");
  if (length(title) > LIMITS.titleLength) throw new InvalidArgumentError(field, `must be at most ${LIMITS.titleLength} characters, got ${length(title)}`);
  return title;
}

export function parseDescription(field: string, description: string): string {
  if (length(description) > LIMITS.descriptionLength)
    throw new InvalidArgumentError(field, `must be at most ${LIMITS.descriptionLength} characters, got ${length(description)}`);
  return description;
}

/** Distinct tags, each non-empty and short enough. */
export function parseTags(field: string, tags: readonly string[]): string[] {
  const distinct = uniqueTags(tags);
  if (distinct.length > LIMITS.tags) throw new InvalidArgumentError(field, `must hold at most ${LIMITS.tags} tags, got ${distinct.length}`);
  for (const tag of distinct) {
    if (tag.trim() === "") throw new InvalidArgumentError(field, "must not contain an empty tag");
    if (length(tag) > LIMITS.tagLength) throw new InvalidArgumentError(field, `tag ${quote(tag)} is over ${LIMITS.tagLength} characters`);
  }
  return distinct;
}

/** A time in milliseconds since the epoch (transports check their own encodings' ranges first). */
export function parseTime(field: string, ms: number): number {
  if (!Number.isSafeInteger(ms)) throw new InvalidArgumentError(field, "must be a time in whole milliseconds");
  return ms;
}

export function parseState(field: string, state: string): State {
  const known = stateFromSpelling(state, "name");
  if (!known) throw new InvalidArgumentError(field, `unknown state ${quote(state)}; use one of ${STATES.join(", ")}`);
  return known;
}

/** Compiles a pattern with RE2 (linear time in the text) or names what is wrong with it. */
export function parsePattern(field: string, pattern: string): RE2JS {
  if (length(pattern) > LIMITS.patternLength) throw new InvalidArgumentError(field, `must be at most ${LIMITS.patternLength} characters`);
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    throw new InvalidArgumentError(field, `invalid regular expression: ${(e as Error).message}`, { cause: e });
  }
}

/** `field [asc|desc]`, AIP-132 style; empty means creation order. */
export function parseOrder(field: string, orderBy: string): Order {
  const words = orderBy.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { field: "create_time", descending: false };
  const [name, direction, ...rest] = words;
  const ok = (ORDER_FIELDS as readonly string[]).includes(name!) && rest.length === 0 && (direction === undefined || direction === "asc" || direction === "desc");
  if (!ok) throw new InvalidArgumentError(field, `${quote(orderBy)} is not one of ${ORDER_FIELDS.join(", ")}, optionally followed by " desc"`);
  return { field: name as OrderField, descending: direction === "desc" };
}

export function parsePageSize(field: string, pageSize: number): number {
  if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > LIMITS.pageSize)
    throw new InvalidArgumentError(field, `must be between 0 and ${LIMITS.pageSize}, got ${pageSize}`);
  return pageSize || LIMITS.defaultPageSize;
}
