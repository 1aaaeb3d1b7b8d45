/**
 * The real bot through gateway faults on the Discord test server: dropped connections (1006),
 * Discord-side closes (4000, 4009) and invalid sessions (resumable or not). After each one the bot
 * resumes or identifies again, answers what was asked while it was away (the server replays it),
 * and answers the next question.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIMessage } from 'discord-api-types/v10';
import { makeChatInputInteraction, makeUser, type RecordedRequest } from './support/discord-server/index.ts';
import { startTestBot, type TestBot } from './support/bot-harness.ts';

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t?.close();
});

const mention = (text: string) => `<@${t.server.botUser.id}> ${text}`;

/** The bot's reply to a mention, once it lands. */
function replyTo(message: APIMessage, timeoutMs = 5000): Promise<RecordedRequest> {
  return t.server.waitForRequest(
    (r) =>
      r.method === 'POST' &&
      r.path === `/channels/${message.channel_id}/messages` &&
      r.status === 200 &&
      (r.body as { message_reference?: { message_id?: string } }).message_reference?.message_id === message.id,
    timeoutMs,
  );
}

/** Dispatches /zapytaj and waits for the bot's accepted callback. */
async function askSlash(question: string): Promise<RecordedRequest> {
  const sent = t.server.sendInteraction(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: question }, locale: 'pl', user: makeUser() }));
  return t.server.waitForRequest((r) => r.path === `/interactions/${sent.id}/${sent.token}/callback` && r.status === 204);
}

const logged = (msg: string, match: Record<string, unknown> = {}) =>
  t.logLines().some((line) => line.msg === msg && Object.entries(match).every(([key, value]) => line[key] === value));

describe('dropped gateway connections', () => {
  for (const [code, cause] of [
    [1006, 'the TCP connection drops'],
    [4000, 'Discord closes with an unknown error'],
    [4009, 'Discord times the session out'],
  ] as const) {
    it(`resumes after ${code} (${cause}) and answers what was asked while it was offline, then what comes next`, async () => {
      const identifies = t.server.identifies.length;
      const connections = t.server.gatewayConnections.length;
      expect(t.server.closeGateway(code)).toBe(1);

      // Asked while the bot has no connection: the server keeps these for the session and replays them on RESUME.
      const missed = t.server.sendMessage({ content: mention('Co to jest BPO?') });
      const missedSlash = askSlash('Czym jest outsourcing procesów biznesowych?');

      const resume = await t.server.waitForGatewayOp((op) => op.op === 6 && op.connection > connections);
      expect(resume.d).toMatchObject({ session_id: expect.any(String), seq: expect.any(Number) });
      await replyTo(missed);
      await missedSlash;
      expect(t.server.identifies).toHaveLength(identifies);

      const next = t.server.sendMessage({ content: mention('Jakie są zalety BPO?') });
      await replyTo(next);
      expect(logged('gateway connection closed', { code })).toBe(true);
      expect(logged('gateway session resumed')).toBe(true);
    });
  }
});

describe('invalid sessions', () => {
  it('resumes on the same connection after a resumable invalid session, and keeps answering', async () => {
    const identifies = t.server.identifies.length;
    const connection = t.server.gatewayConnections.at(-1)!.connection;
    expect(t.server.invalidateSession(true)).toBe(1);
    const asked = t.server.sendMessage({ content: mention('Co to jest BPO?') });

    const resume = await t.server.waitForGatewayOp((op) => op.op === 6 && op.connection === connection);
    expect(resume.d).toMatchObject({ seq: expect.any(Number) });
    await replyTo(asked);
    expect(t.server.identifies).toHaveLength(identifies);
    await replyTo(t.server.sendMessage({ content: mention('Co to jest back office?') }));
  });

  // discord.js spaces IDENTIFYs 5 s apart, as Discord requires, so this one takes a few seconds.
  it('identifies afresh after a non-resumable invalid session and answers the question asked meanwhile', async () => {
    const since = performance.now();
    expect(t.server.invalidateSession(false)).toBe(1);
    // A slash command would be past its 3-second window by now; a mention keeps, and the server hands it to the new session.
    const asked = t.server.sendMessage({ content: mention('Co to jest BPO?') });

    await t.server.waitForGatewayOp((op) => op.op === 2 && op.at > since, 10_000);
    await replyTo(asked, 10_000);
    expect(t.server.gatewayOps.filter((op) => op.op === 6 && op.at > since)).toEqual([]);
    expect(logged('gateway session restarted')).toBe(true);

    await replyTo(t.server.sendMessage({ content: mention('Jakie są zalety BPO?') }));
    await askSlash('Co to jest BPO?');
  }, 15_000);
});
