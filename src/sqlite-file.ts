/**
 * How every SQLite file of the bot is opened for writing (the feedback's, servers' own knowledge's,
 * which may be the same file): created owner-only in an owner-only folder, in WAL mode, and migrated
 * with a longer busy timeout, so that peers creating or migrating it together (shards starting at
 * once) take turns instead of failing.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** The busy timeout while opening, before anything is answered. */
const OPEN_BUSY_TIMEOUT_MS = 2000;

export interface SqliteFileOptions {
  /** How long a write waits for another process's lock once open (milliseconds); short, since writes run on the event loop. */
  busyTimeoutMs: number;
  /** Deleted rows are overwritten rather than left readable in free pages. */
  secureDelete?: boolean;
  /** Brings the file's schema up to date; runs while opening. */
  migrate(db: Database.Database): void;
}

export function openSqliteFile(path: string, { busyTimeoutMs, secureDelete = false, migrate }: SqliteFileOptions): Database.Database {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Created owner-only before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
  closeSync(openSync(path, 'a', 0o600));
  const busyTimeout = Math.max(0, Math.floor(busyTimeoutMs));
  return whileBusy(() => {
    const db = new Database(path);
    try {
      db.pragma(`busy_timeout = ${Math.max(OPEN_BUSY_TIMEOUT_MS, busyTimeout)}`);
      db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL loses no committed write when the process crashes (only on power loss).
      db.pragma('synchronous = NORMAL');
      if (secureDelete) db.pragma('secure_delete = ON');
      migrate(db);
      db.pragma(`busy_timeout = ${busyTimeout}`);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  });
}

/**
 * Runs `open` again while SQLite says the database is busy, for up to OPEN_BUSY_TIMEOUT_MS. The busy
 * timeout covers most waits, but SQLite answers SQLITE_BUSY at once, without waiting, where waiting
 * could deadlock: peers that all read the new file and then all want to write it. One of them goes
 * first; the others try again a moment later.
 */
function whileBusy(open: () => Database.Database): Database.Database {
  const deadline = performance.now() + OPEN_BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      return open();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const busy = typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
      if (!busy || performance.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, 10 + Math.floor(Math.random() * 40));
    }
  }
}
