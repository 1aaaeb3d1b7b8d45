import { loadAnswerer } from '../../src/answering/load.ts';
/**
 * One bot under load, in a process of its own so that its memory, CPU time and event loop are
 * measured apart from the Discord test server and the load generator. Forked by load.bench.ts,
 * never run directly.
 *
 *   argv[2]  "bot": the real bot (startBot, the same wiring `npm start` uses), log level info;
 *            "bare": a plain discord.js client with the same intents and partials that replies to
 *            every DM and mention with one fixed string.
 *   env      LOAD_API_BASE (the test server's REST base), LOAD_TOKEN, and the bot's RATE_LIMIT_*.
 *
 * IPC: sends { type: 'ready' } once connected; answers { type: 'snapshot' } with memory (after a
 * forced GC), CPU time and the log lines counted since the last snapshot; exits on
 * { type: 'stop' } or when the parent goes away.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Events, Partials, type Message } from 'discord.js';
import { fixedKnowledge } from '../../src/bot/context.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/gateway/bot.ts';
import { INTENTS } from '../../src/gateway/client.ts';
import { createLogger, logProcessFailures } from '../../src/log.ts';
import { answerCacheCounts } from '../../src/bot/answer-cache.ts';
import { BARE_REPLY, LIFTED_GLOBAL_REQUESTS_PER_SECOND, type FromTarget, type LogCounts, type Snapshot, type TargetKind, type ToTarget } from './load-protocol.ts';

const emptyCounts = (): LogCounts => ({ byMsg: {}, answeredByKind: {}, rateLimited: { notice: 0, silent: 0 }, problems: {}, problemSamples: [], droppedIds: [] });
const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

let counts = emptyCounts();

/** The pino destination: counts lines instead of writing them; the answered lines cross-check the replies. */
function countingDestination(): Writable {
  let partial = '';
  const count = (line: string) => {
    let parsed: { level?: number; msg?: string; kind?: string; notified?: boolean; messageId?: string };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      bump(counts.problems, 'unparsable log line');
      return;
    }
    const msg = parsed.msg ?? '(no msg)';
    bump(counts.byMsg, msg);
    if (msg === 'answered') bump(counts.answeredByKind, parsed.kind ?? '(no kind)');
    if (msg === 'rate limited') counts.rateLimited[parsed.notified ? 'notice' : 'silent'] += 1;
    if (msg === 'not answering: reply queue full' && parsed.messageId) counts.droppedIds.push(parsed.messageId);
    // The reply queue's own warning is the bound at work, reported with its drops, not a problem.
    if ((parsed.level ?? 0) >= 40 && msg !== 'reply queue full: not answering the oldest questions until it drains') {
      bump(counts.problems, msg);
      if (counts.problemSamples.length < 5) counts.problemSamples.push(line.slice(0, 400));
    }
  };
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line !== '') count(line);
      callback();
    },
  });
}

function send(message: FromTarget): void {
  process.send?.(message);
}

const RSS_SAMPLES = 3;
const RSS_SAMPLE_GAP_MS = 150;

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

async function snapshot(client: Client<true> | undefined): Promise<Snapshot> {
  // Read before the forced GCs below, and reset after them, so that they count in no phase.
  const delay = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
  const cpuTime = () => {
    const cpu = process.cpuUsage();
    return cpu.user + cpu.system;
  };
  const cpuMicros = cpuTime();
  const gc = (globalThis as { gc?: () => void }).gc;
  let rss = Number.POSITIVE_INFINITY;
  let memory = process.memoryUsage();
  for (let sample = 0; sample < RSS_SAMPLES; sample += 1) {
    // Twice: the first pass may only schedule finalizers whose memory the second one frees.
    gc?.();
    gc?.();
    memory = process.memoryUsage();
    rss = Math.min(rss, memory.rss);
    await sleep(RSS_SAMPLE_GAP_MS);
  }
  loopDelay.reset();
  const log = counts;
  counts = emptyCounts();
  // The bot keeps no discord.js client, and so no cache at all.
  const members = client?.guilds.cache.reduce((sum, guild) => sum + guild.members.cache.size, 0) ?? 0;
  return {
    rss,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    cached: { channels: client?.channels.cache.size ?? 0, users: client?.users.cache.size ?? 0, members },
    cpuMicros,
    cpuMicrosAfterGc: cpuTime(),
    loopDelay: delay,
    log,
    ...(withAnswerCache ? { answerCache: answerCacheCounts() } : {}),
  };
}

interface Running {
  /** The bare bot's discord.js client; the real bot has none. */
  client?: Client<true>;
  rest: { options: { globalRequestsPerSecond: number } };
  userId: string;
  stop: () => Promise<void>;
  rateLimit?: { questions: number; windowSeconds: number };
}

/** Set for the real bot, whose answer cache the snapshots report. */
let withAnswerCache = false;

async function startRealBot(apiBase: string, token: string): Promise<Running> {
  withAnswerCache = true;
  const config = loadConfig(
    {
      DISCORD_TOKEN: token,
      DISCORD_API_BASE: apiBase,
      LOG_LEVEL: 'info',
      RATE_LIMIT_QUESTIONS: process.env.RATE_LIMIT_QUESTIONS,
      RATE_LIMIT_WINDOW_SECONDS: process.env.RATE_LIMIT_WINDOW_SECONDS,
    },
    ['token'],
  );
  const logger = createLogger({ level: config.logLevel, destination: countingDestination(), secrets: [token] });
  // As npm start does: process warnings become log lines.
  logProcessFailures(logger);
  const bot = await startBot(config, { knowledge: fixedKnowledge(loadAnswerer()), logger });
  return { rest: bot.client.rest, userId: bot.userId, stop: () => bot.stop(), rateLimit: { ...config.rateLimit } };
}

async function startBareBot(apiBase: string, token: string): Promise<Running> {
  // discord.js drops DMs from channels it has not cached unless the Channel partial is on.
  const client = new Client({ intents: [...INTENTS], partials: [Partials.Channel], rest: { api: apiBase } });
  client.on(Events.MessageCreate, (message: Message) => {
    if (message.author.bot || message.author.id === client.user?.id) return;
    const addressed = !message.inGuild() || message.mentions.users.has(client.user?.id ?? '');
    if (!addressed) return;
    const sent = message.inGuild() ? message.reply(BARE_REPLY) : message.channel.isSendable() ? message.channel.send(BARE_REPLY) : undefined;
    sent?.catch((error: unknown) => bump(counts.problems, `reply failed: ${String(error).slice(0, 80)}`));
  });
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(token);
  const readyClient = await ready;
  return { client: readyClient, rest: readyClient.rest, userId: readyClient.user.id, stop: () => client.destroy() };
}

async function main(): Promise<void> {
  const kind = process.argv[2] as TargetKind;
  const apiBase = process.env.LOAD_API_BASE ?? '';
  const token = process.env.LOAD_TOKEN ?? '';
  // Never outlive the bench: without a parent there is no one to stop this process.
  process.on('disconnect', () => process.exit(0));
  const running = kind === 'bot' ? await startRealBot(apiBase, token) : await startBareBot(apiBase, token);
  running.rest.options.globalRequestsPerSecond = LIFTED_GLOBAL_REQUESTS_PER_SECOND;

  process.on('message', (message: ToTarget) => {
    if (message.type === 'snapshot') {
      snapshot(running.client)
        .then((taken) => send({ type: 'snapshot', id: message.id, snapshot: taken }))
        .catch((error: unknown) => send({ type: 'failed', error: String(error) }));
    } else if (message.type === 'stop') {
      const exit = setTimeout(() => process.exit(0), 3000);
      exit.unref();
      running.stop().finally(() => process.exit(0));
    }
  });
  send({ type: 'ready', userId: running.userId, ...(running.rateLimit && { rateLimit: running.rateLimit }) });
}

if (process.send) {
  main().catch((error: unknown) => {
    send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  });
}
