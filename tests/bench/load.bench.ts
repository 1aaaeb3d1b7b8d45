import { loadAnswerer } from '../../src/answering/load.ts';
import { loadKnowledgeBase } from '../../src/knowledge/load.ts';
/**
 * Load benchmark: the real bot and a bare discord.js bot, one after the other, each in a process of
 * its own against a fresh Discord test server on 127.0.0.1, under the same two loads:
 *
 *   1. a burst: 1,000 questions from 50 users, as DMs and as mentions in 10 channels, dispatched in
 *      one go;
 *   2. a steady phase: 10,000 questions at a fixed rate, from enough users that the per-user rate
 *      limit is not what is measured (the bot runs with its real limiter all the same).
 *
 * Per phase it reports answered / rate-limited (notice, then silent) / lost questions, latency from
 * the gateway dispatch to the reply reaching the REST API (both stamped with performance.now() in
 * this process), REST requests and CPU time; then the bot process's memory before and after the
 * steady phase. The bot runs with the node flags of `npm start`.
 *
 * Targets, checked in the steady phase: the bot's latency p50 and p99 within 1.1x the bare bot's, and
 * its CPU time per question within 1.5x; no question lost in any phase (dropped by the bot's bounded
 * reply queue, with a log line, is not lost); bot RSS growth under 10%. Exits 1 when one is missed.
 * Run with `npm run bench:load`; with LOAD_PROFILE_DIR set, each bot process also writes a CPU profile
 * (`.cpuprofile`) into a folder of that directory named after it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { APIUser } from 'discord-api-types/v10';
import { ChannelType } from 'discord.js';
import { type Answerer } from '../../src/answering/answer.ts';
import { answerQuestion } from '../../src/bot/replies.ts';
import { questionText } from '../../src/gateway/message-question.ts';
import { LANGS } from '../../src/knowledge/schema.ts';
import { MESSAGES } from '../../src/responder/messages.ts';
import { makeUser, nextSnowflake, startDiscordServer, type DiscordTestServer, type GuildSpec, type RecordedRequest } from '../support/discord-server/index.ts';
import { analysePhase, type PhaseOutcome, type RecordedReply, type ReplyKind, type SentQuestion } from './load-analysis.ts';
import {
  BARE_REPLY,
  DISCORD_GLOBAL_REQUESTS_PER_SECOND,
  LIFTED_GLOBAL_REQUESTS_PER_SECOND,
  type FromTarget,
  type LogCounts,
  type LoopDelay,
  type Snapshot,
  type TargetKind,
  type ToTarget,
} from './load-protocol.ts';
import { formatMs, summarize } from './percentiles.ts';
import { seededRandom } from './random.ts';
import { formatTable } from './table.ts';

const SETTINGS = {
  seed: 0x10ad,
  burst: { questions: 1_000, users: 50 },
  steady: { questions: 10_000, perSecond: 300 },
  /** Before the burst, so that it meets a warm process; its users are not reused. */
  warmUp: { questions: 300, users: 100, perSecond: 300 },
  guilds: 2,
  channelsPerGuild: 5,
  dmShare: 0.3,
  /** The bot's defaults, set explicitly so that the figures below stay right if the defaults change. */
  rateLimit: { questions: 5, windowSeconds: 30 },
  /** A phase is over once every question has a reply, or nothing reached the server for this long. */
  quietMs: 2_500,
  drainTimeoutMs: 45_000,
  readyTimeoutMs: 20_000,
  /** The whole run is cut off here, whatever happens. */
  deadlineMs: 240_000,
  memoryGrowthLimit: 0.1,
  /** Steady phase: the bot's latency p50 and p99 at most this many times the bare bot's... */
  latencyRatioLimit: 1.1,
  /** ...and its CPU time per question at most this many times. */
  cpuRatioLimit: 1.5,
} as const;

const TARGET_FILE = fileURLToPath(new URL('./load-target.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The node flags `npm start` runs the bot with (package.json), so the bot here runs as in production. */
function startFlags(): string[] {
  const start = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  return start.slice(start.indexOf('node') + 1, start.indexOf('dist/main.js'));
}
const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.LoAd00.bG9hZC1iZW5jaC10b2tlbi1ub3QtYS1zZWNyZXQ';
const LIMIT_ENV = `RATE_LIMIT_QUESTIONS=${SETTINGS.rateLimit.questions}, RATE_LIMIT_WINDOW_SECONDS=${SETTINGS.rateLimit.windowSeconds}`;

// ---- the load, planned once and replayed identically against both targets ----------------------

interface PlannedQuestion {
  user: APIUser;
  /** A DM, or a mention in this guild channel. */
  channelId: string | undefined;
  text: string;
}

interface Plan {
  warmUp: PlannedQuestion[];
  burst: PlannedQuestion[];
  steady: PlannedQuestion[];
  steadyUsers: number;
  distinctTexts: number;
}

const GUILDS: GuildSpec[] = Array.from({ length: SETTINGS.guilds }, (_, g) => ({
  id: nextSnowflake(),
  name: `Load ${g + 1}`,
  channels: Array.from({ length: SETTINGS.channelsPerGuild }, (_, c) => ({ id: nextSnowflake(), name: `questions-${c + 1}`, type: ChannelType.GuildText })),
}));
const CHANNEL_IDS = GUILDS.flatMap((guild) => guild.channels.map((channel) => channel.id));

/**
 * Enough users that none sends more than the limit within one window at the steady rate: each sends
 * `limit` questions, spaced users/rate apart, all inside 90% of a window.
 */
function steadyUserCount(): number {
  const { questions, perSecond } = SETTINGS.steady;
  const { questions: limit, windowSeconds } = SETTINGS.rateLimit;
  return Math.max(Math.ceil(questions / limit), Math.ceil(questions - 0.9 * windowSeconds * perSecond));
}

function makePlan(texts: readonly string[]): Plan {
  const random = seededRandom(SETTINGS.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const users = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => makeUser({ username: `${prefix}${i + 1}` }));
  // Every question is a text of its own, drawn without repeats: the bot's answer cache serves none,
  // so each one is read, answered and rendered.
  const order = [...texts];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let drawn = 0;
  const next = () => order[drawn++ % order.length]!;
  const question = (user: APIUser): PlannedQuestion => ({ user, channelId: random() < SETTINGS.dmShare ? undefined : pick(CHANNEL_IDS), text: next() });

  const warmUpUsers = users(SETTINGS.warmUp.users, 'warm');
  const burstUsers = users(SETTINGS.burst.users, 'asker');
  const steadyUsers = users(steadyUserCount(), 'steady');
  return {
    warmUp: Array.from({ length: SETTINGS.warmUp.questions }, (_, i) => question(warmUpUsers[i % warmUpUsers.length]!)),
    burst: Array.from({ length: SETTINGS.burst.questions }, () => question(pick(burstUsers))),
    // Round robin: every user sends the same number of questions, evenly spaced.
    steady: Array.from({ length: SETTINGS.steady.questions }, (_, i) => question(steadyUsers[i % steadyUsers.length]!)),
    steadyUsers: steadyUsers.length,
    distinctTexts: new Set(texts).size,
  };
}

// ---- what a reply is ---------------------------------------------------------------------------

/** Every embed title the answering path can produce: topics in both languages, not found, greeting, thanks, help, too long. */
function answerTitles(answerer: Answerer): Set<string> {
  const titles = new Set<string>();
  for (const entry of answerer.kb.entries) for (const lang of LANGS) titles.add(entry.title[lang]);
  for (const lang of LANGS) {
    const text = MESSAGES[lang];
    for (const title of [text.notFoundTitle, text.greetingTitle, text.thanksTitle, text.helpTitle, text.tooLongTitle, text.topicsTitle]) titles.add(title);
  }
  return titles;
}

interface ReplyBody {
  content?: string;
  embeds?: { title?: string }[];
  message_reference?: { message_id?: string };
}

/** The bot's answers carry a known title (in an embed, or bold on the first line as plain text); anything else it sends is a notice. */
function classifier(kind: TargetKind, titles: ReadonlySet<string>): (body: ReplyBody) => { kind: ReplyKind; title: string | undefined } {
  if (kind === 'bare') return (body) => ({ kind: body.content === BARE_REPLY ? 'answer' : 'notice', title: undefined });
  return (body) => {
    const title = body.embeds?.[0]?.title ?? /^\*\*(.+?)\*\*\n/.exec(body.content ?? '')?.[1];
    // A compound answer's title joins its parts' titles.
    const known = title !== undefined && title.split(' · ').every((part) => titles.has(part));
    return { kind: known ? 'answer' : 'notice', title };
  };
}

const isReply = (request: RecordedRequest) => request.method === 'POST' && /^\/channels\/\d+\/messages$/.test(request.path);
const isTyping = (request: RecordedRequest) => request.method === 'POST' && /^\/channels\/\d+\/typing$/.test(request.path);

// ---- the bot process ---------------------------------------------------------------------------

interface Target {
  kind: TargetKind;
  userId: string;
  /** The limit as the bot's configuration holds it. */
  rateLimit: { questions: number; windowSeconds: number } | undefined;
  snapshot(): Promise<Snapshot>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function startTarget(kind: TargetKind, server: DiscordTestServer): Promise<Target> {
  const child = fork(TARGET_FILE, [kind], {
    execArgv: [...(kind === 'bot' ? startFlags() : []), ...(process.env.LOAD_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LOAD_PROFILE_DIR}/${kind}`] : []), '--expose-gc', '--import', 'tsx'],
    env: {
      ...process.env,
      LOAD_API_BASE: server.apiBase,
      LOAD_TOKEN: TOKEN,
      RATE_LIMIT_QUESTIONS: String(SETTINGS.rateLimit.questions),
      RATE_LIMIT_WINDOW_SECONDS: String(SETTINGS.rateLimit.windowSeconds),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then(() => children.delete(child)).catch(() => undefined);

  const pending = new Map<number, (snapshot: Snapshot) => void>();
  let nextId = 1;
  const ready = new Promise<Extract<FromTarget, { type: 'ready' }>>((resolve, reject) => {
    child.on('message', (message: FromTarget) => {
      if (message.type === 'ready') resolve(message);
      else if (message.type === 'failed') reject(new Error(`the ${kind} process failed:\n${message.error}`));
      else if (message.type === 'snapshot') pending.get(message.id)?.(message.snapshot);
    });
    exited.then((code) => reject(new Error(`the ${kind} process exited (code ${code}) before it was ready`))).catch(() => undefined);
  });
  const command = (message: ToTarget) => {
    if (child.connected) child.send(message);
  };
  try {
    const { userId, rateLimit } = await withTimeout(ready, SETTINGS.readyTimeoutMs, `the ${kind} process to be ready`);
    return {
      kind,
      userId,
      rateLimit,
      snapshot() {
        const id = nextId++;
        const answer = new Promise<Snapshot>((resolve) => pending.set(id, resolve));
        command({ type: 'snapshot', id });
        return withTimeout(answer, 15_000, `a snapshot of the ${kind} process`).finally(() => pending.delete(id));
      },
      async stop() {
        command({ type: 'stop' });
        // Writing a CPU profile on exit takes a while.
        await withTimeout(exited, process.env.LOAD_PROFILE_DIR ? 60_000 : 5_000, `the ${kind} process to exit`).catch(() => child.kill('SIGKILL'));
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

// ---- running a phase ---------------------------------------------------------------------------

interface PhaseRun {
  outcome: PhaseOutcome;
  firstSentAt: number;
  lastSentAt: number;
  lastReplyAt: number;
  requests: { replies: number; typing: number; other: number; rejected: number };
  cpuMs: number;
  /** Event-loop delay in the bot process, and in this one (test server and load generator). */
  botLoop: LoopDelay;
  loadLoop: LoopDelay;
  log: LogCounts;
  drainTimedOut: boolean;
}

interface TargetRun {
  kind: TargetKind;
  rateLimit: Target['rateLimit'];
  atReady: Snapshot;
  beforeSteady: Snapshot;
  afterSteady: Snapshot;
  burst: PhaseRun;
  steady: PhaseRun;
}

class Load {
  readonly dmOwners = new Map<string, string>();
  private readonly classify: (body: ReplyBody) => { kind: ReplyKind; title: string | undefined };

  constructor(
    readonly server: DiscordTestServer,
    readonly target: Target,
    private readonly expectedTitles: ReadonlyMap<string, string | undefined>,
    titles: ReadonlySet<string>,
  ) {
    this.classify = classifier(target.kind, titles);
  }

  /** One MESSAGE_CREATE on the gateway: a DM, or a message mentioning the bot. */
  send(planned: PlannedQuestion): SentQuestion {
    const sentAt = performance.now();
    const message = planned.channelId
      ? this.server.sendMessage({ channel_id: planned.channelId, author: planned.user, content: `<@${this.target.userId}> ${planned.text}` })
      : this.server.sendMessage({ dm: true, author: planned.user, content: planned.text });
    if (!planned.channelId) this.dmOwners.set(message.channel_id, planned.user.id);
    return {
      id: message.id,
      userId: planned.user.id,
      channelId: message.channel_id,
      dm: !planned.channelId,
      sentAt,
      expectedTitle: this.target.kind === 'bot' ? this.expectedTitles.get(planned.text) : undefined,
    };
  }

  /** All at once, in one synchronous loop: as fast as this process can dispatch. */
  burst(questions: readonly PlannedQuestion[]): SentQuestion[] {
    return questions.map((question) => this.send(question));
  }

  /** At a fixed rate: every few milliseconds, whatever is due by now is dispatched. */
  async paced(questions: readonly PlannedQuestion[], perSecond: number): Promise<SentQuestion[]> {
    const sent: SentQuestion[] = [];
    const start = performance.now();
    while (sent.length < questions.length) {
      const due = Math.min(questions.length, Math.floor(((performance.now() - start) * perSecond) / 1000) + 1);
      while (sent.length < due) sent.push(this.send(questions[sent.length]!));
      await sleep(2);
    }
    return sent;
  }

  /** Waits until every question has a reply, or the server has heard nothing for a while. */
  async drain(fromIndex: number, questions: number): Promise<{ endIndex: number; timedOut: boolean }> {
    const { requests } = this.server;
    const started = performance.now();
    let cursor = fromIndex;
    let replies = 0;
    let lastActivity = started;
    for (;;) {
      for (; cursor < requests.length; cursor += 1) {
        if (isReply(requests[cursor]!)) replies += 1;
        lastActivity = performance.now();
      }
      const now = performance.now();
      if (replies >= questions || now - lastActivity >= SETTINGS.quietMs) return { endIndex: cursor, timedOut: false };
      if (now - started >= SETTINGS.drainTimeoutMs) return { endIndex: cursor, timedOut: true };
      await sleep(50);
    }
  }

  async phase(run: () => SentQuestion[] | Promise<SentQuestion[]>, before: Snapshot): Promise<{ phase: PhaseRun; after: Snapshot }> {
    const fromIndex = this.server.requests.length;
    const loadLoop = monitorEventLoopDelay({ resolution: 10 });
    loadLoop.enable();
    const sent = await run();
    const { endIndex, timedOut } = await this.drain(fromIndex, sent.length);
    loadLoop.disable();
    const after = await this.target.snapshot();
    const recorded = this.server.requests.slice(fromIndex, endIndex);
    const replies: RecordedReply[] = recorded.filter((request) => isReply(request) && request.status === 200).map((request) => {
      const body = (request.body ?? {}) as ReplyBody;
      const { kind, title } = this.classify(body);
      return { channelId: request.path.split('/')[2] ?? '', at: request.at, reference: body.message_reference?.message_id, kind, title };
    });
    const outcome = analysePhase(sent, replies, {
      dmOwners: this.dmOwners,
      limiterWindowMs: SETTINGS.rateLimit.windowSeconds * 1000,
      dropped: new Set(after.log.droppedIds),
    });
    const replyRequests = recorded.filter(isReply);
    return {
      after,
      phase: {
        outcome,
        firstSentAt: sent[0]?.sentAt ?? Number.NaN,
        lastSentAt: sent.at(-1)?.sentAt ?? Number.NaN,
        lastReplyAt: replyRequests.reduce((last, request) => Math.max(last, request.at), sent.at(-1)?.sentAt ?? Number.NaN),
        requests: {
          replies: replyRequests.length,
          typing: recorded.filter(isTyping).length,
          other: recorded.filter((request) => !isReply(request) && !isTyping(request)).length,
          rejected: recorded.filter((request) => request.status >= 400).length,
        },
        cpuMs: (after.cpuMicros - before.cpuMicrosAfterGc) / 1000,
        botLoop: after.loopDelay,
        loadLoop: { p99: loadLoop.percentile(99) / 1e6, max: loadLoop.max / 1e6 },
        log: after.log,
        drainTimedOut: timedOut,
      },
    };
  }
}

async function runTarget(kind: TargetKind, plan: Plan, expectedTitles: ReadonlyMap<string, string | undefined>, titles: ReadonlySet<string>): Promise<TargetRun> {
  const server = await startDiscordServer({ guilds: GUILDS });
  try {
    const target = await startTarget(kind, server);
    try {
      const load = new Load(server, target, expectedTitles, titles);
      const atReady = await target.snapshot();
      const warmUp = await load.phase(() => load.paced(plan.warmUp, SETTINGS.warmUp.perSecond), atReady);
      const burst = await load.phase(() => load.burst(plan.burst), warmUp.after);
      const steady = await load.phase(() => load.paced(plan.steady, SETTINGS.steady.perSecond), burst.after);
      return { kind, rateLimit: target.rateLimit, atReady, beforeSteady: burst.after, afterSteady: steady.after, burst: burst.phase, steady: steady.phase };
    } finally {
      await target.stop();
    }
  } finally {
    await server.close();
  }
}

// ---- report ------------------------------------------------------------------------------------

const count = (n: number) => n.toLocaleString('en');
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const signedPercent = (ratio: number) => `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)}%`;

function section(title: string): void {
  console.log(`\n${title}\n${'='.repeat(title.length)}`);
}

function phaseRows(runs: readonly TargetRun[], pick: (run: TargetRun) => PhaseRun): string[][] {
  const cells = (f: (phase: PhaseRun, run: TargetRun) => string) => runs.map((run) => f(pick(run), run));
  const latency = (phase: PhaseRun) => summarize(phase.outcome.answerLatencies);
  const noticeLatency = (phase: PhaseRun) => summarize(phase.outcome.noticeLatencies);
  const activeMs = (phase: PhaseRun) => phase.lastReplyAt - phase.firstSentAt;
  return [
    ['questions dispatched', ...cells((p) => count(p.outcome.questions))],
    ['dispatch time (first to last)', ...cells((p) => formatMs(p.lastSentAt - p.firstSentAt))],
    ['dispatch rate achieved', ...cells((p) => `${count(Math.round(p.outcome.questions / ((p.lastSentAt - p.firstSentAt) / 1000)))}/s`)],
    ['answered (answer or not-found)', ...cells((p) => count(p.outcome.answered))],
    ['rate-limited, with notice', ...cells((p) => count(p.outcome.notices))],
    ['rate-limited, silent after notice', ...cells((p) => count(p.outcome.silent))],
    ['dropped by the reply queue (logged)', ...cells((p) => count(p.outcome.dropped))],
    ['lost', ...cells((p) => count(p.outcome.lost))],
    ['latency p50 (dispatch -> reply at REST)', ...cells((p) => formatMs(latency(p).p50))],
    ['latency p99', ...cells((p) => formatMs(latency(p).p99))],
    ['latency max', ...cells((p) => formatMs(latency(p).max))],
    ['notice latency p50 / max', ...cells((p) => (p.outcome.notices ? `${formatMs(noticeLatency(p).p50)} / ${formatMs(noticeLatency(p).max)}` : '-'))],
    ['first dispatch to last reply', ...cells((p) => formatMs(activeMs(p)))],
    ['REST: replies / typing / other', ...cells((p) => `${count(p.requests.replies)} / ${count(p.requests.typing)} / ${count(p.requests.other)}`)],
    ['REST: rejected (4xx/5xx)', ...cells((p) => count(p.requests.rejected))],
    ['CPU time of the bot process', ...cells((p) => formatMs(p.cpuMs))],
    ['CPU per question', ...cells((p) => formatMs(p.cpuMs / p.outcome.questions))],
    ['CPU load while active (1 core = 100%)', ...cells((p) => `${((p.cpuMs / activeMs(p)) * 100).toFixed(0)}%`)],
    ['event-loop delay p99 / max, bot process', ...cells((p) => `${formatMs(p.botLoop.p99)} / ${formatMs(p.botLoop.max)}`)],
    ['event-loop delay p99 / max, load process', ...cells((p) => `${formatMs(p.loadLoop.p99)} / ${formatMs(p.loadLoop.max)}`)],
  ];
}

function consistencyNotes(runs: readonly TargetRun[], phaseName: string, pick: (run: TargetRun) => PhaseRun): string[] {
  const notes: string[] = [];
  for (const run of runs) {
    const phase = pick(run);
    const { outcome, log } = phase;
    const where = `${run.kind}, ${phaseName}`;
    if (phase.drainTimedOut) notes.push(`${where}: replies were still coming after ${SETTINGS.drainTimeoutMs / 1000} s; later ones count as lost.`);
    if (outcome.duplicates) notes.push(`${where}: ${outcome.duplicates} second replies to an already answered question.`);
    if (outcome.unmatched) notes.push(`${where}: ${outcome.unmatched} replies matched no question.`);
    if (outcome.differing) notes.push(`${where}: ${outcome.differing} answers differ from the answering core's answer to the question alone (a DM is read in the light of the bot's last answer in it).`);
    if (run.kind === 'bot') {
      const logged = log.byMsg.answered ?? 0;
      const kinds = Object.entries(log.answeredByKind).map(([kind, n]) => `${kind} ${count(n)}`).join(', ');
      notes.push(`${where}: bot log has ${count(logged)} "answered" lines (${kinds || 'none'}) for ${count(outcome.answered)} answers at the REST API: ${logged === outcome.answered ? 'consistent' : 'MISMATCH'}.`);
      const limitedLines = log.rateLimited.notice + log.rateLimited.silent;
      const consistent = log.rateLimited.notice === outcome.notices && log.rateLimited.silent === outcome.silent;
      notes.push(
        `${where}: bot log has ${count(limitedLines)} "rate limited" lines (${count(log.rateLimited.notice)} notified, ${count(log.rateLimited.silent)} not) ` +
          `for ${count(outcome.notices)} notices and ${count(outcome.silent)} silent found at the REST API: ${consistent ? 'consistent' : 'MISMATCH'}.`,
      );
      const others = Object.entries(log.byMsg).filter(([msg]) => msg !== 'answered' && msg !== 'rate limited');
      if (others.length) notes.push(`${where}: other bot log lines: ${others.map(([msg, n]) => `"${msg}" ${count(n)}`).join(', ')}.`);
    }
    const problems = Object.entries(log.problems);
    if (problems.length) {
      notes.push(`${where}: warnings/errors: ${problems.map(([msg, n]) => `"${msg}" ${count(n)}`).join(', ')}`);
      for (const sample of log.problemSamples) notes.push(`    ${sample}`);
    }
    for (const lost of outcome.lostSamples) notes.push(`${where}: lost: message ${lost.id} from user ${lost.userId} (${lost.dm ? 'DM' : `mention in ${lost.channelId}`}).`);
  }
  return notes;
}

function report(runs: readonly TargetRun[], plan: Plan, questionCount: string, startedAt: number, loadAtStart: number): void {
  const headers = ['', ...runs.map((run) => run.kind)];
  const bot = runs.find((run) => run.kind === 'bot');
  const burstMix = mix(plan.burst);
  const steadyMix = mix(plan.steady);

  section('Load bench: the bot vs a bare discord.js bot, over the Discord test server on 127.0.0.1');
  console.log(
    [
      `machine: ${availableParallelism()} CPUs, Node ${process.version}; load average (1 min) ${loadAtStart.toFixed(2)} at the start, ${(loadavg()[0] ?? 0).toFixed(2)} at the end`,
      'processes: each bot in its own (forked, --expose-gc), one after the other; the test server and the load generator in this one',
      `bot:  startBot (the npm start wiring): real handlers, rate limiter, reply queue, answer cache, rendering; log level info, lines counted; node ${startFlags().join(' ') || '(no flags)'} as npm start`,
      `bare: discord.js Client with the same intents (Guilds, GuildMessages, DirectMessages) and partials (Channel), replies "${BARE_REPLY}"`,
      `questions: ${questionCount}; ${Math.round(SETTINGS.dmShare * 100)}% DMs, the rest mentions in ${CHANNEL_IDS.length} channels of ${GUILDS.length} servers`,
      `rate limit: ${SETTINGS.rateLimit.questions} questions per ${SETTINGS.rateLimit.windowSeconds} s per user (${LIMIT_ENV}); ` +
        `the bot's configuration holds ${bot?.rateLimit ? `${bot.rateLimit.questions} per ${bot.rateLimit.windowSeconds} s` : 'no rate limit'}`,
      `warm-up before the burst: ${count(SETTINGS.warmUp.questions)} questions from ${SETTINGS.warmUp.users} other users at ${SETTINGS.warmUp.perSecond}/s (not reported)`,
    ].join('\n'),
  );

  section(`1. Burst: ${count(plan.burst.length)} questions from ${SETTINGS.burst.users} users (${burstMix}), dispatched in one go`);
  console.log(formatTable(headers, phaseRows(runs, (run) => run.burst)));
  for (const note of consistencyNotes(runs, 'burst', (run) => run.burst)) console.log(note);

  section(`2. Steady: ${count(plan.steady.length)} questions at ${SETTINGS.steady.perSecond}/s from ${count(plan.steadyUsers)} users (${steadyMix})`);
  const perUser = plan.steady.length / plan.steadyUsers;
  console.log(
    `${count(plan.steadyUsers)} users (none from the burst), ${perUser} questions each, ${(plan.steadyUsers / SETTINGS.steady.perSecond).toFixed(1)} s apart: ` +
      `at most ${perUser} per user within ${((perUser - 1) * plan.steadyUsers / SETTINGS.steady.perSecond).toFixed(1)} s, inside the limit of ${SETTINGS.rateLimit.questions} per ${SETTINGS.rateLimit.windowSeconds} s,\n` +
      'so the rate limiter runs but is not what is measured here; the burst is where it acts.\n',
  );
  console.log(formatTable(headers, phaseRows(runs, (run) => run.steady)));
  for (const note of consistencyNotes(runs, 'steady', (run) => run.steady)) console.log(note);

  section('3. Memory of the bot process (after a forced GC)');
  const growth = (run: TargetRun, key: 'rss' | 'heapUsed') => run.afterSteady[key] / run.beforeSteady[key] - 1;
  console.log(
    formatTable(headers, [
      ['RSS at ready', ...runs.map((run) => mb(run.atReady.rss))],
      ['RSS before the steady phase', ...runs.map((run) => mb(run.beforeSteady.rss))],
      [`RSS after ${count(plan.steady.length)} questions`, ...runs.map((run) => mb(run.afterSteady.rss))],
      ['RSS growth', ...runs.map((run) => signedPercent(growth(run, 'rss')))],
      ['heapUsed before the steady phase', ...runs.map((run) => mb(run.beforeSteady.heapUsed))],
      [`heapUsed after ${count(plan.steady.length)} questions`, ...runs.map((run) => mb(run.afterSteady.heapUsed))],
      ['heapUsed growth', ...runs.map((run) => signedPercent(growth(run, 'heapUsed')))],
      ['heapTotal before / after', ...runs.map((run) => `${mb(run.beforeSteady.heapTotal)} / ${mb(run.afterSteady.heapTotal)}`)],
      ['external before / after', ...runs.map((run) => `${mb(run.beforeSteady.external)} / ${mb(run.afterSteady.external)}`)],
      ['cached channels before / after', ...runs.map((run) => `${count(run.beforeSteady.cached.channels)} / ${count(run.afterSteady.cached.channels)}`)],
      ['cached users before / after', ...runs.map((run) => `${count(run.beforeSteady.cached.users)} / ${count(run.afterSteady.cached.users)}`)],
      ['cached members before / after', ...runs.map((run) => `${count(run.beforeSteady.cached.members)} / ${count(run.afterSteady.cached.members)}`)],
    ]),
  );
  console.log('The bare bot keeps discord.js\'s default caches (up to 200 messages per channel); the bot caches no messages and at most 500 users.');

  section('4. Checks');
  const checks = targetChecks(runs, plan);
  console.log(formatTable(['check', 'value', 'target', 'result'], checks.map((check) => [check.name, check.value, check.target, check.pass ? 'PASS' : 'FAIL']), ['left']));
  const cache = bot?.afterSteady.answerCache;
  if (cache) {
    const served = cache.hits + cache.misses;
    console.log(
      `\nAnswer cache (the bot's answers by question text): ${count(cache.hits)} of ${count(served)} answers served from it since start (${((cache.hits / Math.max(1, served)) * 100).toFixed(0)}%);` +
        ` the questions are drawn from ${plan.distinctTexts} distinct texts.`,
    );
  }

  if (bot) {
    const limited = bot.burst.outcome.notices + bot.burst.outcome.silent + bot.steady.outcome.notices + bot.steady.outcome.silent;
    const perUser = new Map<string, number>();
    for (const question of plan.burst) perUser.set(question.user.id, (perUser.get(question.user.id) ?? 0) + 1);
    const busiest = Math.max(...perUser.values());
    if (limited > 0) {
      console.log(
        `\nRate limiter: active; ${count(limited)} questions rate-limited (burst ${count(bot.burst.outcome.notices)} with notice, ${count(bot.burst.outcome.silent)} silent; ` +
          `steady ${count(bot.steady.outcome.notices)} with notice, ${count(bot.steady.outcome.silent)} silent).`,
      );
    } else if (busiest <= SETTINGS.rateLimit.questions) {
      console.log(`\nRate limiter: not reached; no user sent more than ${busiest} questions in the burst, within the limit of ${SETTINGS.rateLimit.questions}.`);
    } else {
      console.log(
        `\nRate limiter: none observed. In the burst users sent up to ${busiest} questions, over the limit of ${SETTINGS.rateLimit.questions}, and all were answered:\n` +
          'the bot applies no per-user rate limit (RATE_LIMIT_* not in effect), so rate-limited is 0 in every row.',
      );
    }
  }
  console.log(
    `\nNote: on Discord a bot may make ${DISCORD_GLOBAL_REQUESTS_PER_SECOND} requests/s in all, and discord.js enforces that cap on the client side. With one request per\n` +
      `answer, both bots can answer up to ${DISCORD_GLOBAL_REQUESTS_PER_SECOND} DMs/mentions per second; past that the bot's reply queue holds the rest (up to its\n` +
      `memory bound) until they can go. The test server sets no global limit, and the bench raises the client cap to ${count(LIFTED_GLOBAL_REQUESTS_PER_SECOND)}/s in both bots alike,\n` +
      'so that the figures above measure the bots rather than that cap.',
  );
  console.log(`\nTotal run time: ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  if (targetChecks(runs, plan).some((check) => !check.pass)) process.exitCode = 1;
}

interface Check {
  name: string;
  value: string;
  target: string;
  pass: boolean;
}

/** The bench's targets; any FAIL makes it exit 1. */
function targetChecks(runs: readonly TargetRun[], plan: Plan): Check[] {
  const lost = runs.flatMap((run) => [run.burst, run.steady]).reduce((sum, phase) => sum + phase.outcome.lost, 0);
  const checks: Check[] = [{ name: 'lost questions, every phase, both bots', value: count(lost), target: '0', pass: lost === 0 }];
  const bot = runs.find((run) => run.kind === 'bot');
  const bare = runs.find((run) => run.kind === 'bare');
  if (bot) {
    const rss = bot.afterSteady.rss / bot.beforeSteady.rss - 1;
    checks.push({ name: `bot RSS growth over ${count(plan.steady.length)} questions`, value: signedPercent(rss), target: `< ${SETTINGS.memoryGrowthLimit * 100}%`, pass: rss < SETTINGS.memoryGrowthLimit });
  }
  if (bot && bare) {
    const [ours, theirs] = [summarize(bot.steady.outcome.answerLatencies), summarize(bare.steady.outcome.answerLatencies)];
    const ratio = (name: string, a: number, b: number, limit: number) => ({ name, value: `${(a / b).toFixed(2)}x (${formatMs(a)} / ${formatMs(b)})`, target: `<= ${limit}x`, pass: a <= limit * b });
    checks.push(ratio('steady: latency p50, bot / bare', ours.p50, theirs.p50, SETTINGS.latencyRatioLimit));
    checks.push(ratio('steady: latency p99, bot / bare', ours.p99, theirs.p99, SETTINGS.latencyRatioLimit));
    const perQuestion = (run: TargetRun) => run.steady.cpuMs / run.steady.outcome.questions;
    checks.push(ratio('steady: CPU per question, bot / bare', perQuestion(bot), perQuestion(bare), SETTINGS.cpuRatioLimit));
  }
  return checks;
}

function mix(questions: readonly PlannedQuestion[]): string {
  const dms = questions.filter((question) => !question.channelId).length;
  return `${count(dms)} DMs, ${count(questions.length - dms)} mentions`;
}

// ---- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const startedAt = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const deadline = setTimeout(() => {
    console.error(`Load bench: deadline of ${SETTINGS.deadlineMs / 1000} s reached; stopping.`);
    for (const child of children) child.kill('SIGKILL');
    process.exit(2);
  }, SETTINGS.deadlineMs);

  const answerer = loadAnswerer();
  // The corpus's messages, in scope and out of scope: more distinct texts than the bench sends.
  const examples = loadKnowledgeBase().corpus.examples;
  // At most 280 characters: a mention in front must not take a question past the 300 the bot reads.
  const texts = [...new Set(examples.map((example) => example.text))].filter((text) => text.length <= 280);
  // What the answering core answers to each question: the bot's replies are checked against it.
  const expectedTitles = new Map(
    texts.map((text) => [text, answerQuestion(questionText(text), answerer, undefined, { canEmbed: true }).message.embeds?.[0]?.title]),
  );
  const plan = makePlan(texts);
  const inScope = examples.filter((example) => example.entry !== null).length;
  const questionCount = `each a different message of the corpus, drawn at random from its ${texts.length} (${inScope} in scope, ${examples.length - inScope} out of scope)`;

  const runs: TargetRun[] = [];
  for (const kind of ['bot', 'bare'] as const) {
    console.error(`load bench: ${kind}...`);
    runs.push(await runTarget(kind, plan, expectedTitles, answerTitles(answerer)));
  }
  clearTimeout(deadline);
  report(runs, plan, questionCount, startedAt, loadAtStart);
}

main()
  .catch((error: unknown) => {
    console.error('Load bench failed:', error);
    for (const child of children) child.kill('SIGKILL');
    process.exitCode = 1;
  })
  .finally(() => {
    // Everything was closed; should a handle still linger, it must not keep the bench running.
    setTimeout(() => process.exit(), 5_000).unref();
  });
