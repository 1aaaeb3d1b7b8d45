/**
 * Servers' own entries, stored: the same suite on a SQLite file and on a PostgreSQL server started
 * for it. Round trips, refusals (duplicate questions, the 500 limit), servers kept apart, the change
 * log other processes follow, the audit trail, and two writers racing for the last free places.
 */
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFeedbackStore, SCHEMA_VERSION as FEEDBACK_SCHEMA_VERSION } from '../src/feedback/store.ts';
import { SERVER_ENTRY_LIMITS, type ServerEntryDraft } from '../src/server-knowledge/entry.ts';
import { openPostgresServerKnowledge } from '../src/server-knowledge/postgres-store.ts';
import { openSqliteServerKnowledge } from '../src/server-knowledge/sqlite-store.ts';
import {
  ENTRY_ID_PATTERN,
  questionKey,
  ServerKnowledgeStoreError,
  StoreRefusal,
  type ServerKnowledgeOptions,
  type ServerKnowledgeStore,
} from '../src/server-knowledge/store.ts';
import { readRows } from './support/feedback-db.ts';
import { freePort } from './support/free-port.ts';
import { startPostgres, type TestPostgres } from './support/postgres-server.ts';

const ROOT = new URL('../', import.meta.url);
const ADMIN_ID = '312345678901234567';
const OTHER_ADMIN_ID = '412345678901234568';
const actorOf = (userId: string) => createHmac('sha256', 'k'.repeat(64)).update(userId).digest();
const ADMIN = actorOf(ADMIN_ID);
const OTHER_ADMIN = actorOf(OTHER_ADMIN_ID);

/** A clock the tests move by hand, shared by every store the suite opens. */
let time = Date.UTC(2025, 0, 15, 12);
const now = () => time;
const tick = (ms = 1000) => (time += ms);

let guildCount = 0;
/** A server id no other test uses: every test works on servers of its own in the shared database. */
const newGuild = () => `10000000000000${String(++guildCount).padStart(4, '0')}`;

const draft = (question: string, answer = `Odpowiedź na: ${question}`, phrasings: string[] = []): ServerEntryDraft => ({ question, phrasings, answer });

interface TestDatabase {
  /** A store on the database, as another process would open it. */
  open(options?: ServerKnowledgeOptions): Promise<ServerKnowledgeStore>;
  /** What a worker thread passes to the compiled store: the file's path or the URL. */
  target: string;
  /** Every row of a table, read past the store. */
  rows(table: string): Promise<Record<string, unknown>[]>;
  /** Column names of a table. */
  columns(table: string): Promise<string[]>;
  stop(): Promise<void>;
  path?: string;
  postgres?: TestPostgres;
}

interface Backend {
  kind: 'sqlite' | 'postgres';
  start(): Promise<TestDatabase>;
}

const BACKENDS: Backend[] = [
  {
    kind: 'sqlite',
    async start() {
      const dir = mkdtempSync(join(tmpdir(), 'server-knowledge-'));
      const path = join(dir, 'bot.db');
      return {
        path,
        target: path,
        open: async (options) => openSqliteServerKnowledge(path, options),
        rows: async (table) => readRows(path, `SELECT * FROM ${table}`),
        columns: async (table) => readRows<{ name: string }>(path, `SELECT name FROM pragma_table_info('${table}')`).map((column) => column.name),
        stop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    kind: 'postgres',
    async start() {
      const postgres = await startPostgres();
      const query = async <T extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => {
        const client = new pg.Client({ connectionString: postgres.url });
        await client.connect();
        try {
          return (await client.query<T>(sql, values)).rows;
        } finally {
          await client.end();
        }
      };
      return {
        postgres,
        target: postgres.url,
        open: (options) => openPostgresServerKnowledge(postgres.url, options),
        rows: (table) => query(`SELECT * FROM ${table}`),
        columns: async (table) =>
          (await query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table])).map((column) => column.column_name),
        stop: () => postgres.stop(),
      };
    },
  },
];

describe.each(BACKENDS)('the $kind server knowledge store', (backend) => {
  let database: TestDatabase;
  let store: ServerKnowledgeStore;

  beforeAll(async () => {
    database = await backend.start();
    store = await database.open({ now });
  });
  afterAll(async () => {
    await store?.close();
    await database?.stop();
  });

  it('adds, lists oldest first, edits and removes entries', async () => {
    const guild = newGuild();
    expect(store.kind).toBe(backend.kind);
    expect(await store.list(guild)).toEqual([]);

    const addedAt = tick();
    const meetup = await store.add(guild, draft('Kiedy jest meetup?', 'W każdy czwartek o 18:00 w #wydarzenia.', ['Kiedy spotkanie?', 'meetup — kiedy? 🎉']), ADMIN);
    expect(meetup).toEqual({
      id: expect.stringMatching(ENTRY_ID_PATTERN),
      guildId: guild,
      question: 'Kiedy jest meetup?',
      phrasings: ['Kiedy spotkanie?', 'meetup — kiedy? 🎉'],
      answer: 'W każdy czwartek o 18:00 w #wydarzenia.',
      createdAt: addedAt,
      updatedAt: addedAt,
    });
    tick();
    const jobs = await store.add(guild, draft('Gdzie są oferty pracy?', 'Na kanale #praca.'), ADMIN);
    // Added in the same millisecond: still in the order they were added.
    const rules = await store.add(guild, draft('Gdzie jest regulamin?'), ADMIN);
    expect(jobs.id).not.toBe(meetup.id);
    expect(await store.list(guild)).toEqual([meetup, jobs, rules]);

    const editedAt = tick();
    const edited = await store.edit(guild, meetup.id, draft('Kiedy jest następny meetup?', 'W czwartek 20 lutego.', []), OTHER_ADMIN);
    expect(edited).toEqual({ ...meetup, question: 'Kiedy jest następny meetup?', phrasings: [], answer: 'W czwartek 20 lutego.', updatedAt: editedAt });
    // An edit keeps the entry's place: it is as old as it was.
    expect(await store.list(guild)).toEqual([edited, jobs, rules]);

    expect(await store.remove(guild, jobs.id, ADMIN)).toBe(true);
    expect(await store.remove(guild, jobs.id, ADMIN)).toBe(false);
    expect(await store.edit(guild, jobs.id, draft('Gdzie są oferty?'), ADMIN)).toBeUndefined();
    expect(await store.list(guild)).toEqual([edited, rules]);
  });

  it('refuses a question the server already has, whatever its case, spaces or diacritics', async () => {
    const guild = newGuild();
    const meetup = await store.add(guild, draft('Kiedy jest meetup?'), ADMIN);
    const jobs = await store.add(guild, draft('Gdzie są oferty pracy?'), ADMIN);
    const before = await store.latestCursor();

    for (const same of ['kiedy  jest MEETUP?', '  Kiedy\tjest\nmeetup? ', 'Kiédy jest meetüp?', 'ＫＩＥＤＹ jest meetup?']) {
      await expect(store.add(guild, draft(same), ADMIN)).rejects.toThrow(expect.objectContaining({ name: 'StoreRefusal', reason: 'duplicate' }));
    }
    const refusal = await store.edit(guild, jobs.id, draft('KIEDY JEST MEETUP?'), ADMIN).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StoreRefusal);
    expect((refusal as StoreRefusal).reason).toBe('duplicate');
    // Nothing was written by a refusal: no change for other processes, no audit row.
    expect(await store.latestCursor()).toBe(before);
    expect(await store.audit(guild)).toHaveLength(2);

    // An entry's own question, written differently, is not a duplicate of itself.
    expect(await store.edit(guild, meetup.id, draft('KIEDY jest meetup?'), ADMIN)).toMatchObject({ question: 'KIEDY jest meetup?' });
    // Another server may ask the same.
    expect(await store.add(newGuild(), draft('Kiedy jest meetup?'), ADMIN)).toMatchObject({ question: 'Kiedy jest meetup?' });
    // The question freed by a removal can be added again.
    expect(await store.remove(guild, jobs.id, ADMIN)).toBe(true);
    expect(await store.add(guild, draft('gdzie są OFERTY pracy?'), ADMIN)).toMatchObject({ question: 'gdzie są OFERTY pracy?' });
  });

  it(`holds ${SERVER_ENTRY_LIMITS.entries} entries per server and refuses one more`, async () => {
    const guild = newGuild();
    for (let i = 0; i < SERVER_ENTRY_LIMITS.entries; i++) await store.add(guild, draft(`Pytanie ${i}?`), ADMIN);
    const before = await store.latestCursor();

    await expect(store.add(guild, draft('Jedno za dużo?'), ADMIN)).rejects.toThrow(expect.objectContaining({ reason: 'full' }));
    const entries = await store.list(guild);
    expect(entries).toHaveLength(SERVER_ENTRY_LIMITS.entries);
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(SERVER_ENTRY_LIMITS.entries);
    expect(await store.latestCursor()).toBe(before);
    // Full is per server; and a removal makes room again.
    expect(await store.add(newGuild(), draft('Jedno za dużo?'), ADMIN)).toMatchObject({ question: 'Jedno za dużo?' });
    expect(await store.remove(guild, entries[0]!.id, ADMIN)).toBe(true);
    expect(await store.add(guild, draft('Jedno za dużo?'), ADMIN)).toMatchObject({ question: 'Jedno za dużo?' });
  });

  it("keeps one server's entries out of another's reach", async () => {
    const mine = newGuild();
    const theirs = newGuild();
    const entry = await store.add(mine, draft('Kiedy jest meetup?'), ADMIN);

    expect(await store.list(theirs)).toEqual([]);
    expect(await store.edit(theirs, entry.id, draft('Przejęte?'), OTHER_ADMIN)).toBeUndefined();
    expect(await store.remove(theirs, entry.id, OTHER_ADMIN)).toBe(false);
    expect(await store.audit(theirs)).toEqual([]);
    expect(await store.list(mine)).toEqual([entry]);
  });

  it('reports which servers changed since a cursor, one change per add, edit and remove', async () => {
    const first = newGuild();
    const second = newGuild();
    const start = await store.latestCursor();
    expect(await store.changesSince(start)).toEqual({ cursor: start, guildIds: [] });

    const entry = await store.add(first, draft('Kiedy jest meetup?'), ADMIN);
    const other = await store.add(second, draft('Gdzie jest regulamin?'), ADMIN);
    await store.edit(first, entry.id, draft('Kiedy jest meetup w lutym?'), ADMIN);
    const changed = await store.changesSince(start);
    expect(changed.cursor).toBe(start + 3);
    expect(changed.guildIds.toSorted()).toEqual([first, second].toSorted());
    expect(await store.latestCursor()).toBe(changed.cursor);
    expect(await store.changesSince(changed.cursor)).toEqual({ cursor: changed.cursor, guildIds: [] });

    expect(await store.remove(second, other.id, ADMIN)).toBe(true);
    expect(await store.changesSince(changed.cursor)).toEqual({ cursor: changed.cursor + 1, guildIds: [second] });

    // What changes nothing makes no change row.
    await expect(store.add(first, draft('kiedy jest meetup w LUTYM?'), ADMIN)).rejects.toBeInstanceOf(StoreRefusal);
    expect(await store.edit(first, 'zzzzzzzz', draft('Nie ma takiego?'), ADMIN)).toBeUndefined();
    expect(await store.remove(second, other.id, ADMIN)).toBe(false);
    expect(await store.latestCursor()).toBe(changed.cursor + 1);

    // 0 is the start of the log: every server that ever changed.
    const all = await store.changesSince(0);
    expect(all.cursor).toBe(changed.cursor + 1);
    expect(all.guildIds).toEqual(expect.arrayContaining([first, second]));
    expect(new Set(all.guildIds).size).toBe(all.guildIds.length);
  });

  it('keeps an audit trail of who changed what, as the actor hash only, newest first', async () => {
    const guild = newGuild();
    const addedAt = tick();
    const entry = await store.add(guild, draft('Kiedy jest meetup?'), ADMIN);
    const editedAt = tick();
    await store.edit(guild, entry.id, draft('Kiedy jest meetup w lutym?'), OTHER_ADMIN);
    const removedAt = tick();
    await store.remove(guild, entry.id, ADMIN);

    expect(await store.audit(guild)).toEqual([
      { action: 'remove', entryId: entry.id, actor: ADMIN.toString('hex'), at: removedAt },
      { action: 'edit', entryId: entry.id, actor: OTHER_ADMIN.toString('hex'), at: editedAt },
      { action: 'add', entryId: entry.id, actor: ADMIN.toString('hex'), at: addedAt },
    ]);
    expect(await store.audit(guild, 1)).toEqual([{ action: 'remove', entryId: entry.id, actor: ADMIN.toString('hex'), at: removedAt }]);

    // The stored row holds the hash as bytes, beside what was done and when; nothing of the admin else.
    expect(await database.columns('server_audit')).toEqual(['seq', 'guild_id', 'entry_id', 'action', 'actor', 'at']);
    const rows = (await database.rows('server_audit')).filter((row) => row.guild_id === guild).sort((a, b) => Number(a.seq) - Number(b.seq));
    expect(rows.map((row) => Buffer.from(row.actor as Uint8Array))).toEqual([ADMIN, OTHER_ADMIN, ADMIN]);
    // No table of the store holds a raw user id, as text or as bytes.
    for (const table of ['server_entries', 'server_changes', 'server_audit', 'server_knowledge_migrations']) {
      const text = (await database.rows(table)).flatMap((row) => Object.values(row).map((value) => (Buffer.isBuffer(value) ? value.toString('latin1') : String(value)))).join('\n');
      for (const id of [ADMIN_ID, OTHER_ADMIN_ID]) {
        expect(text).not.toContain(id);
      }
    }
  });

  it('refuses an actor that is not a hash, and writes nothing', async () => {
    const guild = newGuild();
    const before = await store.latestCursor();
    await expect(store.add(guild, draft('Kiedy jest meetup?'), ADMIN_ID as unknown as Buffer)).rejects.toBeInstanceOf(TypeError);
    await expect(store.add(guild, draft('Kiedy jest meetup?'), Buffer.alloc(0))).rejects.toBeInstanceOf(TypeError);
    expect(await store.list(guild)).toEqual([]);
    expect(await store.latestCursor()).toBe(before);
  });

  it('lets one store instance see what another added, through the change log', async () => {
    const guild = newGuild();
    const other = await database.open({ now });
    try {
      const cursor = await other.latestCursor();
      const entry = await store.add(guild, draft('Kiedy jest meetup?'), ADMIN);
      expect(await other.changesSince(cursor)).toEqual({ cursor: cursor + 1, guildIds: [guild] });
      expect(await other.list(guild)).toEqual([entry]);

      const mine = await store.latestCursor();
      expect(await other.remove(guild, entry.id, ADMIN)).toBe(true);
      expect(await store.changesSince(mine)).toEqual({ cursor: mine + 1, guildIds: [guild] });
      expect(await store.list(guild)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('lets two writers racing for the last free places neither pass the limit nor duplicate a question', async () => {
    const guild = newGuild();
    const free = 20;
    for (let i = 0; i < SERVER_ENTRY_LIMITS.entries - free; i++) await store.add(guild, draft(`Pytanie wstępne ${i}?`), ADMIN);
    const before = await store.latestCursor();

    // Both try the same 30 questions, written differently, at the same time, from opposite ends of
    // the list: they race for the last places with different questions, then for the same ones.
    const questions = Array.from({ length: 30 }, (_, i) => `Pytanie numer ${i}?`);
    const variants = questions.map((question) => question.toUpperCase().replace('A', 'Á').replace(' ', '  ')).reverse();
    const outcomes = await raceAdds(backend.kind, database.target, guild, [questions, variants]);

    expect(outcomes.flatMap((outcome) => outcome.failures)).toEqual([]);
    expect(outcomes.reduce((sum, outcome) => sum + outcome.added, 0)).toBe(free);
    const entries = await store.list(guild);
    expect(entries).toHaveLength(SERVER_ENTRY_LIMITS.entries);
    expect(new Set(entries.map((entry) => questionKey(entry.question))).size).toBe(SERVER_ENTRY_LIMITS.entries);
    expect(await store.latestCursor()).toBe(before + free);
  });

  if (backend.kind === 'sqlite') it('shares its file with the feedback tables, owner-only, leaving their schema version alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'server-knowledge-shared-'));
    const openKnowledge = async (path: string) => {
      const opened = openSqliteServerKnowledge(path);
      await opened.add(newGuild(), draft('Kiedy jest meetup?'), ADMIN);
      await opened.close();
    };
    try {
      for (const [name, order] of [['feedback-first.db', ['feedback', 'knowledge']], ['knowledge-first.db', ['knowledge', 'feedback']]] as const) {
        // In a folder that does not exist yet: it is made, owner-only like the file.
        const path = join(dir, name.replace('.db', ''), name);
        for (const which of order) {
          if (which === 'feedback') openFeedbackStore(path).close();
          else await openKnowledge(path);
        }
        expect(readRows(path, 'PRAGMA user_version')).toEqual([{ user_version: FEEDBACK_SCHEMA_VERSION }]);
        expect(readRows(path, 'SELECT version FROM server_knowledge_migrations')).toEqual([{ version: 1 }]);
        const tables = readRows<{ name: string }>(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").map((table) => table.name);
        expect(tables).toEqual(['questions', 'server_audit', 'server_changes', 'server_entries', 'server_knowledge_migrations', 'votes']);
        expect(statSync(path).mode & 0o777).toBe(0o600);
        expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
        // Both open again, each finding its tables as it left them.
        openFeedbackStore(path).close();
        await openKnowledge(path);
        expect(readRows(path, 'SELECT COUNT(*) AS entries FROM server_entries')).toEqual([{ entries: 2 }]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  if (backend.kind === 'postgres') it('creates its tables once when several processes start on a new database at once', async () => {
    const url = await database.postgres!.createDatabase('fresh_start');
    const opened = await Promise.allSettled(Array.from({ length: 4 }, () => openPostgresServerKnowledge(url)));
    const stores = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    try {
      expect(opened.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []))).toEqual([]);
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      const { rows } = await check.query('SELECT version FROM server_knowledge_migrations');
      await check.end();
      expect(rows).toEqual([{ version: 1 }]);
      await stores[0]!.add(newGuild(), draft('Kiedy jest meetup?'), ADMIN);
      expect(await stores[3]!.latestCursor()).toBe(1);
    } finally {
      await Promise.all(stores.map((opened) => opened.close()));
    }
  });

  if (backend.kind === 'postgres') it('refuses tables a newer version of the bot has migrated, changing nothing', async () => {
    const url = await database.postgres!.createDatabase('from_the_future');
    await (await openPostgresServerKnowledge(url)).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('INSERT INTO server_knowledge_migrations (version, applied_at) VALUES (99, 0)');
      const error = await openPostgresServerKnowledge(url).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ServerKnowledgeStoreError);
      expect((error as Error).message).toMatch(/^The server knowledge tables in postgres:\/\/\S+\/from_the_future have schema version 99, newer than this version of the bot knows \(1\): update the bot\.$/);
      const { rows } = await client.query('SELECT version FROM server_knowledge_migrations ORDER BY version');
      expect(rows).toEqual([{ version: 1 }, { version: 99 }]);
    } finally {
      await client.end();
    }
  });

  if (backend.kind === 'postgres') it("says what to fix when the database cannot be used, without the URL's password", async () => {
    const server = database.postgres!;
    const closedPort = await freePort();
    const cases = [
      { url: `postgres://postgres:s3cret-Pa55@127.0.0.1:${closedPort}/bot`, says: [`postgres://postgres:***@127.0.0.1:${closedPort}/bot`, 'ECONNREFUSED', 'check that PostgreSQL runs'] },
      { url: `postgres://postgres:s3cret-Pa55@127.0.0.1:${server.port}/no_such_db?sslpassword=hunter22`, says: [`postgres://postgres:***@127.0.0.1:${server.port}/no_such_db?sslpassword=***`, '3D000', 'create the database'] },
      { url: 'postgres://postgres:s3cret-Pa55@127.0.0.1:99999999/bot', says: ['cannot be read', 'postgres://user:password@host:port/database'] },
    ];
    for (const { url, says } of cases) {
      const error = await openPostgresServerKnowledge(url, { connectionTimeoutMs: 5000 }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ServerKnowledgeStoreError);
      for (const words of says) expect((error as Error).message).toContain(words);
      const everything = inspect(error, { depth: 10, showHidden: true });
      expect(everything).not.toContain('s3cret-Pa55');
      expect(everything).not.toContain('hunter22');
    }
  });
});

interface RaceOutcome {
  added: number;
  /** Anything other than a refusal: a failure of the store. */
  failures: string[];
}

/**
 * Adds each list of questions from a worker thread of its own, each with its own store instance
 * (the compiled one, as a process of the bot runs it), all starting at the same moment.
 */
async function raceAdds(kind: 'sqlite' | 'postgres', target: string, guildId: string, lists: string[][]): Promise<RaceOutcome[]> {
  const module = new URL(`dist/server-knowledge/${kind}-store.js`, ROOT).href;
  const workers = lists.map((questions) => new Worker(RACER, { eval: true, workerData: { kind, module, target, guildId, questions, actor: ADMIN.toString('hex') } }));
  try {
    // events.once rejects when the worker fails ('error'); each worker posts twice: ready, then its outcome.
    await Promise.all(workers.map((worker) => once(worker, 'message')));
    const outcomes = workers.map(async (worker) => (await once(worker, 'message'))[0] as RaceOutcome);
    for (const worker of workers) worker.postMessage('go');
    return await Promise.all(outcomes);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** A racing writer: opens its store, says it is ready, waits for the start, adds its questions one by one. */
const RACER = `
const { parentPort, workerData } = require('node:worker_threads');
const { kind, module, target, guildId, questions, actor } = workerData;
(async () => {
  const stores = await import(module);
  const store = kind === 'sqlite'
    ? stores.openSqliteServerKnowledge(target, { busyTimeoutMs: 20000 })
    : await stores.openPostgresServerKnowledge(target);
  parentPort.postMessage('ready');
  await new Promise((resolve) => parentPort.once('message', resolve));
  const outcome = { added: 0, failures: [] };
  for (const question of questions) {
    try {
      await store.add(guildId, { question, phrasings: [], answer: 'Tak.' }, Buffer.from(actor, 'hex'));
      outcome.added++;
    } catch (error) {
      if (error.reason !== 'duplicate' && error.reason !== 'full') outcome.failures.push(String(error));
    }
  }
  await store.close();
  parentPort.postMessage(outcome);
})().catch((error) => parentPort.postMessage({ added: 0, failures: [String(error && error.stack || error)] }));
`;
