/** What load.bench.ts and the bot process it forks (load-target.ts) say to each other over IPC. */

export type TargetKind = 'bot' | 'bare';

/** The bare bot's whole reply. */
export const BARE_REPLY = 'OK';

/**
 * discord.js holds every bot to Discord's global limit of 50 requests/s on the client side. The
 * test server imposes no limit, so the bench lifts this cap for both targets alike; otherwise the
 * cap, not the bot, would set every figure.
 */
export const LIFTED_GLOBAL_REQUESTS_PER_SECOND = 1_000_000;
export const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 50;

export interface LogCounts {
  /** Lines per message text, e.g. { answered: 980 }. */
  byMsg: Record<string, number>;
  /** "answered" lines per kind (answer, not-found, small-talk, too-long). */
  answeredByKind: Record<string, number>;
  /** "rate limited" lines, by whether the user was told (a notice) or not (silence). */
  rateLimited: { notice: number; silent: number };
  /** Lines at warn or above (and bare-bot reply failures), per message text. */
  problems: Record<string, number>;
  /** The first few of those lines, whole, for the report. */
  problemSamples: string[];
  /** Messages the bot's reply queue did not answer (logged "not answering: reply queue full"). */
  droppedIds: string[];
}

export interface Snapshot {
  /** After a forced GC: the lowest of a few samples taken a moment apart, as RSS shrinks lazily. */
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Memory outside the V8 heap that V8 knows of (buffers and the like). */
  external: number;
  /** What discord.js holds: channels (including one per DM user), users, and guild members. */
  cached: { channels: number; users: number; members: number };
  /** Process CPU time (user + system) since start, microseconds, read before the forced GC... */
  cpuMicros: number;
  /** ...and after it, so that a phase's CPU time does not include the snapshots' own GCs. */
  cpuMicrosAfterGc: number;
  /** The process's event-loop delay since the previous snapshot (ms): how long work waited for the loop. */
  loopDelay: LoopDelay;
  /** Log lines counted since the previous snapshot. */
  log: LogCounts;
  /** The real bot only: answers served from its answer cache, and computed, since start. */
  answerCache?: { hits: number; misses: number };
}

export interface LoopDelay {
  p99: number;
  max: number;
}

export type ToTarget = { type: 'snapshot'; id: number } | { type: 'stop' };
export type FromTarget =
  /** `rateLimit`: the limit as the bot's configuration holds it (the real bot only). */
  | { type: 'ready'; userId: string; rateLimit?: { questions: number; windowSeconds: number } }
  | { type: 'snapshot'; id: number; snapshot: Snapshot }
  | { type: 'failed'; error: string };
