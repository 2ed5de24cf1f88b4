// A full disk under the embedded store. SQLite answers SQLITE_FULL when a write cannot get space; the
// transaction is then rolled back (its commit frame was never whole in the WAL), so the write surely
// failed and the store says so (StorageFullError, RESOURCE_EXHAUSTED) instead of "may or may not have
// happened". Reads need no space, so a daemon on a full disk keeps serving them, and one started on a full
// disk opens its data file read-only (immutable: no -shm or -wal to create) when the file is complete.
import { Database, SQLiteError, constants } from "bun:sqlite";
import { statSync, statfsSync } from "node:fs";
import { StorageFullError } from "../../todos/errors";

/** Free space that counts as space returned: room for a write's WAL frames and the shared-memory index. */
export const RECOVERED_BYTES = 1024 * 1024;

/**
 * Whether an error means the disk holding `dataDir` had no space for a write: SQLite's SQLITE_FULL, the
 * OS's ENOSPC, or the shared-memory index failing to grow (SQLITE_IOERR_SHMSIZE) while space is short.
 */
export function isDiskFull(error: unknown, dataDir: string): boolean {
  if (error instanceof SQLiteError) return /^SQLITE_FULL/.test(error.code ?? "") || (error.code === "SQLITE_IOERR_SHMSIZE" && freeBytes(dataDir) < RECOVERED_BYTES);
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOSPC";
}

/** Bytes an unprivileged writer may still use on the file system holding `dir`; Infinity when unknown. */
export function freeBytes(dir: string): number {
  try {
    const fs = statfsSync(dir);
    return Number(fs.bavail) * Number(fs.bsize);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Why the store is degraded while its disk is full (for readiness and the log). */
export const fullReason = (dataDir: string) => `the disk holding the data directory ${dataDir} is full: writes are refused until space is freed there; reads are served`;

/** What a write on the full disk answers. */
export function storageFull(dataDir: string): StorageFullError {
  return new StorageFullError(`the disk holding the data directory ${dataDir} is full: nothing was written; free space on it, and writes work again (reads still do)`);
}

/**
 * Whether the data file holds everything committed, so it can be read without its WAL: no -wal file, or
 * an empty one (a clean shutdown checkpoints the WAL into the file and removes it).
 */
export function walIsEmpty(file: string): boolean {
  try {
    return statSync(`${file}-wal`).size === 0;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/**
 * The data file opened for reading only, as immutable: SQLite creates no -shm or -wal and takes no lock
 * (the data directory's lock keeps other daemons out). Only for a complete file (walIsEmpty).
 */
export function openImmutable(file: string): Database {
  return new Database(`file:${encodeURI(file)}?immutable=1`, constants.SQLITE_OPEN_READONLY | constants.SQLITE_OPEN_URI);
}
