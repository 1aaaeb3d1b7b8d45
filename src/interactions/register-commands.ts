import { DiscordAPIError, REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { ConfigWith } from '../config.ts';
import { restOptions } from '../rest-options.ts';
import { COMMANDS } from './commands.ts';

/** What registering needs: who the bot is, where to register, and which API to talk to. */
export type RegistrationConfig = Pick<ConfigWith<'token' | 'clientId'>, 'token' | 'clientId' | 'guildId' | 'apiBase' | 'proxySecret'>;

export interface Registration {
  scope: 'guild' | 'global';
  guildId: string | undefined;
  names: string[];
}

/**
 * Replaces the registered slash commands with COMMANDS in one bulk overwrite: in one server when
 * guildId is set (shown there at once; handy while developing), otherwise globally (every server
 * and DMs). Commands removed from COMMANDS disappear from Discord as well.
 */
export async function registerCommands(config: RegistrationConfig): Promise<Registration> {
  const rest = new REST(restOptions(config.apiBase, config.proxySecret)).setToken(config.token);
  try {
    const route = config.guildId ? Routes.applicationGuildCommands(config.clientId, config.guildId) : Routes.applicationCommands(config.clientId);
    const registered = (await rest.put(route, { body: COMMANDS })) as { name: string }[];
    return { scope: config.guildId ? 'guild' : 'global', guildId: config.guildId, names: registered.map((command) => command.name) };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

/** A failed registration, explained in one sentence that says what to fix. */
export function explainRegistrationError(error: unknown, config: RegistrationConfig): string {
  if (!(error instanceof DiscordAPIError)) {
    const cause = error instanceof Error ? error.message : String(error);
    return `Could not reach Discord${config.apiBase ? ` at ${config.apiBase}` : ''} (${cause}); check the network connection${config.apiBase ? ' and DISCORD_API_BASE' : ''}.`;
  }
  if (error.status === 401) return 'Discord rejected DISCORD_TOKEN (401 Unauthorized): reset the token in the developer portal and update .env.';
  if (config.guildId && (error.code === 50001 || error.code === 10004)) {
    return `The bot cannot register commands in server ${config.guildId} (${error.message}): check DISCORD_GUILD_ID, and add the bot there with the link from "npm run invite".`;
  }
  if (error.status === 403 || error.code === 10002) {
    return `Discord refused the registration (${error.message}): DISCORD_CLIENT_ID must be the id of the application DISCORD_TOKEN belongs to.`;
  }
  return `Discord refused the commands (${error.status} ${error.message}); the definitions are in src/interactions/commands.ts.`;
}
