// The embedded store's data directory: private to its user, and one daemon's at a time.
//
// The lock is a lock SQLite holds on `todod.lock` (a database of its own, in exclusive locking mode):
// an OS file lock (fcntl on Unix, LockFileEx on Windows) that the kernel releases when the process
// ends however it ends, so a kill -9 leaves no stale lock to clean up. A plain pid file could not
// tell a live holder from a dead one whose pid was reused. `todod.pid` beside it names the holder
// for the message a second daemon prints; only the lock's holder writes it.
import { Database } from "bun:sqlite";
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UnavailableError } from "../../todos/errors";

const LOCK_FILE = "todod.lock";
const PID_FILE = "todod.pid";
/** Data files: read and written by their owner only. */
export const FILE_MODE = 0o600;
/** A data directory this store creates. */
export const DIR_MODE = 0o700;

/** Creates `dataDir` (0700, with any missing parents) if it does not exist. */
export function makeDataDir(dataDir: string) {
  mkdirSync(dataDir, { recursive: true, mode: DIR_MODE });
}

/** Creates `path` empty with mode 0600 if it does not exist, so SQLite (and its -wal and -shm, which copy its mode) keep that mode. */
export function createPrivateFile(path: string) {
  closeSync(openSync(path, "a", FILE_MODE));
}

/**
 * What an operator should hear about a data directory others can read: its mode is theirs to choose (a
 * shared or mounted directory may be so on purpose), so it is left as it is, and said once.
 */
export function exposure(dataDir: string, files: string[]): string | undefined {
  const open = [dataDir, ...files.map((f) => join(dataDir, f))].filter((path) => {
    try {
      return (statSync(path).mode & 0o077) !== 0;
    } catch {
      return false;
    }
  });
  if (process.platform === "win32" || open.length === 0) return undefined;
  return `${open.join(", ")} can be read by other users; todos are personal: chmod 700 ${dataDir} && chmod 600 ${join(dataDir, "todos.db")}*`;
}

/** Another process holds the data directory's lock. */
export class DataDirInUseError extends UnavailableError {
  constructor(
    readonly dataDir: string,
    /** Who holds it, e.g. "another todo serve (pid 42)". */
    readonly holder: string,
  ) {
    super(`the data directory ${dataDir} is in use by ${holder}: stop it, or give this daemon another TODO_DATA_DIR`);
  }
}

/** The data directory held by this process until `release`. */
export class DataDirLock {
  private constructor(
    private readonly db: Database,
    private readonly pidFile: string,
  ) {}

  /**
   * Takes the lock or throws DataDirInUseError naming the process that holds it. `dataDir` exists.
   */
  static acquire(dataDir: string): DataDirLock {
    const lockPath = join(dataDir, LOCK_FILE);
    const pidFile = join(dataDir, PID_FILE);
    createPrivateFile(lockPath);
    const db = new Database(lockPath);
    try {
      db.exec("PRAGMA busy_timeout = 0");
      db.exec("PRAGMA journal_mode = OFF"); // nothing in it to roll back
      db.exec("PRAGMA locking_mode = EXCLUSIVE");
      // In exclusive locking mode the first write's lock is kept until the connection closes.
      db.exec("BEGIN EXCLUSIVE");
      db.exec("CREATE TABLE IF NOT EXISTS holder (pid INTEGER)");
      db.exec("COMMIT");
    } catch (e) {
      db.close();
      if (!/SQLITE_BUSY|database is locked/i.test(`${(e as { code?: string }).code} ${(e as Error).message}`)) throw e;
      throw new DataDirInUseError(dataDir, holder(pidFile));
    }
    try {
      writeFileSync(pidFile, `${process.pid}\n`, { mode: FILE_MODE });
      chmodSync(pidFile, FILE_MODE);
    } catch (e) {
      // Only names the holder for a second daemon's message: a full disk must not keep this one from
      // starting (read-only; see disk-full.ts).
      if ((e as NodeJS.ErrnoException).code !== "ENOSPC") {
        db.close();
        throw e;
      }
      rmSync(pidFile, { force: true });
    }
    return new DataDirLock(db, pidFile);
  }

  release() {
    rmSync(this.pidFile, { force: true });
    this.db.close();
  }
}

function holder(pidFile: string): string {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, "utf8"), 10);
    if (Number.isInteger(pid) && pid > 0) return `another todo serve (pid ${pid})`;
  } catch {}
  return "another todo serve (its pid file is not written yet)";
}
