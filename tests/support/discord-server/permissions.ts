/**
 * The bot's permissions in a channel, computed as Discord does: the @everyone role and the bot's
 * roles, then the channel's overwrites for @everyone, for those roles and for the bot itself
 * (a thread takes its parent's). Used to refuse what Discord would refuse.
 */
import type { APIChannel, APIOverwrite } from 'discord-api-types/v10';
import { ChannelType, PermissionFlagsBits as P } from 'discord.js';
import type { DiscordState } from './state.ts';

const ALL = (1n << 64n) - 1n;
const THREADS = new Set<number>([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

export const isThread = (channel: APIChannel): boolean => THREADS.has(channel.type);

/** The bot's permissions in `channelId`, or undefined outside a server (a DM), where none apply. */
export function botPermissionsIn(state: DiscordState, channelId: string): bigint | undefined {
  const channel = state.channels.get(channelId);
  if (!channel || !('guild_id' in channel) || !channel.guild_id) return undefined;
  const guild = state.guildCreates.get(channel.guild_id);
  if (!guild) return undefined;
  const botId = state.botUser.id;
  const member = guild.members.find((m) => m.user?.id === botId);
  const roleIds = new Set(member?.roles ?? []);
  if (guild.owner_id === botId) return ALL;

  let permissions = 0n;
  for (const role of guild.roles) if (role.id === guild.id || roleIds.has(role.id)) permissions |= BigInt(role.permissions);
  if ((permissions & P.Administrator) !== 0n) return ALL;

  const source = isThread(channel) && channel.parent_id ? (state.channels.get(channel.parent_id) ?? channel) : channel;
  const overwrites: APIOverwrite[] = 'permission_overwrites' in source ? (source.permission_overwrites ?? []) : [];
  const apply = (list: APIOverwrite[]) => {
    let allow = 0n;
    let deny = 0n;
    for (const overwrite of list) {
      allow |= BigInt(overwrite.allow);
      deny |= BigInt(overwrite.deny);
    }
    permissions = (permissions & ~deny) | allow;
  };
  apply(overwrites.filter((o) => o.id === guild.id));
  apply(overwrites.filter((o) => o.id !== guild.id && roleIds.has(o.id)));
  apply(overwrites.filter((o) => o.id === botId));
  return permissions;
}
