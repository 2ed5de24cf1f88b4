// Page tokens (AIP-158): where the next page starts, bound to the filters and order that produced it,
// so a token cannot be replayed against another query.
import { createHash } from "node:crypto";
import { InvalidArgumentError } from "./errors";
import { ID_PATTERN } from "../vocabulary/todo";
import type { SearchQuery } from "./ports";

type Position = NonNullable<SearchQuery["after"]>;

interface PageToken {
  k: string | number | null;
  i: string;
  f: string;
}

function fingerprint(query: Omit<SearchQuery, "after" | "limit">): string {
  const canonical = JSON.stringify([
    query.pattern ?? "",
    [...query.tags].sort(),
    [...query.states].sort(),
    query.reminderAfter ?? null,
    query.reminderBefore ?? null,
    query.order,
  ]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}

export function encodePageToken(query: SearchQuery, last: Position): string {
  const token: PageToken = { k: last.key, i: last.id, f: fingerprint(query) };
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

/** The position a token resumes after; refused when it is not ours or was issued for another query. */
export function decodePageToken(field: string, text: string, query: SearchQuery): Position {
  let token: PageToken;
  try {
    token = JSON.parse(Buffer.from(text, "base64url").toString());
  } catch (e) {
    throw new InvalidArgumentError(field, "is not a token this server issued", { cause: e });
  }
  if (typeof token?.i !== "string" || !ID_PATTERN.test(token.i) || (!["string", "number"].includes(typeof token.k) && token.k !== null))
    throw new InvalidArgumentError(field, "is not a token this server issued");
  if (token.f !== fingerprint(query)) throw new InvalidArgumentError(field, "was issued for other filters or another order_by");
  return { key: token.k, id: token.i };
}
