import type { Logger } from '../log.ts';

/** Process managers (systemd, Docker, Kubernetes) kill a process that ignores SIGTERM for 10 s or more; stay well inside. */
export const SHUTDOWN_DEADLINE_MS = 5000;
/** Kept back from the deadline for disconnecting from the gateway after the replies are done. */
const DISCONNECT_ALLOWANCE_MS = 1000;

export interface StoppableBot {
  /** Replies being worked on; after `stop`, the ones it had to cut off. */
  readonly inFlight: number;
  stop(options: { drainMs: number }): Promise<void>;
}

/** The parts of `process` shutdown needs, so tests can hand in a stand-in. */
export interface SignalTarget {
  on(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

/**
 * On SIGINT or SIGTERM: stop taking questions, let the replies in flight finish, disconnect and
 * exit 0. Exits 1 instead when replies had to be cut off, when stopping fails, when the deadline
 * passes whatever the reason, or on a second signal (a second Ctrl+C means "now").
 *
 * Returns a function that starts the same graceful stop without a signal (the shard manager asking
 * its shard processes to stop); unlike a second signal, asking again changes nothing.
 */
export function exitGracefullyOnSignals(
  bot: StoppableBot,
  logger: Logger,
  { target = process as SignalTarget, deadlineMs = SHUTDOWN_DEADLINE_MS }: { target?: SignalTarget; deadlineMs?: number } = {},
): (reason: string) => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      target.exit(1);
      return;
    }
    stop({ signal });
  };
  const stop = (why: { signal: NodeJS.Signals } | { reason: string }) => {
    stopping = true;
    const startedAt = performance.now();
    const elapsedMs = () => Math.round(performance.now() - startedAt);
    logger.info({ ...why, inFlight: bot.inFlight }, 'stopping');
    // The last resort if disconnecting itself hangs; unref'd so it never keeps a finished process alive.
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs, inFlight: bot.inFlight }, 'shutdown deadline passed: exiting anyway');
      target.exit(1);
    }, deadlineMs);
    deadline.unref();
    bot.stop({ drainMs: Math.max(0, deadlineMs - DISCONNECT_ALLOWANCE_MS) }).then(
      () => {
        clearTimeout(deadline);
        const abandoned = bot.inFlight;
        logger.info({ abandoned, shutdownMs: elapsedMs() }, 'stopped');
        target.exit(abandoned > 0 ? 1 : 0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        logger.error({ err: error, shutdownMs: elapsedMs() }, 'shutdown failed');
        target.exit(1);
      },
    );
  };
  target.on('SIGINT', onSignal);
  target.on('SIGTERM', onSignal);
  return (reason) => {
    if (!stopping) stop({ reason });
  };
}
