/**
 * Servers' own knowledge as the entry points run it: `npm start` with DATABASE_URL keeps the entries
 * in PostgreSQL, and a second process on the same database (an HTTP replica) answers with an entry
 * the first one added, without a restart.
 */
import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_GUILDS,
  DEFAULT_PERMISSIONS,
  makeChatInputInteraction,
  makeModalSubmitInteraction,
  makeUser,
  startDiscordServer,
  type DiscordTestServer,
  type GuildSpec,
} from './support/discord-server/index.ts';
import { freePort } from './support/free-port.ts';
import { makeSigningKeys, post, signatureHeaders } from './support/http-interactions.ts';
import { startPostgres, type TestPostgres } from './support/postgres-server.ts';
import { scriptEnv, startScript, type Started } from './support/run-script.ts';

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GfEeDb.c2VydmVyLWtub3dsZWRnZS10ZXN0LXRva2Vu';
const SECRET = 'server-knowledge-entry-points-key-0123456789';
const WAIT = { timeout: 15_000, interval: 50 };
const OTHER_GUILD: GuildSpec = { id: '1200000000000000201', name: 'Other', channels: [{ id: '1200000000000000202', name: 'general', type: ChannelType.GuildText }] };
const MODERATOR = (BigInt(DEFAULT_PERMISSIONS) | PermissionFlagsBits.ManageGuild).toString();
const moderator = makeUser({ username: 'moderator' });

let postgres: TestPostgres;
let discord: DiscordTestServer;
const started: Started[] = [];

beforeAll(async () => {
  [postgres, discord] = await Promise.all([startPostgres(), startDiscordServer({ guilds: [...DEFAULT_GUILDS, OTHER_GUILD] })]);
}, 60_000);

afterAll(async () => {
  for (const process of started) process.child.kill('SIGTERM');
  await Promise.all(started.map((process) => process.exited));
  await discord?.close();
  await postgres?.stop();
});

function start(script: string, vars: Parameters<typeof scriptEnv>[0]): Started {
  const process = startScript(script, scriptEnv({ DATABASE_URL: postgres.url, FEEDBACK_SECRET: SECRET, FEEDBACK_DB: 'off', ...vars }));
  started.push(process);
  return process;
}

interface Data {
  content?: string;
  embeds?: { title?: string; description?: string; fields?: { name: string }[] }[];
  custom_id?: string;
}

async function callback(interaction: { id: string; token: string }): Promise<{ type: number; data: Data }> {
  discord.sendInteraction(interaction);
  const request = await discord.waitForRequest({ method: 'POST', path: `/interactions/${interaction.id}/${interaction.token}/callback` });
  return request.body as { type: number; data: Data };
}

/** The reply, whether it came at once or was deferred and edited in. */
async function reply(interaction: { id: string; token: string }): Promise<Data> {
  const body = await callback(interaction);
  if (body.type !== 5) return body.data;
  const edit = await discord.waitForRequest({ method: 'PATCH', path: `/webhooks/${discord.applicationId}/${interaction.token}/messages/@original` });
  return edit.body as Data;
}

describe('npm start with DATABASE_URL', () => {
  let bot: Started;
  beforeAll(async () => {
    bot = start('dist/main.js', { DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: discord.apiBase });
    await vi.waitFor(() => expect(bot.output.stderr).toContain('"msg":"ready"'), WAIT);
  }, 30_000);

  it('keeps an entry a moderator adds through the form in PostgreSQL; it answers in that server only', async () => {
    expect(bot.output.stderr).toContain('"msg":"server knowledge: ready"');
    expect(bot.output.stderr).not.toContain(postgres.url);

    const open = makeChatInputInteraction({ name: 'wiedza', options: [{ type: 1, name: 'dodaj', options: [] }], user: moderator, memberPermissions: MODERATOR, locale: 'pl' });
    const form = await callback(open);
    expect(form.type).toBe(9);
    const fields = { question: 'Kiedy jest następny meetup?', phrasings: 'next meetup', answer: 'W pierwszy czwartek miesiąca.' };
    const saved = await reply(makeModalSubmitInteraction({ customId: form.data.custom_id!, fields, user: moderator, memberPermissions: MODERATOR, locale: 'pl' }));
    expect(saved.content).toContain('Dodano wpis');

    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT guild_id, question, answer FROM server_entries');
      expect(rows).toEqual([{ guild_id: DEFAULT_GUILDS[0]!.id, question: fields.question, answer: fields.answer }]);
    } finally {
      await client.end();
    }

    const here = await reply(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'kiedy jest nastepny meetup?' }, locale: 'pl' }));
    expect(here.embeds![0]!.description).toBe(fields.answer);
    const elsewhere = await reply(
      makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'kiedy jest nastepny meetup?' }, locale: 'pl', guildId: OTHER_GUILD.id, channelId: OTHER_GUILD.channels[0]!.id }),
    );
    expect(elsewhere.embeds![0]!.title).toBe('Nie znalazłem odpowiedzi');
    expect((await reply(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: 'Co to jest BPO?' }, locale: 'pl' }))).embeds![0]!.fields![0]!.name).toBe('Źródło');
  });

  it('an HTTP replica on the same database answers with an entry the gateway process added, without a restart', async () => {
    const keys = makeSigningKeys();
    const port = await freePort();
    const replica = start('dist/http/main.js', { DISCORD_API_BASE: discord.apiBase, DISCORD_PUBLIC_KEY: keys.publicKeyHex, PORT: String(port), HOST: '127.0.0.1' });
    await vi.waitFor(() => expect(replica.output.stderr).toContain('listening for interactions'), WAIT);
    // Each time someone else asks: the question limit counts per user.
    const askReplica = async (question: string) => {
      const body = JSON.stringify(makeChatInputInteraction({ name: 'zapytaj', options: { pytanie: question }, locale: 'pl', user: makeUser() }));
      const response = await post(`http://127.0.0.1:${port}/interactions`, body, signatureHeaders(keys, body));
      return (response.json() as { data: Data }).data;
    };
    // The replica has read the server's entries before the new one exists.
    expect((await askReplica('gdzie są oferty pracy?')).embeds![0]!.title).toBe('Nie znalazłem odpowiedzi');

    const form = await callback(makeChatInputInteraction({ name: 'wiedza', options: [{ type: 1, name: 'dodaj', options: [] }], user: moderator, memberPermissions: MODERATOR, locale: 'pl' }));
    const fields = { question: 'Gdzie są oferty pracy?', phrasings: 'oferty pracy\njob offers', answer: 'Na kanale #praca.' };
    expect((await reply(makeModalSubmitInteraction({ customId: form.data.custom_id!, fields, user: moderator, memberPermissions: MODERATOR, locale: 'pl' }))).content).toContain('Dodano wpis');

    await vi.waitFor(async () => expect((await askReplica('gdzie są oferty pracy?')).embeds![0]!.description).toBe('Na kanale #praca.'), { timeout: 15_000, interval: 100 });
  });
});
