/**
 * `npm run bench:http`: requests per second and latency of the HTTP interactions endpoint under
 * load from signed requests, for one replica and for two. Each replica is `npm run start:http` as a
 * process (node dist/http/main.js); the load generator spreads requests over the replicas in turn,
 * as a load balancer would, over keep-alive connections. Requests are signed before the clock
 * starts, so signing costs the generator nothing while it measures.
 *
 * The mix: /zapytaj questions from the project's question sets (answers and not-found), autocomplete
 * as the user types, and topic buttons, each from one of 10,000 users (so the per-user limit does
 * not decide the result). Exits 1 when a target is missed.
 *
 * Environment: BENCH_SECONDS (default 8 per scenario), BENCH_CONNECTIONS (default 32).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { APIInteraction } from 'discord-api-types/v10';
import { makeAutocompleteInteraction, makeButtonInteraction, makeChatInputInteraction, makeUser, startDiscordServer } from '../support/discord-server/index.ts';
import { freePort } from '../support/free-port.ts';
import { makeSigningKeys, signatureHeaders, type SigningKeys } from '../support/http-interactions.ts';
import { loadQuestionSet, QUESTION_SETS } from '../support/question-sets.ts';
import { formatMs, summarize } from './percentiles.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARM_UP_MS = 1500;
const REQUESTS = 4000;
/** Targets for one replica on a small machine; generous, so that a miss means a real regression. */
const TARGETS = { minRequestsPerSecond: 500, maxP99Ms: 50 };

interface Prepared {
  body: Buffer;
  headers: Record<string, string>;
}

function prepare(keys: SigningKeys): Prepared[] {
  const questions = QUESTION_SETS.development.flatMap((name) => loadQuestionSet(name)).map((q) => q.q);
  const users = Array.from({ length: 10_000 }, () => makeUser());
  const prepared: Prepared[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const user = users[i % users.length]!;
    const question = questions[i % questions.length]!;
    let interaction: APIInteraction;
    if (i % 4 === 3) interaction = makeAutocompleteInteraction({ name: 'zapytaj', focusedOption: 'pytanie', value: question.slice(0, 1 + (i % 12)), locale: 'pl', user });
    else if (i % 8 === 5) interaction = makeButtonInteraction({ customId: 'topic:back-office:pl', locale: 'pl', user });
    else interaction = makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: question }, locale: i % 3 === 0 ? 'en-US' : 'pl', user });
    const body = Buffer.from(JSON.stringify(interaction));
    prepared.push({ body, headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...signatureHeaders(keys, body) } });
  }
  return prepared;
}

async function startReplica(keys: SigningKeys, apiBase: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [`${ROOT}dist/http/main.js`], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_API_BASE: apiBase,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_QUESTIONS: '1000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const healthy = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/health' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
    if (healthy) return { port, child };
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`replica did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Result {
  requestsPerSecond: number;
  latencies: number[];
  errors: number;
  statuses: Map<number, number>;
}

async function load(ports: number[], prepared: Prepared[]): Promise<Result> {
  const agents = ports.map(() => new Agent({ keepAlive: true, maxSockets: CONNECTIONS }));
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  let next = 0;
  let measuring = false;
  let measured = 0;
  const stopAt = performance.now() + WARM_UP_MS + SECONDS * 1000;
  const one = (index: number) =>
    new Promise<void>((resolve) => {
      const item = prepared[index % prepared.length]!;
      const target = index % ports.length;
      const startedAt = performance.now();
      const req = request({ host: '127.0.0.1', port: ports[target], path: '/interactions', method: 'POST', headers: item.headers, agent: agents[target] }, (res) => {
        res.resume();
        res.on('end', () => {
          if (measuring) {
            latencies.push(performance.now() - startedAt);
            statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
            measured++;
          }
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(item.body);
    });
  const worker = async () => {
    while (performance.now() < stopAt) await one(next++);
  };
  setTimeout(() => (measuring = true), WARM_UP_MS).unref();
  const measureStart = performance.now() + WARM_UP_MS;
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const seconds = (performance.now() - measureStart) / 1000;
  for (const agent of agents) agent.destroy();
  return { requestsPerSecond: measured / seconds, latencies, errors, statuses };
}

async function main(): Promise<void> {
  const keys = makeSigningKeys();
  const discord = await startDiscordServer({ validate: false });
  const prepared = prepare(keys);
  const replicas: { port: number; child: ChildProcess }[] = [];
  let failed = false;
  try {
    process.stdout.write(`HTTP interactions bench: ${CONNECTIONS} keep-alive connections, ${SECONDS} s per scenario after ${WARM_UP_MS} ms warm-up, ${availableParallelism()} CPUs (generator and replicas share them)\n\n`);
    process.stdout.write('| replicas | requests/s | p50 | p99 | max | errors | statuses |\n| --- | --- | --- | --- | --- | --- | --- |\n');
    for (const count of [1, 2]) {
      while (replicas.length < count) replicas.push(await startReplica(keys, discord.apiBase));
      const result = await load(
        replicas.map((r) => r.port),
        prepared,
      );
      const s = summarize(result.latencies);
      const statuses = [...result.statuses].map(([status, n]) => `${status}: ${n}`).join(', ');
      process.stdout.write(
        `| ${count} | ${Math.round(result.requestsPerSecond)} | ${formatMs(s.p50)} | ${formatMs(s.p99)} | ${formatMs(s.max)} | ${result.errors} | ${statuses} |\n`,
      );
      if (count === 1 && (result.requestsPerSecond < TARGETS.minRequestsPerSecond || s.p99 > TARGETS.maxP99Ms || result.errors > 0 || result.statuses.size !== 1 || !result.statuses.has(200))) {
        failed = true;
      }
    }
    process.stdout.write(`\nTarget for one replica: at least ${TARGETS.minRequestsPerSecond} requests/s, p99 under ${TARGETS.maxP99Ms} ms, every response 200: ${failed ? 'FAIL' : 'ok'}\n`);
  } finally {
    for (const replica of replicas) replica.child.kill('SIGTERM');
    await discord.close();
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
