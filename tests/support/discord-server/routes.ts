/** REST routes for gateway discovery, users, applications/commands, channels, messages and guilds. */
import type { APIApplicationCommand, APIMessage } from 'discord-api-types/v10';
import { commandIdFor } from './interactions.ts';
import { PermissionFlagsBits as P } from 'discord.js';
import { botPermissionsIn, isThread } from './permissions.ts';
import { asRecord, created, error, noContent, ok, unknownChannel, unknownMessage, type RestResponse, type Route, type RouteContext } from './route.ts';
import { nextSnowflake } from './snowflake.ts';
import { validateCommands, validateMessage } from './validate.ts';

function toCommand(ctx: RouteContext, raw: unknown, guildId?: string): APIApplicationCommand {
  const body = asRecord(raw);
  const name = String(body.name);
  return {
    id: commandIdFor(name),
    application_id: ctx.state.applicationId,
    version: nextSnowflake(),
    type: Number(body.type ?? 1),
    name,
    name_localizations: (body.name_localizations as APIApplicationCommand['name_localizations']) ?? null,
    description: typeof body.description === 'string' ? body.description : '',
    description_localizations: (body.description_localizations as APIApplicationCommand['description_localizations']) ?? null,
    options: (body.options as APIApplicationCommand['options']) ?? [],
    default_member_permissions: (body.default_member_permissions as string | null | undefined) ?? null,
    nsfw: body.nsfw === true,
    contexts: (body.contexts as APIApplicationCommand['contexts']) ?? null,
    integration_types: (body.integration_types as APIApplicationCommand['integration_types']) ?? [0],
    ...(guildId ? { guild_id: guildId } : { dm_permission: body.dm_permission !== false }),
  } as APIApplicationCommand;
}

/** GET/PUT/POST and per-command routes, for global (`guild` false) or guild commands. */
function commandRoutes(base: string, guild: boolean): Route[] {
  const scope = (ctx: RouteContext) => (guild ? ctx.params.guild : undefined);
  const key = (ctx: RouteContext) => scope(ctx) ?? 'global';
  const check = (ctx: RouteContext) =>
    guild && !ctx.state.guildCreates.has(ctx.params.guild ?? '') ? error(403, 'Missing Access', 50001) : null;
  const find = (ctx: RouteContext) => (ctx.state.commands.get(key(ctx)) ?? []).find((c) => c.id === ctx.params.command);
  return [
    { method: 'GET', path: base, handle: (ctx) => check(ctx) ?? ok(ctx.state.commands.get(key(ctx)) ?? []) },
    {
      method: 'PUT',
      path: base,
      handle: (ctx) => {
        const invalid = check(ctx) ?? (ctx.validate ? validateCommands(ctx.body) : null);
        if (invalid) return invalid;
        const commands = (Array.isArray(ctx.body) ? ctx.body : []).map((c: unknown) => toCommand(ctx, c, scope(ctx)));
        ctx.state.commands.set(key(ctx), commands);
        return ok(commands);
      },
    },
    {
      method: 'POST',
      path: base,
      handle: (ctx) => {
        const invalid = check(ctx) ?? (ctx.validate ? validateCommands(ctx.body, true) : null);
        if (invalid) return invalid;
        const command = toCommand(ctx, ctx.body, scope(ctx));
        const others = (ctx.state.commands.get(key(ctx)) ?? []).filter((c) => c.name !== command.name);
        ctx.state.commands.set(key(ctx), [...others, command]);
        return created(command);
      },
    },
    {
      method: 'GET',
      path: `${base}/:command`,
      handle: (ctx) => {
        const command = find(ctx);
        return command ? ok(command) : error(404, 'Unknown application command', 10063);
      },
    },
    {
      method: 'PATCH',
      path: `${base}/:command`,
      handle: (ctx) => {
        const command = find(ctx);
        if (!command) return error(404, 'Unknown application command', 10063);
        const updated = toCommand(ctx, { ...command, ...asRecord(ctx.body) }, scope(ctx));
        const list = (ctx.state.commands.get(key(ctx)) ?? []).map((c) => (c.id === command.id ? updated : c));
        ctx.state.commands.set(key(ctx), list);
        return ok(updated);
      },
    },
    {
      method: 'DELETE',
      path: `${base}/:command`,
      handle: (ctx) => {
        const list = ctx.state.commands.get(key(ctx)) ?? [];
        if (!list.some((c) => c.id === ctx.params.command)) return error(404, 'Unknown application command', 10063);
        ctx.state.commands.set(key(ctx), list.filter((c) => c.id !== ctx.params.command));
        return noContent();
      },
    },
  ];
}

/**
 * What Discord answers a bot that posts where it may not: 50001 without View Channel, 50013 without
 * Send Messages (in threads, Send Messages in Threads) or, for a message with embeds, without Embed
 * Links, and 160002 for a reply (message_reference) without Read Message History.
 */
function refusedPost(ctx: RouteContext, channelId: string, { typing = false } = {}): RestResponse | undefined {
  const permissions = botPermissionsIn(ctx.state, channelId);
  if (permissions === undefined) return undefined;
  const has = (flag: bigint) => (permissions & flag) !== 0n;
  const channel = ctx.state.channels.get(channelId)!;
  if (!has(P.ViewChannel)) return error(403, 'Missing Access', 50001);
  if (!has(isThread(channel) ? P.SendMessagesInThreads : P.SendMessages)) return error(403, 'Missing Permissions', 50013);
  if (typing) return undefined;
  const body = asRecord(ctx.body);
  if (Array.isArray(body.embeds) && body.embeds.length > 0 && !has(P.EmbedLinks)) return error(403, 'Missing Permissions', 50013);
  if (typeof asRecord(body.message_reference).message_id === 'string' && !has(P.ReadMessageHistory)) {
    return error(403, 'Cannot reply without permission to read message history', 160002);
  }
  return undefined;
}

function storedMessage(ctx: RouteContext): APIMessage | undefined {
  const message = ctx.state.messages.get(ctx.params.message ?? '');
  return message?.channel_id === ctx.params.channel ? message : undefined;
}

export const coreRoutes: Route[] = [
  { method: 'GET', path: '/gateway', auth: false, handle: (ctx) => ok({ url: ctx.gatewayUrl }) },
  {
    method: 'GET',
    path: '/gateway/bot',
    handle: (ctx) =>
      ok({
        url: ctx.gatewayUrl,
        shards: ctx.gateway.recommendedShards,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: ctx.gateway.maxConcurrency },
      }),
  },
  { method: 'GET', path: '/users/@me', handle: (ctx) => ok(ctx.state.botUser) },
  {
    method: 'GET',
    path: '/users/:user',
    handle: (ctx) => {
      const user = ctx.state.users.get(ctx.params.user ?? '');
      return user ? ok(user) : error(404, 'Unknown User', 10013);
    },
  },
  {
    method: 'POST',
    path: '/users/@me/channels',
    handle: (ctx) => {
      const recipient = asRecord(ctx.body).recipient_id;
      if (typeof recipient !== 'string') return error(400, 'Invalid Form Body', 50035);
      return ok(ctx.state.dmChannelFor(ctx.state.userFor(recipient)));
    },
  },
  {
    method: 'GET',
    path: '/applications/@me',
    handle: (ctx) =>
      ok({
        id: ctx.state.applicationId,
        name: ctx.state.botUser.username,
        icon: null,
        description: '',
        summary: '',
        type: null,
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: '0'.repeat(64),
        flags: 0,
        team: null,
        bot: ctx.state.botUser,
        owner: { id: '1300000000000000001', username: 'owner', discriminator: '0', global_name: 'Owner', avatar: null },
        integration_types_config: { '0': {} },
        approximate_guild_count: ctx.state.guilds.length,
      }),
  },
  ...commandRoutes('/applications/:app/commands', false),
  ...commandRoutes('/applications/:app/guilds/:guild/commands', true),
  {
    method: 'GET',
    path: '/channels/:channel',
    handle: (ctx) => {
      const channel = ctx.state.channels.get(ctx.params.channel ?? '');
      return channel ? ok(channel) : unknownChannel();
    },
  },
  {
    method: 'POST',
    path: '/channels/:channel/messages',
    handle: (ctx) => {
      const channelId = ctx.params.channel ?? '';
      if (!ctx.state.channels.has(channelId)) return unknownChannel();
      const invalid = ctx.validate ? validateMessage(ctx.body, { hasFiles: ctx.files.length > 0 }) : null;
      if (invalid) return invalid;
      const refused = refusedPost(ctx, channelId);
      if (refused) return refused;
      const reference = asRecord(asRecord(ctx.body).message_reference).message_id;
      if (typeof reference === 'string' && !ctx.state.messages.has(reference) && asRecord(asRecord(ctx.body).message_reference).fail_if_not_exists !== false) {
        return {
          status: 400,
          body: {
            message: 'Invalid Form Body',
            code: 50035,
            errors: { message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] } },
          },
        };
      }
      return ok(ctx.state.botMessage(channelId, asRecord(ctx.body), ctx.files));
    },
  },
  {
    method: 'GET',
    path: '/channels/:channel/messages/:message',
    handle: (ctx) => {
      const message = storedMessage(ctx);
      return message ? ok(message) : unknownMessage();
    },
  },
  {
    method: 'PATCH',
    path: '/channels/:channel/messages/:message',
    handle: (ctx) => {
      const message = storedMessage(ctx);
      if (!message) return unknownMessage();
      if (message.author.id !== ctx.state.botUser.id) return error(403, 'Cannot edit a message authored by another user', 50005);
      const invalid = ctx.validate ? validateMessage(ctx.body, { partial: true }) : null;
      return invalid ?? ok(ctx.state.editMessage(message, asRecord(ctx.body), ctx.files));
    },
  },
  {
    method: 'DELETE',
    path: '/channels/:channel/messages/:message',
    handle: (ctx) => {
      const message = storedMessage(ctx);
      if (!message) return unknownMessage();
      ctx.state.messages.delete(message.id);
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/channels/:channel/typing',
    handle: (ctx) => {
      const channelId = ctx.params.channel ?? '';
      if (!ctx.state.channels.has(channelId)) return unknownChannel();
      return refusedPost(ctx, channelId, { typing: true }) ?? noContent();
    },
  },
  { method: 'PUT', path: '/channels/:channel/messages/:message/reactions/:emoji/@me', handle: (ctx) => (storedMessage(ctx) ? noContent() : unknownMessage()) },
  { method: 'DELETE', path: '/channels/:channel/messages/:message/reactions/:emoji/@me', handle: (ctx) => (storedMessage(ctx) ? noContent() : unknownMessage()) },
  {
    method: 'GET',
    path: '/guilds/:guild',
    handle: (ctx) => {
      const guild = ctx.state.guildCreates.get(ctx.params.guild ?? '');
      if (!guild) return error(404, 'Unknown Guild', 10004);
      const { channels: _c, members: _m, threads: _t, presences: _p, voice_states: _v, joined_at: _j, large: _l, member_count: _n, ...rest } = guild;
      return ok(rest);
    },
  },
  {
    method: 'GET',
    path: '/guilds/:guild/channels',
    handle: (ctx) => {
      const guild = ctx.state.guildCreates.get(ctx.params.guild ?? '');
      return guild ? ok(guild.channels) : error(404, 'Unknown Guild', 10004);
    },
  },
  {
    method: 'GET',
    path: '/guilds/:guild/roles',
    handle: (ctx) => {
      const guild = ctx.state.guildCreates.get(ctx.params.guild ?? '');
      return guild ? ok(guild.roles) : error(404, 'Unknown Guild', 10004);
    },
  },
  {
    method: 'GET',
    path: '/guilds/:guild/members/:user',
    handle: (ctx) => {
      const guild = ctx.state.guildCreates.get(ctx.params.guild ?? '');
      if (!guild) return error(404, 'Unknown Guild', 10004);
      const member = guild.members.find((m) => m.user?.id === ctx.params.user);
      return member ? ok(member) : error(404, 'Unknown Member', 10007);
    },
  },
];
