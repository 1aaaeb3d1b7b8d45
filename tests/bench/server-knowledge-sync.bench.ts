/**
 * `npm run bench:server-knowledge` (second part): the time from an admin's `add` to the first answer
 * with that entry, in the process that added it and in another process on the same database, on a
 * SQLite file and on PostgreSQL (Debian's, started for the bench). Each of the two processes is a
 * service with its own store connection, as two bot processes have. Also the longest the event loop
 * was held while the entries changed and were searched. Exits 1 when a target is missed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { userHasher } from '../../src/feedback/user-hash.ts';
import { createLogger } from '../../src/log.ts';
import { SERVER_ENTRY_LIMITS } from '../../src/server-knowledge/entry.ts';
import { openPostgresServerKnowledge } from '../../src/server-knowledge/postgres-store.ts';
import { startServerKnowledge, type ServerKnowledge } from '../../src/server-knowledge/service.ts';
import { openSqliteServerKnowledge } from '../../src/server-knowledge/sqlite-store.ts';
import type { ServerKnowledgeStore } from '../../src/server-knowledge/store.ts';
import { startPostgres } from '../support/postgres-server.ts';
import { formatTable } from './table.ts';

const TARGETS = { sameProcessMs: 2000, otherProcessMs: 2000, eventLoopMs: 50 };
const ROUNDS = 10;
const GUILD = '1200000000000000001';
const hashUser = userHasher('bench-key-for-server-knowledge-0123456789');
const logger = createLogger({ level: 'silent' });

interface Measured {
  storage: string;
  sameMs: number[];
  otherMs: number[];
  maxDelayMs: number;
}

/** Polls until `knowledge` answers `question` with an entry whose answer is `answer`; the ms it took from `since`. */
async function firstAnswer(knowledge: ServerKnowledge, question: string, answer: string, since: number): Promise<number> {
  for (;;) {
    const match = await knowledge.match(GUILD, question);
    if (match?.entry.answer === answer) return performance.now() - since;
    if (performance.now() - since > 10_000) throw new Error(`"${question}" was not answered within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function measure(storage: string, open: () => Promise<ServerKnowledgeStore>): Promise<Measured> {
  const [adding, other] = await Promise.all([startServerKnowledge({ store: await open(), hashUser, logger }), startServerKnowledge({ store: await open(), hashUser, logger })]);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const result: Measured = { storage, sameMs: [], otherMs: [], maxDelayMs: 0 };
  try {
    // A full server: the index rebuilt after each change has 500 entries.
    for (let i = 0; i < SERVER_ENTRY_LIMITS.entries - ROUNDS; i++) {
      await adding.add(GUILD, { question: `Pytanie numer ${i} o kanał ${i % 37}`, phrasings: [`question ${i}`], answer: `Odpowiedź ${i}.` }, 'admin');
    }
    // Both have read the server once, as bots that answered there before.
    await Promise.all([adding.match(GUILD, 'pytanie numer 1'), other.match(GUILD, 'pytanie numer 1')]);
    delay.enable();
    for (let round = 0; round < ROUNDS; round++) {
      const answer = `Spotkanie ${round}: w czwartek o 18.`;
      const startedAt = performance.now();
      await adding.add(GUILD, { question: `Kiedy jest meetup numer ${round}?`, phrasings: [`meetup ${round} date`], answer }, 'admin');
      result.sameMs.push(await firstAnswer(adding, `kiedy jest meetup numer ${round}`, answer, startedAt));
      result.otherMs.push(await firstAnswer(other, `kiedy jest meetup numer ${round}`, answer, startedAt));
    }
    delay.disable();
    result.maxDelayMs = delay.max / 1e6;
  } finally {
    await Promise.all([adding.close(), other.close()]);
  }
  return result;
}

const dir = mkdtempSync(join(tmpdir(), 'server-knowledge-sync-'));
const postgres = await startPostgres();
const results: Measured[] = [];
try {
  results.push(await measure('SQLite file', async () => openSqliteServerKnowledge(join(dir, 'bench.db'))));
  results.push(await measure('PostgreSQL', () => openPostgresServerKnowledge(postgres.url)));
} finally {
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}

const max = (values: number[]) => Math.max(...values);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;
console.log(`\nFrom add to the first answer with the new entry (${ROUNDS} adds to a server of ${SERVER_ENTRY_LIMITS.entries} entries)\n`);
console.log(
  formatTable(
    ['storage', 'same process: median', 'max', 'other process: median', 'max', 'event loop held at most'],
    results.map((r) => [r.storage, ms(median(r.sameMs)), ms(max(r.sameMs)), ms(median(r.otherMs)), ms(max(r.otherMs)), ms(r.maxDelayMs)]),
  ),
);

const checks = results.flatMap((r) => [
  [`${r.storage}: same process, slowest add to answer`, max(r.sameMs), TARGETS.sameProcessMs],
  [`${r.storage}: other process, slowest add to answer`, max(r.otherMs), TARGETS.otherProcessMs],
  [`${r.storage}: event loop held at most`, r.maxDelayMs, TARGETS.eventLoopMs],
] as const);
console.log(`\n${formatTable(['target', 'measured', 'goal', 'result'], checks.map(([what, value, goal]) => [what, ms(value), `<= ${goal} ms`, value <= goal ? 'ok' : 'MISSED']))}\n`);
const missed = checks.filter(([, value, goal]) => value > goal).length;
console.log(missed === 0 ? `${checks.length}/${checks.length} targets met.` : `FAIL: ${missed} of ${checks.length} targets missed.`);
process.exit(missed === 0 ? 0 : 1);
