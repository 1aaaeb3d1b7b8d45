/**
 * Unhandled rejections and uncaught exceptions are logged, not lost: the installer on a stand-in
 * process, then a real process with each fault injected.
 */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger, logProcessFailures } from '../src/log.ts';
import { runScript, scriptEnv } from './support/run-script.ts';
import { captureLogger } from './support/capture-log.ts';

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GpRoC0.cHJvY2Vzcy1mYXVsdC10ZXN0LXRva2VuLXNlY3JldA';

function fakeProcess() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      callback();
    },
  });
  const logger = createLogger({ level: 'info', destination, secrets: [TOKEN] });
  const emitter = Object.assign(new EventEmitter(), { exit: vi.fn() });
  logProcessFailures(logger, emitter);
  return { emitter, lines };
}

describe('logProcessFailures', () => {
  it('logs an unhandled rejection as an error with the reason, and keeps running', () => {
    const { emitter, lines } = fakeProcess();
    emitter.emit('unhandledRejection', new Error('reply lost'));
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'unhandled promise rejection', err: expect.objectContaining({ message: 'reply lost' }) })]);
    expect(emitter.exit).not.toHaveBeenCalled();
  });

  it('logs a rejection with a non-Error reason too', () => {
    const { emitter, lines } = fakeProcess();
    emitter.emit('unhandledRejection', 'just a string');
    expect(lines[0]).toMatchObject({ msg: 'unhandled promise rejection', err: 'just a string' });
  });

  it('logs an uncaught exception as fatal with its origin, then exits 1', () => {
    const { emitter, lines } = fakeProcess();
    emitter.emit('uncaughtException', new Error('state unknown'), 'uncaughtException');
    expect(lines).toEqual([
      expect.objectContaining({ level: 60, msg: 'uncaught exception; exiting', origin: 'uncaughtException', err: expect.objectContaining({ message: 'state unknown' }) }),
    ]);
    expect(emitter.exit).toHaveBeenCalledWith(1);
  });
});

describe('process warnings', () => {
  it('become log lines at warn instead of plain text: none is expected, so none is hidden', () => {
    const { lines, logger } = captureLogger('debug');
    const emitter = Object.assign(new EventEmitter(), { exit: vi.fn() });
    // Stands for Node's own printer, which writes warnings to stderr as plain text.
    const printer = vi.fn();
    emitter.on('warning', printer);
    logProcessFailures(logger, emitter);
    emitter.emit('warning', Object.assign(new Error('Possible EventEmitter memory leak detected'), { name: 'MaxListenersExceededWarning' }));
    emitter.emit('warning', Object.assign(new Error('Overriding the cache handling for GuildManager is unsupported'), { name: 'UnsupportedCacheOverwriteWarning' }));
    expect(printer).not.toHaveBeenCalled();
    expect(lines.map((line) => [line.level, line.msg, (line.warning as { name: string }).name])).toEqual([
      [40, 'process warning', 'MaxListenersExceededWarning'],
      [40, 'process warning', 'UnsupportedCacheOverwriteWarning'],
    ]);
  });
});

describe.concurrent('in a real process', () => {
  it('an unhandled rejection is logged as JSON on stderr (without the token) and the process carries on', async () => {
    const result = await runScript('tests/support/scripts/process-fault.ts', scriptEnv({ DISCORD_TOKEN: TOKEN }), { args: ['rejection'] });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('still running\n');
    const line = JSON.parse(result.stderr.trim()) as { msg: string; err: { message: string } };
    expect(line).toMatchObject({ msg: 'unhandled promise rejection', err: { message: 'a promise nobody awaited (token [redacted])' } });
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('an uncaught exception is logged as fatal JSON on stderr, and the process exits 1', async () => {
    const result = await runScript('tests/support/scripts/process-fault.ts', scriptEnv({}), { args: ['exception'] });
    expect(result.code).toBe(1);
    const line = JSON.parse(result.stderr.trim()) as { level: number; msg: string; err: { message: string; stack: string } };
    expect(line).toMatchObject({ level: 60, msg: 'uncaught exception; exiting', err: { message: 'a bug in a timer callback' } });
    expect(line.err.stack).toContain('process-fault.ts');
  });
});
