/**
 * `npm run start:sharded`: one `npm start` process (dist/main.js) per shard of this machine's share,
 * started here with Node's child_process and told its shard in SHARDS and SHARD_COUNT, and looked
 * after here:
 *
 * - How many shards in all: SHARD_COUNT, or Discord's recommendation from GET /gateway/bot. Which of
 *   them here: SHARD_IDS, or all.
 * - Identify pacing: every shard process asks here before it identifies (one per max_concurrency
 *   bucket per 5 seconds), unless REDIS_URL is set, when they take turns through Redis with the
 *   shard processes of every other machine (identify.ts). So all processes start at once.
 * - A shard process that exits before it is ready (a rejected token, an invalid setting: it said why
 *   in one sentence) stops them all, with exit code 1. One that exits after it was ready (its gateway
 *   closed for good, a crash) is started again, a little later each time.
 * - On SIGINT or SIGTERM each shard is asked to stop over IPC (each drains its replies within 5
 *   seconds, as `npm start` does), and the manager exits when they have, 0 if all stopped cleanly.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Routes, type RESTGetAPIGatewayBotResult } from 'discord-api-types/v10';
import { REST } from '@discordjs/rest';
import type { ShardSettings } from '../config.ts';
import type { Logger } from '../log.ts';
import { restOptions } from '../rest-options.ts';
import { isIdentifyRequest, SHARD_READY, SimpleIdentifyThrottler, type IdentifyGranted } from './identify.ts';

/** A shard process gets 5 s to stop; past this much more, it is killed. */
const STOP_DEADLINE_MS = 7000;
const RESTART_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000] as const;

export interface ShardPlan {
  count: number;
  ids: number[];
  maxConcurrency: number;
  /** Where the count came from, for the log. */
  countFrom: 'SHARD_COUNT' | 'Discord';
}

/** The shards to run here: SHARD_COUNT and SHARD_IDS where set, Discord's recommendation for the rest. */
export async function planShards(settings: ShardSettings, token: string, apiBase: string | undefined, proxySecret?: string): Promise<ShardPlan> {
  const rest = new REST(restOptions(apiBase, proxySecret)).setToken(token);
  const info = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  const count = settings.count ?? Math.max(1, info.shards);
  return {
    count,
    ids: settings.ids ?? Array.from({ length: count }, (_, id) => id),
    maxConcurrency: Math.max(1, info.session_start_limit.max_concurrency),
    countFrom: settings.count === undefined ? 'Discord' : 'SHARD_COUNT',
  };
}

export interface ManagerOptions {
  /** The compiled `npm start` entry point each shard runs. */
  file: string;
  token: string;
  plan: ShardPlan;
  /** Shard processes pace their identifies through Redis instead of asking here. */
  sharedThroughRedis: boolean;
  /** Node flags for each shard process (npm start's: the manager passes on its own). */
  execArgv: string[];
  logger: Logger;
}

export interface RunningManager {
  /** Resolves once every shard has been ready at least once. */
  ready: Promise<void>;
  /** Resolves with the exit code once every shard process has ended: after `stop`, or when one failed to start. */
  done: Promise<number>;
  stop(reason: Record<string, unknown>): void;
  /** Kills every shard process at once. */
  kill(): void;
}

export function runShardManager({ file, token, plan, sharedThroughRedis, execArgv, logger }: ManagerOptions): RunningManager {
  const gate = new SimpleIdentifyThrottler(plan.maxConcurrency);
  const abort = new AbortController();
  const everReady = new Set<number>();
  const restarts = new Map<number, number>();
  let stopping = false;
  let failed: number | undefined;
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  const exitCodes = new Map<number, number | null>();
  /** The running process of each shard. */
  const running = new Map<number, ChildProcess>();

  const finishIfAllExited = () => {
    if ((!stopping && failed === undefined) || running.size > 0) return;
    const clean = failed === undefined && [...exitCodes.values()].every((code) => code === 0);
    resolveDone(clean ? 0 : 1);
  };

  const stopAll = () => {
    abort.abort();
    for (const child of running.values()) send(child, { type: 'bpo-bot:stop' });
    const deadline = setTimeout(() => {
      for (const [shardId, child] of running) {
        logger.error({ shard: shardId, deadlineMs: STOP_DEADLINE_MS }, 'shard process did not stop in time: killing it');
        exitCodes.set(shardId, null);
        running.delete(shardId);
        child.kill('SIGKILL');
      }
      finishIfAllExited();
    }, STOP_DEADLINE_MS);
    deadline.unref();
    void done.then(() => clearTimeout(deadline));
    finishIfAllExited();
  };

  const start = (shardId: number) => {
    const fields = { shard: shardId };
    const child = fork(file, [], {
      execArgv,
      env: { ...process.env, SHARDING_MANAGER: 'true', SHARDS: JSON.stringify([shardId]), SHARD_COUNT: String(plan.count), DISCORD_TOKEN: token },
    });
    running.set(shardId, child);
    logger.info({ ...fields, pid: child.pid }, 'shard process started');
    child.on('message', (message: unknown) => {
      if (isIdentifyRequest(message)) {
        gate.waitForIdentify(message.shardId, abort.signal).then(
          () => send(child, { type: 'bpo-bot:identify-granted', nonce: message.nonce } satisfies IdentifyGranted),
          () => undefined,
        );
      } else if ((message as { type?: unknown } | null)?.type === SHARD_READY) {
        everReady.add(shardId);
        restarts.delete(shardId);
        logger.info({ ...fields, ready: everReady.size, of: plan.ids.length }, 'shard ready');
        if (everReady.size === plan.ids.length) resolveReady();
      }
    });
    child.on('error', (error) => logger.error({ ...fields, err: error }, 'shard process could not be started'));
    child.on('exit', (code) => {
      if (running.get(shardId) !== child) return; // killed at the deadline, already accounted for
      running.delete(shardId);
      exitCodes.set(shardId, code);
      if (stopping || failed !== undefined) {
        logger.info({ ...fields, code }, 'shard process stopped');
        finishIfAllExited();
        return;
      }
      if (!everReady.has(shardId)) {
        // It said why on its way out (the last line of its output): the others would fail the same way.
        failed = shardId;
        logger.error({ ...fields, code }, 'shard process stopped before it was ready: stopping every shard');
        stopAll();
        return;
      }
      const attempt = restarts.get(shardId) ?? 0;
      restarts.set(shardId, attempt + 1);
      const delayMs = RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)]!;
      logger.warn({ ...fields, code, restartInMs: delayMs }, 'shard process exited: starting it again');
      setTimeout(() => {
        if (!stopping && failed === undefined) start(shardId);
      }, delayMs).unref();
    });
  };

  logger.info(
    { shardCount: plan.count, countFrom: plan.countFrom, shards: plan.ids, maxConcurrency: plan.maxConcurrency, identify: sharedThroughRedis ? 'paced through Redis' : 'paced by this manager' },
    'starting shards',
  );
  // All at once: the identifies are paced by the gate above (or Redis), not by spacing the processes.
  for (const shardId of plan.ids) start(shardId);

  return {
    ready,
    done,
    stop(reason) {
      if (stopping) return;
      stopping = true;
      logger.info({ ...reason, shards: running.size }, 'stopping');
      stopAll();
    },
    kill() {
      for (const [shardId, child] of running) {
        running.delete(shardId);
        child.kill('SIGKILL');
      }
    },
  };
}

/** Sends over IPC, ignoring a channel that has just closed (the process is on its way out). */
function send(child: ChildProcess, message: object): void {
  if (child.connected) child.send(message, (error) => void error);
}
