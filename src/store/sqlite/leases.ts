// Leases in the embedded store: one row per lease. The embedded store serves one daemon, but the
// relay works the same on every store, so the lease is real here too (each statement is atomic under
// SQLite's write lock). The table is created on first use, outside the schema versions, because no
// data of an earlier release needs it.
import type { Database } from "bun:sqlite";
import type { Leases, LeaseState } from "../../todos/ports";

interface LeaseRow {
  holder: string;
  expires_at: number;
  checkpoint: number;
}

export class SqliteLeases implements Leases {
  /** `connection`: the store's current one (it changes when a store read-only on a full disk can write again). */
  constructor(private readonly connection: () => Database) {
    this.db.exec(`CREATE TABLE IF NOT EXISTS leases (
      name TEXT PRIMARY KEY,
      holder TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      checkpoint INTEGER NOT NULL
    ) STRICT`);
  }

  private get db(): Database {
    return this.connection();
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<{ checkpoint: number } | null> {
    const now = Date.now();
    const row = this.db
      .query<LeaseRow, [string, string, number, string, number]>(
        `INSERT INTO leases (name, holder, expires_at, checkpoint) VALUES (?1, ?2, ?3, 0)
         ON CONFLICT (name) DO UPDATE SET holder = ?2, expires_at = ?3 WHERE leases.holder = ?4 OR leases.expires_at < ?5
         RETURNING holder, expires_at, checkpoint`,
      )
      .get(name, holder, now + ttlMs, holder, now);
    return row ? { checkpoint: row.checkpoint } : null;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.db.run("UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?", [Date.now() + ttlMs, name, holder]).changes === 1;
  }

  async checkpoint(name: string, holder: string, position: number): Promise<boolean> {
    return this.db.run("UPDATE leases SET checkpoint = MAX(checkpoint, ?) WHERE name = ? AND holder = ?", [position, name, holder]).changes === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    this.db.run("UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ?", [name, holder]);
  }

  async read(name: string): Promise<LeaseState | null> {
    const row = this.db.query<LeaseRow, [string]>("SELECT holder, expires_at, checkpoint FROM leases WHERE name = ?").get(name);
    return row
      ? {
          holder: row.holder,
          expiresAt: row.expires_at,
          checkpoint: row.checkpoint,
        }
      : null;
  }
}
