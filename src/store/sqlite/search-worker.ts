// A search worker: runs pattern searches (search.ts) on its own read-only connection, so matching never
// blocks the daemon's event loop. The daemon ends a search by terminating its worker (search-workers.ts).
import { Database, SQLiteError } from "bun:sqlite";
import type { SearchQuery } from "../../todos/ports";
import { openImmutable } from "./disk-full";
import { searchTodos } from "./search";

declare const self: Worker;

export interface SearchRequest {
  path: string;
  /** Open the file as immutable (a full disk: no -shm to create); a worker reopens when this changes. */
  immutable: boolean;
  query: SearchQuery;
}

/** `started` first, then the page or the error. */
export type SearchReply = { started: true } | { page: import("../../todos/ports").SearchPage } | { error: { message: string; code?: string } };

let db: Database | undefined;
let opened: boolean | undefined;

function open(path: string, immutable: boolean): Database {
  const connection = immutable ? openImmutable(path) : new Database(path, { readonly: true, strict: true });
  // Reads through a memory map: the index's candidates are read in sort order, not file order, and a
  // read() per page costs more than the row (measured in docs/search.md). The pages are the file's,
  // shared with the OS's cache, not this process's memory.
  connection.exec("PRAGMA mmap_size = 1073741824");
  return connection;
}

self.onmessage = (event: MessageEvent<SearchRequest>) => {
  self.postMessage({ started: true } satisfies SearchReply);
  let reply: SearchReply;
  try {
    if (opened !== event.data.immutable) {
      db?.close();
      db = undefined;
      db = open(event.data.path, event.data.immutable);
      opened = event.data.immutable;
    }
    reply = { page: searchTodos(db!, event.data.query) };
  } catch (e) {
    reply = { error: { message: (e as Error).message, code: e instanceof SQLiteError ? e.code : undefined } };
  }
  self.postMessage(reply);
};
