// A search worker: runs pattern searches (search.ts) on its own read-only connection, so matching never
// blocks the daemon's event loop. The daemon ends a search by terminating its worker (search-workers.ts).
import { Database, SQLiteError } from "bun:sqlite";
import type { SearchQuery } from "../../todos/ports";
import { searchTodos } from "./search";

declare const self: Worker;

export interface SearchRequest {
  path: string;
  query: SearchQuery;
}

export type SearchReply = { page: import("../../todos/ports").SearchPage } | { error: { message: string; code?: string } };

let db: Database | undefined;

self.onmessage = (event: MessageEvent<SearchRequest>) => {
  let reply: SearchReply;
  try {
    db ??= new Database(event.data.path, { readonly: true, strict: true });
    reply = { page: searchTodos(db, event.data.query) };
  } catch (e) {
    reply = { error: { message: (e as Error).message, code: e instanceof SQLiteError ? e.code : undefined } };
  }
  self.postMessage(reply);
};
