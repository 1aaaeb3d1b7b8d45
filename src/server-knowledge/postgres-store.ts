/**
 * Servers' own entries in PostgreSQL, for processes on several hosts sharing one database. Writes
 * to one server take turns under an advisory lock per server (the 500 check and the insert see the
 * same count); change rows take turns under one more lock, so their ids commit in order and a
 * process following the change log never steps over a change committed late.
 */
import { openMigratedPool, shownUrl, type StoreErrors } from '../postgres.ts';
import pg from 'pg';
import { SERVER_ENTRY_LIMITS, type ServerEntry } from './entry.ts';
import {
  auditLimit,
  checkActor,
  newEntryId,
  questionKey,
  ServerKnowledgeStoreError,
  StoreRefusal,
  type AuditAction,
  type ServerKnowledgeOptions,
  type ServerKnowledgeStore,
} from './store.ts';

/** Schema steps in order, the same tables as the SQLite store's. Never edit a shipped step: add one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE server_entries (
     seq bigserial PRIMARY KEY,
     guild_id text NOT NULL,
     id text NOT NULL,
     question text NOT NULL,
     question_key text NOT NULL,
     phrasings text[] NOT NULL,
     answer text NOT NULL,
     created_at bigint NOT NULL,
     updated_at bigint NOT NULL,
     UNIQUE (guild_id, id),
     UNIQUE (guild_id, question_key)
   );
   CREATE TABLE server_changes (
     id bigserial PRIMARY KEY,
     guild_id text NOT NULL,
     changed_at bigint NOT NULL
   );
   CREATE TABLE server_audit (
     seq bigserial PRIMARY KEY,
     guild_id text NOT NULL,
     entry_id text NOT NULL,
     action text NOT NULL CHECK (action IN ('add', 'edit', 'remove')),
     actor bytea NOT NULL,
     at bigint NOT NULL
   );
   CREATE INDEX server_audit_by_guild ON server_audit (guild_id, at);`,
];

export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

const ERRORS: StoreErrors = { store: 'server knowledge', tables: 'server_', error: (message, options) => new ServerKnowledgeStoreError(message, options) };

// Advisory lock keys of this store, chosen to stand apart from other users of the same database.
/** Held while migrating: processes starting together take turns. */
const MIGRATION_LOCK = 7_303_614_100_001n;
/** Held while a change row is written, until commit: change ids become visible in order. */
const CHANGE_LOG_LOCK = 7_303_614_100_002n;
/** The first key of the per-server locks (the second is the hash of the server's id). */
const SERVER_LOCK_CLASS = 730_361_411;

export interface PostgresServerKnowledgeOptions extends ServerKnowledgeOptions {
  /** Connections in the pool: admins' edits and reloads are few. */
  maxConnections?: number;
  /** How long to wait for a connection before failing (milliseconds). */
  connectionTimeoutMs?: number;
}

interface EntryRow {
  guild_id: string;
  id: string;
  question: string;
  phrasings: string[];
  answer: string;
  // bigint columns arrive as text: pg does not guess that they fit a number.
  created_at: string;
  updated_at: string;
}

const ENTRY_COLUMNS = 'guild_id, id, question, phrasings, answer, created_at, updated_at';

/** Connects to the database at `url`, creating and migrating the server_ tables if needed. Throws ServerKnowledgeStoreError, without the URL's password. */
export async function openPostgresServerKnowledge(url: string, options: PostgresServerKnowledgeOptions = {}): Promise<ServerKnowledgeStore> {
  const shown = shownUrl(url, ERRORS);
  const now = options.now ?? Date.now;
  const pool = await openMigratedPool(
    url,
    shown,
    ERRORS,
    { name: 'bpo-discord-bot', max: options.maxConnections ?? 4, connectionTimeoutMs: options.connectionTimeoutMs ?? 10_000 },
    { lock: MIGRATION_LOCK, table: 'server_knowledge_migrations', steps: MIGRATIONS },
  );

  /** Runs `work` in a transaction that holds the server's lock: writes to one server take turns. */
  const inServerTransaction = async <T>(guildId: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SERVER_LOCK_CLASS, guildId]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };
  /** The change row and the audit row of one write, last in its transaction so the change lock is held briefly. */
  const record = async (client: pg.PoolClient, guildId: string, entryId: string, action: AuditAction, actor: Buffer, at: number) => {
    await client.query('INSERT INTO server_audit (guild_id, entry_id, action, actor, at) VALUES ($1, $2, $3, $4, $5)', [guildId, entryId, action, actor, at]);
    await client.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOG_LOCK]);
    await client.query('INSERT INTO server_changes (guild_id, changed_at) VALUES ($1, $2)', [guildId, at]);
  };
  const refuseDuplicate = async (client: pg.PoolClient, guildId: string, key: string, exceptId?: string) => {
    const { rows } = await client.query<{ id: string }>('SELECT id FROM server_entries WHERE guild_id = $1 AND question_key = $2', [guildId, key]);
    if (rows[0] && rows[0].id !== exceptId) throw new StoreRefusal('duplicate');
  };

  let closed = false;
  return {
    kind: 'postgres',
    async list(guildId) {
      const { rows } = await pool.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM server_entries WHERE guild_id = $1 ORDER BY created_at, seq`, [guildId]);
      return rows.map(toEntry);
    },
    async add(guildId, draft, actor) {
      checkActor(actor);
      return inServerTransaction(guildId, async (client) => {
        const key = questionKey(draft.question);
        await refuseDuplicate(client, guildId, key);
        const { rows } = await client.query<{ count: string }>('SELECT COUNT(*) AS count FROM server_entries WHERE guild_id = $1', [guildId]);
        if (Number(rows[0]!.count) >= SERVER_ENTRY_LIMITS.entries) throw new StoreRefusal('full');
        const at = now();
        for (;;) {
          // A clash of random ids within one server is rare; the next id is tried then.
          const inserted = await client.query<EntryRow>(
            `INSERT INTO server_entries (guild_id, id, question, question_key, phrasings, answer, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (guild_id, id) DO NOTHING RETURNING ${ENTRY_COLUMNS}`,
            [guildId, newEntryId(), draft.question, key, [...draft.phrasings], draft.answer, at],
          );
          if (inserted.rows[0]) {
            await record(client, guildId, inserted.rows[0].id, 'add', actor, at);
            return toEntry(inserted.rows[0]);
          }
        }
      });
    },
    async edit(guildId, id, draft, actor) {
      checkActor(actor);
      return inServerTransaction(guildId, async (client) => {
        const key = questionKey(draft.question);
        const existing = await client.query('SELECT 1 FROM server_entries WHERE guild_id = $1 AND id = $2', [guildId, id]);
        if (existing.rowCount === 0) return undefined;
        await refuseDuplicate(client, guildId, key, id);
        const at = now();
        const { rows } = await client.query<EntryRow>(
          `UPDATE server_entries SET question = $3, question_key = $4, phrasings = $5, answer = $6, updated_at = $7
            WHERE guild_id = $1 AND id = $2 RETURNING ${ENTRY_COLUMNS}`,
          [guildId, id, draft.question, key, [...draft.phrasings], draft.answer, at],
        );
        await record(client, guildId, id, 'edit', actor, at);
        return toEntry(rows[0]!);
      });
    },
    async remove(guildId, id, actor) {
      checkActor(actor);
      return inServerTransaction(guildId, async (client) => {
        const deleted = await client.query('DELETE FROM server_entries WHERE guild_id = $1 AND id = $2', [guildId, id]);
        if (deleted.rowCount === 0) return false;
        await record(client, guildId, id, 'remove', actor, now());
        return true;
      });
    },
    async changesSince(cursor) {
      // One statement, so the cursor and the servers come from the same snapshot.
      const { rows } = await pool.query<{ guild_id: string; last: string }>(
        'SELECT guild_id, MAX(id) AS last FROM server_changes WHERE id > $1 GROUP BY guild_id ORDER BY MIN(id)',
        [cursor],
      );
      return { cursor: rows.reduce((last, row) => Math.max(last, Number(row.last)), cursor), guildIds: rows.map((row) => row.guild_id) };
    },
    async latestCursor() {
      const { rows } = await pool.query<{ last: string }>('SELECT COALESCE(MAX(id), 0) AS last FROM server_changes');
      return Number(rows[0]!.last);
    },
    async audit(guildId, limit) {
      const { rows } = await pool.query<{ action: AuditAction; entry_id: string; actor: Buffer; at: string }>(
        'SELECT action, entry_id, actor, at FROM server_audit WHERE guild_id = $1 ORDER BY at DESC, seq DESC LIMIT $2',
        [guildId, auditLimit(limit)],
      );
      return rows.map((row) => ({ action: row.action, entryId: row.entry_id, actor: row.actor.toString('hex'), at: Number(row.at) }));
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

function toEntry(row: EntryRow): ServerEntry {
  return {
    id: row.id,
    guildId: row.guild_id,
    question: row.question,
    phrasings: row.phrasings,
    answer: row.answer,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
