/**
 * Memory bench: `npm start` as a whole (every process it runs except npm itself) against a plain
 * discord.js client with its default caches and the same intents, one after the other, each logged
 * in to a fresh Discord test server with the same generated servers (20 channels, 15 roles and 10
 * emojis each by default). Reports the resident memory of each once ready, settled a few seconds
 * after, and idle (the lowest over the next half minute without traffic, once V8 has returned what
 * it no longer needs), and the ratios; exits 1 when the bot is above half the plain client's after
 * ready (settled) at 2,500 servers or more.
 *
 *   npm run bench:memory                 # 2,500 servers
 *   npm run bench:memory -- --guilds 500
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateGuilds, startDiscordServer, type GuildSpec } from '../support/discord-server/index.ts';
import { formatTable } from './table.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.MeMo00.bWVtb3J5LWJlbmNoLXRva2VuLW5vdC1hLXNlY3JldA';
/** The goal: the bot at most half the plain client, counted at Discord's sharding threshold. */
export const MEMORY_GOAL_RATIO = 0.5;
export const GOAL_GUILDS = 2500;
const IDLE_SAMPLE_GAP_MS = 2000;

export interface ProcessMemory {
  pid: number;
  command: string;
  rssBytes: number;
}

export interface MemoryRun {
  name: string;
  /** Servers the process reported in its ready line. */
  guilds: number;
  /** From starting the command to its ready line. */
  readyMs: number;
  /** The counted processes (for npm start: its descendants, not npm itself), at the settled sample. */
  processes: ProcessMemory[];
  /** Their total right when ready was logged. */
  atReadyBytes: number;
  /** The lowest total over the samples taken after settling: RSS shrinks lazily after start-up's garbage. */
  settledBytes: number;
  /** The lowest total over `idleMs` more without traffic, if measured. */
  idleBytes: number | undefined;
}

export interface MemoryOptions {
  guilds: number;
  channels?: number;
  roles?: number;
  emojis?: number;
  /** How long to wait after ready before sampling. */
  settleMs?: number;
  samples?: number;
  sampleGapMs?: number;
  /** Keep sampling this much longer, idle (0: not at all). */
  idleMs?: number;
  readyTimeoutMs?: number;
}

/** Every process's parent, from /proc. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command sits in parentheses and may contain spaces; the fields after it are fixed.
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      map.set(Number(entry), Number(after[1]));
    } catch {
      // The process ended while being read.
    }
  }
  return map;
}

function memoryOf(pid: number): ProcessMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return Number.isFinite(rssKb) ? { pid, command, rssBytes: rssKb * 1024 } : undefined;
  } catch {
    return undefined;
  }
}

/** `root` itself (unless excluded) and every process below it. */
export function processTree(root: number, { includeRoot }: { includeRoot: boolean }): ProcessMemory[] {
  const parentOf = parents();
  const pids = new Set<number>(includeRoot ? [root] : []);
  let grew = true;
  const below = new Set<number>([root]);
  while (grew) {
    grew = false;
    for (const [pid, parent] of parentOf) {
      if (below.has(parent) && !below.has(pid)) {
        below.add(pid);
        pids.add(pid);
        grew = true;
      }
    }
  }
  return [...pids].flatMap((pid) => memoryOf(pid) ?? []);
}

const total = (processes: readonly ProcessMemory[]) => processes.reduce((sum, p) => sum + p.rssBytes, 0);

interface Target {
  name: string;
  start(env: NodeJS.ProcessEnv): ChildProcess;
  /** npm itself is not counted, only what it runs. */
  includeRoot: boolean;
}

const TARGETS: Target[] = [
  {
    name: 'npm start (the bot)',
    start: (env) => spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true }),
    includeRoot: false,
  },
  {
    name: 'plain discord.js, default caches',
    start: (env) => spawn(process.execPath, [`${ROOT}tests/bench/default-client.mjs`], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true }),
    includeRoot: true,
  },
];

async function run(target: Target, guilds: GuildSpec[], options: Required<MemoryOptions>): Promise<MemoryRun> {
  const server = await startDiscordServer({ guilds, heartbeatIntervalMs: 41_250 });
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_BASE: server.apiBase,
    LOG_LEVEL: 'info',
    // Blank, so that a developer's own .env cannot change what is measured.
    REDIS_URL: '',
    KNOWLEDGE_FILE: '',
  };
  const startedAt = performance.now();
  const child = target.start(env);
  let stderr = '';
  try {
    const ready = await new Promise<{ guilds: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${target.name} was not ready within ${options.readyTimeoutMs} ms:\n${stderr.slice(-2000)}`)), options.readyTimeoutMs);
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        const line = stderr.split('\n').find((l) => l.includes('"msg":"ready"'));
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as { guilds: number });
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${target.name} exited (code ${code}) before it was ready:\n${stderr.slice(-2000)}`));
      });
    });
    const readyMs = performance.now() - startedAt;
    const atReadyBytes = total(processTree(child.pid!, { includeRoot: target.includeRoot }));
    await sleep(options.settleMs);
    let settled: ProcessMemory[] = [];
    for (let sample = 0; sample < options.samples; sample += 1) {
      const now = processTree(child.pid!, { includeRoot: target.includeRoot });
      if (settled.length === 0 || total(now) < total(settled)) settled = now;
      await sleep(options.sampleGapMs);
    }
    let idleBytes: number | undefined;
    for (let waited = 0; waited < options.idleMs; waited += IDLE_SAMPLE_GAP_MS) {
      await sleep(IDLE_SAMPLE_GAP_MS);
      const now = total(processTree(child.pid!, { includeRoot: target.includeRoot }));
      idleBytes = Math.min(idleBytes ?? Number.POSITIVE_INFINITY, now);
    }
    return { name: target.name, guilds: ready.guilds, readyMs, processes: settled, atReadyBytes, settledBytes: total(settled), idleBytes };
  } finally {
    // The whole group: npm, the shell it starts and node.
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // Already gone.
    }
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
    await server.close();
  }
}

export async function measureMemory(options: MemoryOptions): Promise<{ bot: MemoryRun; plain: MemoryRun }> {
  const settings: Required<MemoryOptions> = { channels: 20, roles: 15, emojis: 10, settleMs: 5000, samples: 6, sampleGapMs: 500, idleMs: 0, readyTimeoutMs: 120_000, ...options };
  const guilds = generateGuilds({ count: settings.guilds, channels: settings.channels, roles: settings.roles, emojis: settings.emojis });
  const [bot, plain] = [await run(TARGETS[0]!, guilds, settings), await run(TARGETS[1]!, guilds, settings)];
  return { bot, plain };
}

/** The goal, on the memory after ready. */
export function meetsGoal(bot: MemoryRun, plain: MemoryRun): boolean {
  return bot.settledBytes <= MEMORY_GOAL_RATIO * plain.settledBytes;
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

async function main(): Promise<void> {
  const guildsArg = process.argv.indexOf('--guilds');
  const guilds = guildsArg >= 0 ? Number(process.argv[guildsArg + 1]) : GOAL_GUILDS;
  if (!Number.isInteger(guilds) || guilds < 1) throw new Error('--guilds must be a whole number of servers, e.g. --guilds 2500');
  const idleMs = 30_000;
  const { bot, plain } = await measureMemory({ guilds, idleMs });
  const ratio = (pick: (run: MemoryRun) => number | undefined) => `${((pick(bot) ?? Number.NaN) / (pick(plain) ?? Number.NaN)).toFixed(2)}x`;
  console.log(`Memory bench: ${guilds.toLocaleString('en')} servers (20 channels, 15 roles, 10 emojis each) over the Discord test server on 127.0.0.1`);
  console.log(
    `machine: ${availableParallelism()} CPUs, Node ${process.version}; RSS settled = the lowest of 6 samples 0.5 s apart, from 5 s after ready; idle = the lowest over the next ${idleMs / 1000} s, no traffic\n`,
  );
  console.log(
    formatTable(
      ['', 'servers', 'ready after', 'RSS at ready', 'RSS settled', 'RSS idle'],
      [
        ...[bot, plain].map((run) => [run.name, run.guilds.toLocaleString('en'), `${(run.readyMs / 1000).toFixed(1)} s`, mb(run.atReadyBytes), mb(run.settledBytes), mb(run.idleBytes ?? Number.NaN)]),
        ['bot / plain client', '', '', ratio((run) => run.atReadyBytes), ratio((run) => run.settledBytes), ratio((run) => run.idleBytes)],
      ],
    ),
  );
  console.log('\nProcesses counted:');
  for (const run of [bot, plain]) for (const p of run.processes) console.log(`  ${run.name}: pid ${p.pid} ${mb(p.rssBytes).padStart(9)}  ${p.command.slice(0, 90)}`);
  const goalApplies = guilds >= GOAL_GUILDS;
  const verdict = goalApplies ? (meetsGoal(bot, plain) ? 'PASS' : 'FAIL') : `not checked below ${GOAL_GUILDS.toLocaleString('en')} servers`;
  console.log(`\nbot / plain client after ready (settled): ${ratio((run) => run.settledBytes)} (goal: at most ${MEMORY_GOAL_RATIO}x) ${verdict}`);
  console.log(
    `Idle, V8 has returned the young generation the plain client's start-up grew (the bot's flags keep its own small): ${ratio((run) => run.idleBytes)}, not part of the goal.`,
  );
  if (goalApplies && !meetsGoal(bot, plain)) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error('Memory bench failed:', error);
    process.exitCode = 1;
  });
}
