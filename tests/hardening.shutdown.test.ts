/**
 * Graceful shutdown: on SIGINT/SIGTERM the bot stops taking questions, finishes the replies in
 * flight, disconnects and exits 0, all within 5 seconds; past that it gives up on them and exits 1.
 * Shown on the signal handling alone (a stand-in process and bot), on the real bot in this process,
 * and on `npm start` as a real process receiving real signals.
 */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exitGracefullyOnSignals, SHUTDOWN_DEADLINE_MS } from '../src/cli/shutdown.ts';
import { createLogger } from '../src/log.ts';
import { dmChannelIdFor, makeChatInputInteraction, makeUser, startDiscordServer, type DiscordTestServer } from './support/discord-server/index.ts';
import { loggedId, TEST_KEY_SECRET, startTestBot, type LogLine, type TestBot } from './support/bot-harness.ts';
import { scriptEnv, startScript, type Started } from './support/run-script.ts';

const dmReplies = (server: DiscordTestServer, userId: string) =>
  server.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${dmChannelIdFor(userId)}/messages`);
/** The reply reaching the server: with a slow server, it is still in flight for a while after that. */
const replyFor = (userId: string) => ({ method: 'POST', path: `/channels/${dmChannelIdFor(userId)}/messages` });

describe('exitGracefullyOnSignals', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setUp(stop: () => Promise<void>, inFlight = { now: 1 }) {
    const lines: LogLine[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString('utf8')) as LogLine);
        callback();
      },
    });
    const target = Object.assign(new EventEmitter(), { exit: vi.fn() });
    const bot = {
      get inFlight() {
        return inFlight.now;
      },
      stop: vi.fn(stop),
    };
    exitGracefullyOnSignals(bot, createLogger({ level: 'info', destination }), { target });
    return { target, bot, lines, msgs: () => lines.map((line) => line.msg) };
  }

  it('on SIGTERM: logs, lets the bot drain for a second less than the deadline, then exits 0', async () => {
    const inFlight = { now: 1 };
    const { target, bot, lines, msgs } = setUp(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      inFlight.now = 0;
    }, inFlight);
    target.emit('SIGTERM', 'SIGTERM');
    expect(bot.stop).toHaveBeenCalledWith({ drainMs: SHUTDOWN_DEADLINE_MS - 1000 });
    expect(lines[0]).toMatchObject({ msg: 'stopping', signal: 'SIGTERM', inFlight: 1 });
    await vi.advanceTimersByTimeAsync(1500);
    expect(target.exit).toHaveBeenCalledExactlyOnceWith(0);
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped', abandoned: 0, shutdownMs: 1500 });
    // The deadline timer was cleared: nothing more happens.
    await vi.advanceTimersByTimeAsync(SHUTDOWN_DEADLINE_MS);
    expect(msgs()).toEqual(['stopping', 'stopped']);
  });

  it('on SIGINT, the same', async () => {
    const { target } = setUp(async () => undefined, { now: 0 });
    target.emit('SIGINT', 'SIGINT');
    await vi.advanceTimersByTimeAsync(0);
    expect(target.exit).toHaveBeenCalledExactlyOnceWith(0);
  });

  it('exits 1 when replies had to be cut off', async () => {
    const { target, lines } = setUp(async () => undefined, { now: 2 });
    target.emit('SIGTERM', 'SIGTERM');
    await vi.advanceTimersByTimeAsync(0);
    expect(target.exit).toHaveBeenCalledExactlyOnceWith(1);
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped', abandoned: 2 });
  });

  it('exits 1 at the deadline if stopping hangs', async () => {
    const { target, lines } = setUp(() => new Promise(() => undefined));
    target.emit('SIGTERM', 'SIGTERM');
    await vi.advanceTimersByTimeAsync(SHUTDOWN_DEADLINE_MS - 1);
    expect(target.exit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(target.exit).toHaveBeenCalledExactlyOnceWith(1);
    expect(lines.at(-1)).toMatchObject({ level: 50, msg: 'shutdown deadline passed: exiting anyway', inFlight: 1 });
  });

  it('exits 1 if stopping fails', async () => {
    const { target, lines } = setUp(() => Promise.reject(new Error('destroy failed')));
    target.emit('SIGTERM', 'SIGTERM');
    await vi.advanceTimersByTimeAsync(0);
    expect(target.exit).toHaveBeenCalledExactlyOnceWith(1);
    expect(lines.at(-1)).toMatchObject({ msg: 'shutdown failed', err: expect.objectContaining({ message: 'destroy failed' }) });
  });

  it('a second signal exits 1 at once', async () => {
    const { target, bot } = setUp(() => new Promise(() => undefined));
    target.emit('SIGINT', 'SIGINT');
    target.emit('SIGINT', 'SIGINT');
    expect(target.exit).toHaveBeenCalledExactlyOnceWith(1);
    expect(bot.stop).toHaveBeenCalledTimes(1);
  });
});

describe('RunningBot.stop', () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('finishes the reply in flight, answers nothing that arrives after, then disconnects', async () => {
    t = await startTestBot();
    const [asker, late] = [makeUser(), makeUser()];
    t.server.setRestDelay(800);
    t.server.sendMessage({ dm: true, author: asker, content: 'Co to jest BPO?' });
    await t.server.waitForRequest(replyFor(asker.id));
    expect(t.bot.inFlight).toBe(1);

    const stopped = t.bot.stop();
    t.server.sendMessage({ dm: true, author: late, content: 'Co to jest BPO?' });
    const slash = t.server.sendInteraction(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, user: late }));
    await stopped;

    expect(dmReplies(t.server, asker.id).map((r) => r.status)).toEqual([200]);
    expect(t.logLines().some((l) => l.msg === 'answered' && l.userId === loggedId(asker.id))).toBe(true);
    expect(dmReplies(t.server, late.id)).toEqual([]);
    expect(t.server.requests.some((r) => r.path.includes(slash.token))).toBe(false);
    expect(t.logLines().filter((l) => l.msg === 'not answering: shutting down').map((l) => [l.via, l.userId])).toEqual([
      ['dm', loggedId(late.id)],
      ['slash', loggedId(late.id)],
    ]);
    expect(t.bot.inFlight).toBe(0);
    expect(t.server.openConnections).toBe(0);
  });

  it('stops waiting after drainMs, logs what it gave up on, and disconnects anyway', async () => {
    t = await startTestBot();
    const asker = makeUser();
    t.server.setRestDelay(3000);
    t.server.sendMessage({ dm: true, author: asker, content: 'Co to jest BPO?' });
    await t.server.waitForRequest(replyFor(asker.id));

    const startedAt = performance.now();
    await t.bot.stop({ drainMs: 300 });
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(t.bot.inFlight).toBe(1);
    expect(t.logLines().find((l) => l.msg === 'stopped waiting for replies in flight')).toMatchObject({ level: 40, abandoned: 1, drainMs: 300 });
    expect(t.server.openConnections).toBe(0);
    t.server.setRestDelay(0);
  });
});

describe.concurrent('npm start, signalled', () => {
  const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GsHuT0.c2h1dGRvd24tdGVzdC10b2tlbi1zZWNyZXQtdmFsdWU';
  const WAIT = { timeout: 15_000, interval: 25 };

  /** A Discord test server and `npm start` connected to it; each test has its own, so they run side by side. */
  async function startProcess(): Promise<{ server: DiscordTestServer; started: Started; logLines: () => LogLine[] }> {
    const server = await startDiscordServer();
    const started = startScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: server.apiBase, FEEDBACK_SECRET: TEST_KEY_SECRET }));
    cleanups.push(async () => {
      started.child.kill('SIGKILL');
      await server.close();
    });
    await vi.waitFor(() => expect(started.output.stderr).toContain('"msg":"ready"'), WAIT);
    const logLines = () =>
      started.output.stderr
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as LogLine);
    return { server, started, logLines };
  }
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(cleanups.map((cleanup) => cleanup()));
  });

  it('SIGTERM with a reply in flight: the reply is delivered, a later question is not answered, exit 0 within 5 s', async () => {
    const { server, started, logLines } = await startProcess();
    const { child, output, exited } = started;
    const [asker, late] = [makeUser(), makeUser()];
    // Every response takes 1.5 s, so the answer is still to be sent when the signal comes.
    server.setRestDelay(1500);
    server.sendMessage({ dm: true, author: asker, content: 'Co to jest BPO?' });
    await server.waitForRequest(replyFor(asker.id));

    const signalledAt = performance.now();
    child.kill('SIGTERM');
    await vi.waitFor(() => expect(output.stderr).toContain('"msg":"stopping"'), WAIT);
    server.sendMessage({ dm: true, author: late, content: 'Co to jest BPO?' });

    const result = await exited;
    const shutdownMs = performance.now() - signalledAt;
    expect(result.code).toBe(0);
    expect(shutdownMs).toBeLessThan(SHUTDOWN_DEADLINE_MS);

    const reply = dmReplies(server, asker.id);
    expect(reply.map((r) => r.status)).toEqual([200]);
    expect(dmReplies(server, late.id)).toEqual([]);
    const lines = logLines();
    // Discord accepted the reply only after the signal: it was still in flight, and was let finish.
    const position = (match: (line: LogLine) => boolean) => lines.findIndex(match);
    expect(position((l) => l.msg === 'answered' && l.userId === loggedId(asker.id))).toBeGreaterThan(position((l) => l.msg === 'stopping'));
    expect(lines.find((l) => l.msg === 'stopping')).toMatchObject({ signal: 'SIGTERM', inFlight: 1 });
    expect(lines.some((l) => l.msg === 'answered' && l.userId === loggedId(asker.id))).toBe(true);
    expect(lines.some((l) => l.msg === 'not answering: shutting down' && l.userId === loggedId(late.id))).toBe(true);
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped', abandoned: 0 });
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('SIGINT (Ctrl+C) with nothing in flight: exits 0 at once', async () => {
    const { started, logLines } = await startProcess();
    const signalledAt = performance.now();
    started.child.kill('SIGINT');
    const result = await started.exited;
    expect(result.code).toBe(0);
    expect(performance.now() - signalledAt).toBeLessThan(2000);
    expect(logLines().at(-1)).toMatchObject({ msg: 'stopped', abandoned: 0 });
  });

  it('a reply stuck past the deadline: logged, and the process exits 1 within 5 s anyway', async () => {
    const { server, started, logLines } = await startProcess();
    const asker = makeUser();
    server.setRestDelay(10_000);
    server.sendMessage({ dm: true, author: asker, content: 'Co to jest BPO?' });
    await server.waitForRequest(replyFor(asker.id));

    const signalledAt = performance.now();
    started.child.kill('SIGTERM');
    const result = await started.exited;
    expect(result.code).toBe(1);
    expect(performance.now() - signalledAt).toBeLessThan(SHUTDOWN_DEADLINE_MS);
    const lines = logLines();
    expect(lines.find((l) => l.msg === 'stopped waiting for replies in flight')).toMatchObject({ abandoned: 1 });
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped', abandoned: 1 });
  });
});
