/**
 * Conversations on Discord, with the real bot against the Discord test server: a reply to one of
 * the bot's answers is a question read in that answer's light (pinging the bot or not), a reply to
 * anyone else is not for the bot, a DM goes on from the last answer, and the context an answer
 * carries in its own buttons survives a restart of the bot.
 */
import { GatewayIntentBits } from 'discord.js';
import type { APIEmbed, APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeUser, type RecordedRequest } from './support/discord-server/index.ts';
import { loggedId, startTestBot, testAnswerer, type LogLine, type TestBot } from './support/bot-harness.ts';

let t: TestBot;
const kb = testAnswerer().kb;
const title = (id: string, lang: 'pl' | 'en' = 'pl') => kb.byId.get(id)!.title[lang];
const NO_MENTIONS = { parse: [], replied_user: false };

beforeAll(async () => {
  t = await startTestBot();
});

afterAll(async () => {
  await t?.close();
});

const mention = (text: string) => `<@${t.server.botUser.id}> ${text}`;

/** The bot's reply request to `message`, sent after request number `since`. */
function replyRequest(bot: TestBot, message: APIMessage, since: number): Promise<RecordedRequest> {
  return bot.waitForRequestAfter(since, (r) => r.method === 'POST' && r.path === `/channels/${message.channel_id}/messages` && r.status === 200);
}

/** The message the bot posted in answer to `message`, as the server stored it (what users see). */
function postedAnswerTo(bot: TestBot, message: APIMessage, since: number): APIMessage {
  const posted = [...bot.server.state.messages.values()].filter((m) => m.author.id === bot.server.botUser.id && m.channel_id === message.channel_id);
  const reply = posted.find((m) => m.message_reference?.message_id === message.id);
  if (reply) return reply;
  // In a DM the bot answers without a reply reference: the newest of its messages there.
  const latest = posted.at(-1);
  if (!latest || bot.server.requests.length <= since) throw new Error('the bot posted nothing');
  return latest;
}

/** Sends `send()`, waits for the bot's answer and returns its body and the stored message. */
async function exchange(bot: TestBot, send: () => APIMessage): Promise<{ body: { embeds: APIEmbed[]; allowed_mentions: unknown; message_reference?: { message_id: string } }; posted: APIMessage; sent: APIMessage }> {
  const since = bot.server.requests.length;
  const sent = send();
  const request = await replyRequest(bot, sent, since);
  return { body: request.body as never, posted: postedAnswerTo(bot, sent, since), sent };
}

const answeredLog = (bot: TestBot, userId: string, entryId?: string): Promise<LogLine> =>
  vi.waitFor(() => {
    const line = bot.logLines().find((l) => l.msg === 'answered' && l.userId === loggedId(userId) && (entryId === undefined || l.entryId === entryId));
    if (!line) throw new Error(`no "answered" log line for user ${userId}`);
    return line;
  });

/** Asks with a mention in the server channel and returns the bot's answer message. */
async function askInServer(question: string, author = makeUser()): Promise<APIMessage> {
  const { posted } = await exchange(t, () => t.server.sendMessage({ content: mention(question), author }));
  return posted;
}

describe('replies to the bot in a server', () => {
  it('answers a reply that does not ping the bot, in the light of the answer it replies to, as a reply pinging no one', async () => {
    const asker = makeUser();
    const first = await askInServer('Czym jest back office?', asker);
    expect(first.embeds[0]!.title).toBe(title('back-office'));

    const { body, posted, sent } = await exchange(t, () => t.server.sendReply(first.id, { content: 'a front office?', author: asker, ping: false }));
    expect(sent.mentions).toEqual([]);
    expect(body.embeds[0]!.title).toBe(title('front-office'));
    expect(body.message_reference).toMatchObject({ message_id: sent.id });
    expect(body.allowed_mentions).toEqual(NO_MENTIONS);
    expect(posted.mentions).toEqual([]);
    expect(await answeredLog(t, asker.id, 'front-office')).toMatchObject({ via: 'reply', entryId: 'front-office' });
  });

  it('answers a reply that pings the bot just the same', async () => {
    const first = await askInServer('Czym jest back office?');
    const { body } = await exchange(t, () => t.server.sendReply(first.id, { content: 'a front office?', ping: true }));
    expect(body.embeds[0]!.title).toBe(title('front-office'));
    expect(body.allowed_mentions).toEqual(NO_MENTIONS);
  });

  it('reads a follow-up that names no topic by the answer it replies to', async () => {
    const first = await askInServer('Jaką firmę artykuł podaje jako przykład?');
    expect(first.embeds[0]!.title).toBe(title('coca-cola-example'));
    const { body } = await exchange(t, () => t.server.sendReply(first.id, { content: 'komu to zlecała?', ping: false }));
    expect(body.embeds[0]!.title).toBe(title('coca-cola-example'));
  });

  it('answers an English follow-up in English', async () => {
    const first = await askInServer('What is the back office?');
    expect(first.embeds[0]!.title).toBe(title('back-office', 'en'));
    const { body } = await exchange(t, () => t.server.sendReply(first.id, { content: 'and the front office?', ping: false }));
    expect(body.embeds[0]!.title).toBe(title('front-office', 'en'));
  });

  it('gives the answer replied to again in the language the reply asks for', async () => {
    const first = await askInServer('What is the back office?');
    const { body } = await exchange(t, () => t.server.sendReply(first.id, { content: 'in Polish please', ping: false }));
    expect(body.embeds[0]!.title).toBe(title('back-office'));
  });

  it('answers a complete new question in a reply on its own topic, the old one left behind', async () => {
    const first = await askInServer('Czym jest back office?');
    const { body } = await exchange(t, () => t.server.sendReply(first.id, { content: 'A co oznacza skrót BPO?', ping: false }));
    expect(body.embeds[0]!.title).toBe(title('bpo-acronym'));
  });

  it('thanks back for thanks in a reply: no answer from the article, no source', async () => {
    const asker = makeUser();
    const first = await askInServer('Czym jest back office?', asker);
    const { body } = await exchange(t, () => t.server.sendReply(first.id, { content: 'dzięki, o to chodziło!', author: asker, ping: false }));
    expect(body.embeds[0]!.title).toBe('Nie ma za co!');
    expect(body.embeds[0]!.fields ?? []).toEqual([]);
    expect(body.allowed_mentions).toEqual(NO_MENTIONS);
    const lines = await vi.waitFor(() => {
      const found = t.logLines().filter((l) => l.msg === 'answered' && l.userId === loggedId(asker.id));
      if (found.length < 2) throw new Error('the thanks is not logged yet');
      return found;
    });
    expect(lines[1]).toMatchObject({ via: 'reply', entryId: null, kind: 'small-talk' });
  });

  it('ignores a reply to another user\'s message, pinging that user or not', async () => {
    const someone = t.server.sendMessage({ content: 'Czym jest back office?', author: makeUser() });
    const since = t.server.requests.length;
    const ignored = [
      t.server.sendReply(someone.id, { content: 'a front office?', ping: false }),
      t.server.sendReply(someone.id, { content: 'a front office?', ping: true }),
    ];
    // A control question after them: once it is answered, the ignored ones had their turn.
    const control = t.server.sendMessage({ content: mention('Co to jest BPO?') });
    await replyRequest(t, control, since);
    const repliedTo = t.server.requests.slice(since).filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).map((r) => (r.body as { message_reference?: { message_id?: string } } | null)?.message_reference?.message_id);
    expect(repliedTo).toEqual([control.id]);
    expect(ignored.every((m) => !repliedTo.includes(m.id))).toBe(true);
  });
});

describe('direct messages', () => {
  it('goes on from the last answer in the DM', async () => {
    const user = makeUser();
    const first = await exchange(t, () => t.server.sendMessage({ dm: true, author: user, content: 'Jaką firmę artykuł podaje jako przykład?' }));
    expect(first.body.embeds[0]!.title).toBe(title('coca-cola-example'));
    const next = await exchange(t, () => t.server.sendMessage({ dm: true, author: user, content: 'komu to zlecała?' }));
    expect(next.body.embeds[0]!.title).toBe(title('coca-cola-example'));
    expect(await answeredLog(t, user.id)).toMatchObject({ via: 'dm' });
  });

  it('gives the last answer again in the language asked for, and goes on in it', async () => {
    const user = makeUser();
    const first = await exchange(t, () => t.server.sendMessage({ dm: true, author: user, content: 'Czym jest back office?' }));
    expect(first.body.embeds[0]!.title).toBe(title('back-office'));
    const english = await exchange(t, () => t.server.sendMessage({ dm: true, author: user, content: 'po angielsku?' }));
    expect(english.body.embeds[0]!.title).toBe(title('back-office', 'en'));
    expect(english.body.allowed_mentions).toEqual(NO_MENTIONS);
    // The answer's own buttons carry the new language, and the DM goes on in it: "front office",
    // which after a Polish answer gets a Polish one, now gets an English one.
    expect(JSON.stringify(english.posted.components)).toContain(':en:back-office');
    const next = await exchange(t, () => t.server.sendMessage({ dm: true, author: user, content: 'front office' }));
    expect(next.body.embeds[0]!.title).toBe(title('front-office', 'en'));
  });

  it('keeps each DM its own conversation', async () => {
    const [one, two] = [makeUser(), makeUser()];
    await exchange(t, () => t.server.sendMessage({ dm: true, author: one, content: 'Jaką firmę artykuł podaje jako przykład?' }));
    await exchange(t, () => t.server.sendMessage({ dm: true, author: two, content: 'Czym jest back office?' }));
    const next = await exchange(t, () => t.server.sendMessage({ dm: true, author: one, content: 'komu to zlecała?' }));
    expect(next.body.embeds[0]!.title).toBe(title('coca-cola-example'));
  });
});

describe('the context an answer carries', () => {
  it('its buttons name the entry answered and the language', async () => {
    const first = await askInServer('What is the back office?');
    const ids = JSON.stringify(first.components ?? []).match(/"custom_id":"[^"]*"/g)?.map((field) => field.slice(13, -1)) ?? [];
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^topic:[a-z0-9-]+:en:back-office$/);
  });

  it('lets a bot started afresh read a reply to an answer of the bot before it', async () => {
    const other = await startTestBot();
    try {
      const { posted } = await exchange(other, () => other.server.sendMessage({ content: `<@${other.server.botUser.id}> Jaką firmę artykuł podaje jako przykład?` }));
      expect(posted.embeds[0]!.title).toBe(title('coca-cola-example'));
      // The bot restarts: nothing of the first run is left in memory.
      await other.restartBot();
      const { body } = await exchange(other, () => other.server.sendReply(posted.id, { content: 'komu to zlecała?', ping: false }));
      expect(body.embeds[0]!.title).toBe(title('coca-cola-example'));
    } finally {
      await other.close();
    }
  });
});

describe('without the Message Content intent (MESSAGE_CONTENT=off)', () => {
  it('identifies without it, ignores a reply that does not ping (Discord sends it empty) and answers one that does', async () => {
    const lean = await startTestBot({ messageContent: false });
    try {
      const intents = lean.server.identifies[0]!.intents as number;
      expect(intents & GatewayIntentBits.MessageContent).toBe(0);
      const { posted } = await exchange(lean, () => lean.server.sendMessage({ content: `<@${lean.server.botUser.id}> Czym jest back office?` }));
      const since = lean.server.requests.length;
      const quiet = lean.server.sendReply(posted.id, { content: 'a front office?', ping: false });
      const pinged = lean.server.sendReply(posted.id, { content: 'a front office?', ping: true });
      const request = await replyRequest(lean, pinged, since);
      expect((request.body as { embeds: APIEmbed[] }).embeds[0]!.title).toBe(title('front-office'));
      const repliedTo = lean.server.requests.slice(since).filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).map((r) => (r.body as { message_reference?: { message_id?: string } } | null)?.message_reference?.message_id);
      expect(repliedTo).toEqual([pinged.id]);
      expect(repliedTo).not.toContain(quiet.id);
    } finally {
      await lean.close();
    }
  });
});
