import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: LogLevel;
  /** Where the JSON lines go; standard error by default, so standard output stays free for the program's own output. */
  destination?: DestinationStream;
  /** Strings that must never reach the log whatever object carries them (the bot token). */
  secrets?: readonly (string | undefined)[];
}

/** Keys that hold credentials anywhere in a logged object, up to a few levels deep. */
const REDACTED_PATHS = ['token', '*.token', '*.*.token', 'authorization', '*.authorization', '*.*.authorization', 'headers.Authorization', '*.headers.Authorization'];

/** A JSON logger on standard error; credentials are removed by key, and the token by value as a last line of defence. */
export function createLogger({ level, destination, secrets = [] }: LoggerOptions): Logger {
  const hidden = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 8);
  return pino(
    {
      level,
      base: { app: 'bpo-bot' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Catches a token inside an error message or a stack, which key-based redaction cannot see.
      hooks: hidden.length > 0 ? { streamWrite: (line) => hidden.reduce((text, secret) => text.replaceAll(secret, '[redacted]'), line) } : {},
    },
    // Synchronous writes: a fatal error logged just before exiting is not lost.
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** Logs what would otherwise vanish or crash without context. Call once, at an entry point. */
export function logProcessFailures(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection');
  });
  process.on('uncaughtException', (error, origin) => {
    logger.fatal({ err: error, origin }, 'uncaught exception; exiting');
    // The process state is unknown after an uncaught exception: exit and let the supervisor restart it.
    process.exit(1);
  });
}
