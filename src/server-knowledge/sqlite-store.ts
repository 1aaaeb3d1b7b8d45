/**
 * Servers' own entries in a SQLite file, for processes on one host. The file may be the feedback
 * database too: only the server_ tables are created here, versioned in their own migrations table
 * (PRAGMA user_version belongs to the feedback tables).
 */
import type Database from 'better-sqlite3';
import { openSqliteFile } from '../sqlite-file.ts';
import { SERVER_ENTRY_LIMITS, type ServerEntry, type ServerEntryDraft } from './entry.ts';
import {
  auditLimit,
  checkActor,
  newEntryId,
  questionKey,
  ServerKnowledgeStoreError,
  StoreRefusal,
  type AuditAction,
  type AuditRow,
  type ServerKnowledgeOptions,
  type ServerKnowledgeStore,
} from './store.ts';

/** Schema steps in order; step n brings the tables from version n to n + 1. Never edit a shipped step: add one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE server_entries (
     seq INTEGER PRIMARY KEY,
     guild_id TEXT NOT NULL,
     id TEXT NOT NULL,
     question TEXT NOT NULL,
     question_key TEXT NOT NULL,
     phrasings TEXT NOT NULL, -- a JSON array of strings
     answer TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     UNIQUE (guild_id, id),
     UNIQUE (guild_id, question_key)
   );
   CREATE TABLE server_changes (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     guild_id TEXT NOT NULL,
     changed_at INTEGER NOT NULL
   );
   CREATE TABLE server_audit (
     seq INTEGER PRIMARY KEY,
     guild_id TEXT NOT NULL,
     entry_id TEXT NOT NULL,
     action TEXT NOT NULL CHECK (action IN ('add', 'edit', 'remove')),
     actor BLOB NOT NULL,
     at INTEGER NOT NULL
   );
   CREATE INDEX server_audit_by_guild ON server_audit (guild_id, at);`,
];

export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

export interface SqliteServerKnowledgeOptions extends ServerKnowledgeOptions {
  /**
   * How long a write waits for another process's lock (milliseconds). better-sqlite3 waits on the
   * event loop; admins' edits are rare, so this can be longer than the feedback store's.
   */
  busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 250;

interface EntryRow {
  guild_id: string;
  id: string;
  question: string;
  phrasings: string;
  answer: string;
  created_at: number;
  updated_at: number;
}

const ENTRY_COLUMNS = 'guild_id, id, question, phrasings, answer, created_at, updated_at';

/** Opens (creating and migrating if needed) the server_ tables of the SQLite file at `path`. Throws ServerKnowledgeStoreError. */
export function openSqliteServerKnowledge(path: string, options: SqliteServerKnowledgeOptions = {}): ServerKnowledgeStore {
  const now = options.now ?? Date.now;
  const busyTimeoutMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS));
  const db = openDatabase(path, busyTimeoutMs);

  const listEntries = db.prepare<[string], EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM server_entries WHERE guild_id = ? ORDER BY created_at, seq`);
  const getEntry = db.prepare<[string, string], EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM server_entries WHERE guild_id = ? AND id = ?`);
  const countEntries = db.prepare<[string], { count: number }>('SELECT COUNT(*) AS count FROM server_entries WHERE guild_id = ?');
  const entryWithKey = db.prepare<[string, string], { id: string }>('SELECT id FROM server_entries WHERE guild_id = ? AND question_key = ?');
  const insertEntry = db.prepare<[string, string, string, string, string, string, number, number]>(
    `INSERT INTO server_entries (guild_id, id, question, question_key, phrasings, answer, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, id) DO NOTHING`,
  );
  const updateEntry = db.prepare<[string, string, string, string, number, string, string]>(
    'UPDATE server_entries SET question = ?, question_key = ?, phrasings = ?, answer = ?, updated_at = ? WHERE guild_id = ? AND id = ?',
  );
  const deleteEntry = db.prepare<[string, string]>('DELETE FROM server_entries WHERE guild_id = ? AND id = ?');
  const insertChange = db.prepare<[string, number]>('INSERT INTO server_changes (guild_id, changed_at) VALUES (?, ?)');
  const insertAudit = db.prepare<[string, string, AuditAction, Buffer, number]>('INSERT INTO server_audit (guild_id, entry_id, action, actor, at) VALUES (?, ?, ?, ?, ?)');
  // One statement, so the cursor and the servers come from the same moment.
  const changedGuilds = db.prepare<[number], { guild_id: string; last: number }>(
    'SELECT guild_id, MAX(id) AS last FROM server_changes WHERE id > ? GROUP BY guild_id ORDER BY MIN(id)',
  );
  const latestChange = db.prepare<[], { last: number }>('SELECT COALESCE(MAX(id), 0) AS last FROM server_changes');
  const auditRows = db.prepare<[string, number], { action: AuditAction; entry_id: string; actor: Buffer; at: number }>(
    'SELECT action, entry_id, actor, at FROM server_audit WHERE guild_id = ? ORDER BY at DESC, seq DESC LIMIT ?',
  );

  /** The change row that tells other processes to reload the server, and the audit row of who did it. */
  const record = (guildId: string, entryId: string, action: AuditAction, actor: Buffer, at: number) => {
    insertChange.run(guildId, at);
    insertAudit.run(guildId, entryId, action, actor, at);
  };
  const refuseDuplicate = (guildId: string, key: string, exceptId?: string) => {
    const existing = entryWithKey.get(guildId, key);
    if (existing && existing.id !== exceptId) throw new StoreRefusal('duplicate');
  };

  // BEGIN IMMEDIATE: the write lock is taken before the checks, so no other process writes between
  // the count and the insert.
  const add = db.transaction((guildId: string, draft: ServerEntryDraft, actor: Buffer): ServerEntry => {
    const key = questionKey(draft.question);
    refuseDuplicate(guildId, key);
    if (countEntries.get(guildId)!.count >= SERVER_ENTRY_LIMITS.entries) throw new StoreRefusal('full');
    const at = now();
    let id = newEntryId();
    // A clash of random ids within one server is rare; the next id is tried then.
    while (insertEntry.run(guildId, id, draft.question, key, JSON.stringify(draft.phrasings), draft.answer, at, at).changes === 0) id = newEntryId();
    record(guildId, id, 'add', actor, at);
    return toEntry(getEntry.get(guildId, id)!);
  });
  const edit = db.transaction((guildId: string, id: string, draft: ServerEntryDraft, actor: Buffer): ServerEntry | undefined => {
    if (!getEntry.get(guildId, id)) return undefined;
    const key = questionKey(draft.question);
    refuseDuplicate(guildId, key, id);
    const at = now();
    updateEntry.run(draft.question, key, JSON.stringify(draft.phrasings), draft.answer, at, guildId, id);
    record(guildId, id, 'edit', actor, at);
    return toEntry(getEntry.get(guildId, id)!);
  });
  const remove = db.transaction((guildId: string, id: string, actor: Buffer): boolean => {
    if (deleteEntry.run(guildId, id).changes === 0) return false;
    record(guildId, id, 'remove', actor, now());
    return true;
  });

  return {
    kind: 'sqlite',
    async list(guildId) {
      return listEntries.all(guildId).map(toEntry);
    },
    async add(guildId, draft, actor) {
      return add.immediate(guildId, draft, checkActor(actor));
    },
    async edit(guildId, id, draft, actor) {
      return edit.immediate(guildId, id, draft, checkActor(actor));
    },
    async remove(guildId, id, actor) {
      return remove.immediate(guildId, id, checkActor(actor));
    },
    async changesSince(cursor) {
      const rows = changedGuilds.all(cursor);
      return { cursor: rows.reduce((last, row) => Math.max(last, row.last), cursor), guildIds: rows.map((row) => row.guild_id) };
    },
    async latestCursor() {
      return latestChange.get()!.last;
    },
    async audit(guildId, limit) {
      return auditRows.all(guildId, auditLimit(limit)).map((row) => ({ action: row.action, entryId: row.entry_id, actor: row.actor.toString('hex'), at: row.at }) satisfies AuditRow);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

function toEntry(row: EntryRow): ServerEntry {
  return {
    id: row.id,
    guildId: row.guild_id,
    question: row.question,
    phrasings: JSON.parse(row.phrasings) as string[],
    answer: row.answer,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function openDatabase(path: string, busyTimeoutMs: number): Database.Database {
  try {
    return openSqliteFile(path, { busyTimeoutMs, migrate: (db) => migrate(db, path) });
  } catch (error) {
    if (error instanceof ServerKnowledgeStoreError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new ServerKnowledgeStoreError(
      `The server knowledge database ${path} cannot be opened (${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}): check that the file and its folder are writable by this user and that the disk has room.`,
      { cause: error },
    );
  }
}

function migrate(db: Database.Database, path: string): void {
  // One write lock over reading the version and every step: processes opening a new file at once
  // take turns, and the later ones find the tables made.
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS server_knowledge_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const version = db.prepare<[], { version: number }>('SELECT COALESCE(MAX(version), 0) AS version FROM server_knowledge_migrations').get()!.version;
    if (version > SQLITE_SCHEMA_VERSION) {
      throw new ServerKnowledgeStoreError(
        `The server knowledge tables in ${path} have schema version ${version}, newer than this version of the bot knows (${SQLITE_SCHEMA_VERSION}): update the bot.`,
      );
    }
    const applied = db.prepare<[number, number]>('INSERT INTO server_knowledge_migrations (version, applied_at) VALUES (?, ?)');
    for (let step = version; step < SQLITE_SCHEMA_VERSION; step++) {
      db.exec(MIGRATIONS[step]!);
      applied.run(step + 1, Date.now());
    }
  }).immediate();
}

