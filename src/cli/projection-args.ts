// Where the projection file is, for `todo project` (which writes it) and `todo stats` (which reads it).
import type { ArgsDef } from "citty";
import { join } from "node:path";
import { defaultDataDir } from "../server/data-dir";

export const projectionArgs = {
  db: { type: "string", description: "The projection's SQLite file (env TODO_PROJECTION_DB; default projection.db in the data directory)", valueHint: "file" },
  "data-dir": { type: "string", description: "The data directory, as todo serve's (env TODO_DATA_DIR; default $XDG_DATA_HOME/todo or ~/.local/share/todo)", valueHint: "dir" },
} as const satisfies ArgsDef;

export function projectionPath(args: { db?: string; "data-dir"?: string }, env: NodeJS.ProcessEnv = process.env): string {
  return args.db ?? (env.TODO_PROJECTION_DB || join(args["data-dir"] ?? (env.TODO_DATA_DIR || defaultDataDir(env)), "projection.db"));
}
