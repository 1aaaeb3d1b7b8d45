import { OAuth2Scopes, PermissionFlagsBits } from 'discord-api-types/v10';

/** The least the bot needs: see channels, answer in them and in threads, show embeds, reply to a message. */
const BOT_PERMISSIONS = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.ReadMessageHistory,
] as const;

/** `bot` puts the bot in the server; `applications.commands` lets its slash commands be used there. */
const BOT_SCOPES = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands] as const;

/** The URL a server admin opens to add the bot. */
export function inviteUrl(clientId: string): string {
  const permissions = BOT_PERMISSIONS.reduce((all, flag) => all | flag, 0n);
  const query = new URLSearchParams({
    client_id: clientId,
    permissions: permissions.toString(),
    // 0 = install to a server (the bot works in DMs with anyone who shares a server with it).
    integration_type: '0',
    scope: BOT_SCOPES.join(' '),
  });
  return `https://discord.com/oauth2/authorize?${query.toString()}`;
}
