import { randomBytes } from 'node:crypto';
import { pino, type DestinationStream, type Logger } from 'pino';
import { userHasher } from './feedback/user-hash.ts';
import type { LogLevel } from './config.ts';
import { redactText, secretsOf } from './redact.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: LogLevel;
  /** Where the JSON lines go; standard error by default, so standard output stays free for the program's own output. */
  destination?: DestinationStream;
  /** Strings that must never reach the log whatever object carries them (the bot token). */
  secrets?: readonly (string | undefined)[];
  /** Fields on every line, e.g. the shard a process runs. */
  base?: Record<string, unknown>;
  /**
   * The key Discord ids are hashed with in the log (FEEDBACK_SECRET). The same key gives the same
   * hash as the feedback database, so a log line can be matched with its rows; without one, a random
   * key per process still keeps ids out of the log, but hashes match only within that process.
   */
  idKey?: string;
}

/** The fields that carry whose question it was, or from which server: never logged as raw ids. */
const PERSONAL_ID_FIELDS = ['userId', 'guildId'] as const;

/** How an id is logged: the first 16 hex digits of its HMAC, enough to follow one asker through the log. */
export function logIdHasher(key: string): (id: string) => string {
  const hash = userHasher(key);
  return (id) => hash(id).toString('hex').slice(0, 16);
}

function personalIdSerializers(key: string): Record<string, (value: unknown) => unknown> {
  const hash = logIdHasher(key);
  const serialize = (value: unknown) => (typeof value === 'string' ? hash(value) : value);
  return Object.fromEntries(PERSONAL_ID_FIELDS.map((field) => [field, serialize]));
}

/** Keys that hold credentials anywhere in a logged object, up to a few levels deep. */
const REDACTED_PATHS = ['token', '*.token', '*.*.token', 'authorization', '*.authorization', '*.*.authorization', 'headers.Authorization', '*.headers.Authorization'];

/**
 * A JSON logger on standard error. Credentials are removed by key; then every line, as written, loses
 * the secrets by value and any interaction or webhook token or URL password, which key-based
 * redaction cannot see inside an error's message, URL or stack. User and server ids are logged as
 * keyed hashes, as the database stores them.
 */
export function createLogger({ level, destination, secrets = [], base = {}, idKey }: LoggerOptions): Logger {
  const hidden = secretsOf(secrets);
  return pino(
    {
      level,
      base: { app: 'bpo-bot', ...base },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: personalIdSerializers(idKey ?? randomBytes(32).toString('hex')),
      hooks: { streamWrite: (line) => redactText(line, hidden) },
    },
    // Synchronous writes: a fatal error logged just before exiting is not lost.
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** The parts of `process` the failure logging needs, so tests can hand in a stand-in. */
export interface FailureSource {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error, origin: string) => void): unknown;
  on(event: 'warning', listener: (warning: Error) => void): unknown;
  removeAllListeners(event: 'warning'): unknown;
  exit(code: number): void;
}

/** Logs what would otherwise vanish, crash without context, or print outside the log. Call once, at an entry point. */
export function logProcessFailures(logger: Logger, source: FailureSource = process): void {
  // A promise nobody awaited: one reply or one log line went wrong, the bot as a whole is fine.
  source.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection');
  });
  // Node prints process warnings as plain text; as log lines they keep standard error all JSON.
  source.removeAllListeners('warning');
  source.on('warning', (warning) => {
    logger.warn({ warning: { name: warning.name, message: warning.message } }, 'process warning');
  });
  source.on('uncaughtException', (error, origin) => {
    logger.fatal({ err: error, origin }, 'uncaught exception; exiting');
    // The process state is unknown after an uncaught exception: exit and let the supervisor restart it.
    source.exit(1);
  });
}
