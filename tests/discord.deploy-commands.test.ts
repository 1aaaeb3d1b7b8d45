/**
 * Command registration against the Discord test server: the bulk-overwrite request, its route
 * (one server or global), and the payload Discord validates. Also runs the script itself, the way
 * `npm run deploy-commands` does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/interactions/commands.ts';
import { registerCommands } from '../src/interactions/register-commands.ts';
import { DEFAULT_GUILD_ID, startDiscordServer, type DiscordTestServer } from './support/discord-server/index.ts';
import { runScript, scriptEnv } from './support/run-script.ts';

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GdEpLo.ZGVwbG95LXRlc3QtdG9rZW4tbm90LWEtcmVhbC1vbmU';

let server: DiscordTestServer;

beforeAll(async () => {
  server = await startDiscordServer();
});
afterAll(async () => {
  await server.close();
});

const config = (guildId?: string) => ({ token: TOKEN, clientId: server.applicationId, guildId, apiBase: server.apiBase, logLevel: 'info' as const });

interface CommandBody {
  name: string;
  name_localizations: Record<string, string>;
  description_localizations: Record<string, string>;
  options?: { name: string; name_localizations: Record<string, string>; max_length?: number; autocomplete?: boolean; required?: boolean }[];
  contexts: number[];
}

describe('registerCommands', () => {
  it('overwrites the commands of one server when DISCORD_GUILD_ID is set', async () => {
    const since = server.requests.length;
    const result = await registerCommands(config(DEFAULT_GUILD_ID));
    expect(result).toEqual({ scope: 'guild', guildId: DEFAULT_GUILD_ID, names: ['zapytaj', 'tematy', 'pomoc', 'wiedza'] });

    const requests = server.requests.slice(since);
    expect(requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `PUT /applications/${server.applicationId}/guilds/${DEFAULT_GUILD_ID}/commands 200`,
    ]);
    expect(requests[0]!.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(requests[0]!.body).toEqual(JSON.parse(JSON.stringify(COMMANDS)));
    expect(server.state.commands.get(DEFAULT_GUILD_ID)?.map((c) => c.name)).toEqual(['zapytaj', 'tematy', 'pomoc', 'wiedza']);
  });

  it('overwrites the global commands otherwise, with both localizations and the question option\'s limits', async () => {
    const since = server.requests.length;
    const result = await registerCommands(config());
    expect(result.scope).toBe('global');

    const [request] = server.requests.slice(since);
    expect(`${request!.method} ${request!.path}`).toBe(`PUT /applications/${server.applicationId}/commands`);
    expect(request!.status).toBe(200);
    const body = request!.body as CommandBody[];
    for (const command of body) {
      expect(Object.keys(command.name_localizations).sort()).toEqual(['en-GB', 'en-US', 'pl']);
      expect(Object.keys(command.description_localizations).sort()).toEqual(['en-GB', 'en-US', 'pl']);
      // /wiedza keeps a server's own knowledge: servers only.
      expect(command.contexts).toEqual(command.name === 'wiedza' ? [0] : [0, 1]);
    }
    const ask = body.find((command) => command.name === 'zapytaj')!;
    expect(ask.name_localizations).toMatchObject({ pl: 'zapytaj', 'en-US': 'ask', 'en-GB': 'ask' });
    expect(ask.options).toEqual([
      expect.objectContaining({ name: 'pytanie', required: true, max_length: 300, autocomplete: true, name_localizations: expect.objectContaining({ 'en-US': 'question' }) }),
    ]);
    expect(server.state.commands.get('global')).toHaveLength(4);
  });
});

describe('npm run deploy-commands', () => {
  it('registers in the configured server and says where', async () => {
    const result = await runScript(
      'dist/cli/deploy-commands.js',
      scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: server.applicationId, DISCORD_GUILD_ID: DEFAULT_GUILD_ID, DISCORD_API_BASE: server.apiBase }),
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`Registered 4 commands (/zapytaj, /tematy, /pomoc, /wiedza) in server ${DEFAULT_GUILD_ID}; they can be used there right away.\n`);
    await server.waitForRequest({ method: 'PUT', path: `/applications/${server.applicationId}/guilds/${DEFAULT_GUILD_ID}/commands` });
  });

  it('explains in one sentence a server the bot is not in', async () => {
    const result = await runScript(
      'dist/cli/deploy-commands.js',
      scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: server.applicationId, DISCORD_GUILD_ID: '1299999999999999999', DISCORD_API_BASE: server.apiBase }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^The bot cannot register commands in server 1299999999999999999 \(Missing Access\): check DISCORD_GUILD_ID, .*npm run invite.*\.\n$/);
  });

  it('leaves the token out of the sentence when Discord\'s error repeats it', async () => {
    server.failNext({ method: 'PUT', status: 400, body: { message: `Bad Authorization: Bot ${TOKEN}`, code: 50035 } });
    const result = await runScript(
      'dist/cli/deploy-commands.js',
      scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: server.applicationId, DISCORD_API_BASE: server.apiBase }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Discord refused the commands \(400 Bad Authorization: Bot \[redacted\]\); .*\n$/);
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('stops before any request when a variable is missing', async () => {
    const token = TOKEN.replace('GdEpLo', 'NoReqs');
    const result = await runScript('dist/cli/deploy-commands.js', scriptEnv({ DISCORD_TOKEN: token, DISCORD_API_BASE: server.apiBase }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^DISCORD_CLIENT_ID is not set: [^\n]+\n$/);
    expect(server.requests.some((r) => r.headers.authorization === `Bot ${token}`)).toBe(false);
  });
});
