/**
 * Factories for Discord API v10 payloads. They fill every field discord.js reads, so a test
 * can state only what matters to it (e.g. `makeGuildMessage({ content: 'hi' })`).
 */
import type {
  APIChannel,
  APIDMChannel,
  APIGuildMember,
  APIGuildMemberNoUser,
  APIMessage,
  APIOverwrite,
  APIRole,
  APIUser,
  APIUserWithMember,
  GatewayGuildCreateDispatchData,
  GatewayMessageCreateDispatchData,
  ChannelFlags,
  GuildMemberFlags,
  GuildSystemChannelFlags,
  Locale,
  MessageFlags,
  RoleFlags,
  UserFlags,
} from 'discord-api-types/v10';
import { ChannelType, MessageType, OverwriteType, PermissionFlagsBits } from 'discord.js';
import { nextSnowflake, snowflakeAt, snowflakeIso, snowflakeTimestamp } from './snowflake.ts';
import type { ChannelSpec, GuildSpec } from './types.ts';

export { nextSnowflake, snowflakeAt, snowflakeIso, snowflakeTimestamp, shardOf, DISCORD_EPOCH } from './snowflake.ts';

// Fixed ids keep factories usable without a server and make failures readable.
export const DEFAULT_APPLICATION_ID = '1100000000000000001';
export const DEFAULT_GUILD_ID = '1200000000000000001';
export const DEFAULT_CHANNEL_ID = '1200000000000000002';
export const DEFAULT_USER_ID = '1300000000000000001';

const P = PermissionFlagsBits;
/** What @everyone may do in the default guild: enough for a bot to read and answer. */
export const DEFAULT_PERMISSIONS = (
  P.ViewChannel |
  P.SendMessages |
  P.SendMessagesInThreads |
  P.ReadMessageHistory |
  P.EmbedLinks |
  P.AttachFiles |
  P.AddReactions |
  P.UseExternalEmojis |
  P.UseApplicationCommands |
  P.CreatePublicThreads |
  P.ChangeNickname |
  P.Connect |
  P.Speak
).toString();

let userCounter = 0;

export function makeUser(partial: Partial<APIUser> = {}): APIUser {
  userCounter += 1;
  const username = partial.username ?? `user${userCounter}`;
  return {
    id: partial.id ?? nextSnowflake(),
    username,
    discriminator: '0',
    global_name: partial.bot ? null : username,
    avatar: null,
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
    ...partial,
  };
}

export const DEFAULT_BOT_USER: APIUser = makeUser({
  id: DEFAULT_APPLICATION_ID,
  username: 'test-bot',
  bot: true,
});

export const DEFAULT_AUTHOR: APIUser = makeUser({ id: DEFAULT_USER_ID, username: 'tester', global_name: 'Tester' });

export const DEFAULT_GUILDS: GuildSpec[] = [
  {
    id: DEFAULT_GUILD_ID,
    name: 'Test Guild',
    channels: [{ id: DEFAULT_CHANNEL_ID, name: 'general', type: ChannelType.GuildText }],
  },
];

export function makeMemberNoUser(partial: Partial<APIGuildMemberNoUser> = {}): APIGuildMemberNoUser {
  return {
    roles: [],
    joined_at: new Date(Date.now() - 86_400_000).toISOString(),
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    nick: null,
    avatar: null,
    banner: null,
    premium_since: null,
    communication_disabled_until: null,
    ...partial,
  };
}

export function makeMember(user: APIUser, partial: Partial<APIGuildMemberNoUser> = {}): APIGuildMember {
  return { ...makeMemberNoUser(partial), user };
}

function makeRole(partial: Partial<APIRole> & Pick<APIRole, 'id' | 'name'>): APIRole {
  return {
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: DEFAULT_PERMISSIONS,
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...partial,
  };
}

/** The overwrites of a channel spec in the API's shape; `botRoleId` is the bot's managed role in that server. */
export function overwritesFor(guildId: string, spec: ChannelSpec, botRoleId: string | undefined): APIOverwrite[] {
  return (spec.overwrites ?? []).flatMap((overwrite) => {
    const id = overwrite.target === 'everyone' ? guildId : botRoleId;
    if (!id) return [];
    return [{ id, type: OverwriteType.Role, allow: (overwrite.allow ?? 0n).toString(), deny: (overwrite.deny ?? 0n).toString() }];
  });
}

export function makeGuildChannel(guildId: string, spec: ChannelSpec, position = 0, botRoleId?: string): APIChannel {
  const base = {
    id: spec.id,
    type: spec.type,
    guild_id: guildId,
    name: spec.name,
    position,
    permission_overwrites: overwritesFor(guildId, spec, botRoleId),
    parent_id: spec.parentId ?? null,
    nsfw: false,
    flags: 0,
  };
  switch (spec.type) {
    case ChannelType.GuildCategory:
      return base as unknown as APIChannel;
    case ChannelType.GuildVoice:
    case ChannelType.GuildStageVoice:
      return {
        ...base,
        bitrate: 64_000,
        user_limit: 0,
        rtc_region: null,
        last_message_id: null,
        rate_limit_per_user: 0,
      } as unknown as APIChannel;
    case ChannelType.GuildForum:
    case ChannelType.GuildMedia:
      return {
        ...base,
        topic: spec.topic ?? null,
        rate_limit_per_user: 0,
        available_tags: [],
        default_reaction_emoji: null,
        default_sort_order: null,
        default_forum_layout: 0,
        last_message_id: null,
      } as unknown as APIChannel;
    default:
      return {
        ...base,
        topic: spec.topic ?? null,
        last_message_id: null,
        rate_limit_per_user: 0,
        default_auto_archive_duration: 1440,
      } as unknown as APIChannel;
  }
}

/** The GUILD_CREATE Discord sends after READY, including the bot's own member so `guild.members.me` works. */
export function makeGuildCreate(
  spec: GuildSpec,
  ctx: { botUser: APIUser; applicationId: string },
): GatewayGuildCreateDispatchData {
  const botRoleId = nextSnowflake();
  const joinedAt = new Date(Date.now() - 3_600_000).toISOString();
  // Ids from the server's own creation time, so that they are unique across generated servers.
  const createdAt = snowflakeTimestamp(spec.id);
  const extraRoles = Array.from({ length: spec.extraRoles ?? 0 }, (_, i) =>
    makeRole({ id: snowflakeAt(createdAt, 0x100 + i), name: `role-${i + 1}`, position: i + 2, color: 0x100 * i, permissions: '0' }),
  );
  const emojis = Array.from({ length: spec.emojis ?? 0 }, (_, i) => ({
    id: snowflakeAt(createdAt, 0x800 + i),
    name: `emoji_${i + 1}`,
    roles: [],
    require_colons: true,
    managed: false,
    animated: i % 4 === 0,
    available: true,
  }));
  return {
    id: spec.id,
    name: spec.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: spec.ownerId ?? DEFAULT_USER_ID,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [
      // The @everyone role shares the guild's id.
      makeRole({ id: spec.id, name: '@everyone' }),
      makeRole({ id: botRoleId, name: ctx.botUser.username, position: 1, managed: true, tags: { bot_id: ctx.botUser.id } }),
      ...extraRoles,
    ],
    emojis,
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: (spec.preferredLocale ?? 'en-US') as Locale,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [makeMember(ctx.botUser, { roles: [botRoleId], joined_at: joinedAt })],
    channels: spec.channels.map((channel, index) =>
      makeGuildChannel(spec.id, channel, index, botRoleId),
    ) as GatewayGuildCreateDispatchData['channels'],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

const dmChannelIds = new Map<string, string>();

/** Discord keeps one DM channel per user; the same id is reused by factories and the REST route. */
export function dmChannelIdFor(userId: string): string {
  let id = dmChannelIds.get(userId);
  if (!id) {
    id = nextSnowflake();
    dmChannelIds.set(userId, id);
  }
  return id;
}

export function makeDmChannel(recipient: APIUser, id: string = dmChannelIdFor(recipient.id)): APIDMChannel {
  return { id, type: ChannelType.DM, recipients: [recipient], last_message_id: null, flags: 0 as ChannelFlags, name: null };
}

/** A message with every required field; `partial` wins over the defaults. */
export function makeMessage(partial: Partial<APIMessage> = {}): APIMessage {
  const id = partial.id ?? nextSnowflake();
  return {
    channel_id: DEFAULT_CHANNEL_ID,
    author: DEFAULT_AUTHOR,
    content: '',
    timestamp: snowflakeIso(id),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: MessageType.Default,
    flags: 0 as MessageFlags,
    components: [],
    ...partial,
    id,
  };
}

export interface MessageContext {
  /** Mentions of this user resolve to it (and count as mentioning the bot). */
  botUser?: APIUser;
  /** Looks up users mentioned in content; unknown ids become generated users. */
  resolveUser?: (id: string) => APIUser | undefined;
}

export type MessageInit = Partial<GatewayMessageCreateDispatchData>;

/** Users, roles and @everyone mentioned in content, the way Discord derives them server-side. */
export function parseMentions(
  content: string,
  ctx: MessageContext = {},
): { users: APIUser[]; roles: string[]; everyone: boolean } {
  const userIds = new Set([...content.matchAll(/<@!?(\d{1,20})>/g)].map((m) => m[1] ?? ''));
  const roles = [...new Set([...content.matchAll(/<@&(\d{1,20})>/g)].map((m) => m[1] ?? ''))];
  const users = [...userIds].map((id) =>
    ctx.botUser?.id === id ? ctx.botUser : (ctx.resolveUser?.(id) ?? makeUser({ id, username: `user-${id.slice(-4)}` })),
  );
  return { users, roles, everyone: /@(everyone|here)\b/.test(content) };
}

function withMentions(init: MessageInit, ctx: MessageContext, guild: boolean): APIUserWithMember[] {
  if (init.mentions) return init.mentions;
  const { users } = parseMentions(init.content ?? '', ctx);
  return guild ? users.map((user) => ({ ...user, member: makeMemberNoUser() })) : users;
}

/** A MESSAGE_CREATE from a guild text channel, with the author's partial `member`. */
export function makeGuildMessage(init: MessageInit = {}, ctx: MessageContext = {}): GatewayMessageCreateDispatchData {
  const parsed = parseMentions(init.content ?? '', ctx);
  return {
    ...makeMessage(init),
    guild_id: init.guild_id ?? DEFAULT_GUILD_ID,
    member: init.member ?? makeMemberNoUser(),
    channel_type: init.channel_type ?? ChannelType.GuildText,
    mention_roles: init.mention_roles ?? parsed.roles,
    mention_everyone: init.mention_everyone ?? parsed.everyone,
    mentions: withMentions(init, ctx, true),
  };
}

/** A MESSAGE_CREATE in the author's DM channel with the bot: no guild_id, no member. */
export function makeDmMessage(init: MessageInit = {}, ctx: MessageContext = {}): GatewayMessageCreateDispatchData {
  const author = init.author ?? DEFAULT_AUTHOR;
  const { guild_id: _guild, member: _member, ...rest } = init;
  return {
    ...makeMessage({ ...rest, author, channel_id: init.channel_id ?? dmChannelIdFor(author.id) }),
    channel_type: ChannelType.DM,
    mention_everyone: init.mention_everyone ?? false,
    mentions: withMentions(init, ctx, false),
  };
}
