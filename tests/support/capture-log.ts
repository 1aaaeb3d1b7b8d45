/** A real pino logger whose JSON lines are kept in memory for a test to read. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log.ts';

export interface CapturedLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export function captureLogger(level: 'debug' | 'info' = 'info'): { lines: CapturedLine[]; logger: Logger } {
  const lines: CapturedLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as CapturedLine);
      callback();
    },
  });
  return { lines, logger: createLogger({ level, destination }) };
}

/** pino's numeric levels. */
export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;
