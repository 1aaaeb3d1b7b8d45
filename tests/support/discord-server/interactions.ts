/** Factories for INTERACTION_CREATE payloads (slash commands, autocomplete, buttons). */
import { randomBytes } from 'node:crypto';
import type {
  APIActionRowComponent,
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteractionDataBasicOption,
  APIApplicationCommandInteractionDataOption,
  APIButtonComponent,
  APIChatInputApplicationCommandInteraction,
  APIMessage,
  APIMessageComponentButtonInteraction,
  APIModalSubmitInteraction,
  APIUser,
  Locale,
} from 'discord-api-types/v10';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
} from 'discord.js';
import {
  DEFAULT_APPLICATION_ID,
  DEFAULT_AUTHOR,
  DEFAULT_BOT_USER,
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  DEFAULT_PERMISSIONS,
  dmChannelIdFor,
  makeMember,
  makeMessage,
} from './payloads.ts';
import { nextSnowflake } from './snowflake.ts';

export interface InteractionInit {
  id?: string;
  token?: string;
  applicationId?: string;
  /** Guild the interaction comes from (default: the default test guild) — ignored when `dm` is set. */
  guildId?: string;
  channelId?: string;
  /** Invoked in the user's DM with the bot: `user` instead of `member`, no guild. */
  dm?: boolean;
  user?: APIUser;
  /** The invoking user's client language, e.g. "pl" or "en-US" (default "en-US"). */
  locale?: string;
  /** The guild's preferred locale (default "en-US"); absent in DMs. */
  guildLocale?: string;
  appPermissions?: string;
  memberPermissions?: string;
}

/** Convenience form of options: `{ question: 'Co to BPO?', public: true }`. */
export type OptionValues = Record<string, string | number | boolean>;

/** Attachment limit Discord reports for servers without boosts (10 MiB). */
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

const commandIds = new Map<string, string>();

/** One id per command name, shared with the command-registration routes so ids line up. */
export function commandIdFor(name: string): string {
  let id = commandIds.get(name);
  if (!id) {
    id = nextSnowflake();
    commandIds.set(name, id);
  }
  return id;
}

export function makeInteractionToken(): string {
  return `aW50ZXJhY3Rpb246${randomBytes(32).toString('base64url')}`;
}

/** The fields every interaction carries, for a guild or a DM context. */
export function makeInteractionBase(init: InteractionInit = {}) {
  const user = init.user ?? DEFAULT_AUTHOR;
  const common = {
    id: init.id ?? nextSnowflake(),
    application_id: init.applicationId ?? DEFAULT_APPLICATION_ID,
    token: init.token ?? makeInteractionToken(),
    version: 1 as const,
    locale: (init.locale ?? 'en-US') as Locale,
    app_permissions: init.appPermissions ?? DEFAULT_PERMISSIONS,
    entitlements: [],
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
  if (init.dm) {
    const channelId = init.channelId ?? dmChannelIdFor(user.id);
    return {
      ...common,
      user,
      channel: { id: channelId, type: ChannelType.DM as const, recipients: [user], last_message_id: null, flags: 0 },
      channel_id: channelId,
      context: InteractionContextType.BotDM,
      // Outside a server the guild-install owner is reported as "0".
      authorizing_integration_owners: { '0': '0' as const },
    };
  }
  const guildId = init.guildId ?? DEFAULT_GUILD_ID;
  const channelId = init.channelId ?? DEFAULT_CHANNEL_ID;
  const guildLocale = (init.guildLocale ?? 'en-US') as Locale;
  return {
    ...common,
    guild_id: guildId,
    guild: { id: guildId, locale: guildLocale, features: [] },
    guild_locale: guildLocale,
    member: { ...makeMember(user), permissions: init.memberPermissions ?? DEFAULT_PERMISSIONS },
    channel: { id: channelId, type: ChannelType.GuildText as const, guild_id: guildId },
    channel_id: channelId,
    context: InteractionContextType.Guild,
    authorizing_integration_owners: { '0': guildId },
  };
}

function optionFor(name: string, value: string | number | boolean): APIApplicationCommandInteractionDataBasicOption {
  if (typeof value === 'boolean') return { name, type: ApplicationCommandOptionType.Boolean, value };
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { name, type: ApplicationCommandOptionType.Integer, value }
      : { name, type: ApplicationCommandOptionType.Number, value };
  }
  return { name, type: ApplicationCommandOptionType.String, value };
}

export function toOptions(
  options: APIApplicationCommandInteractionDataOption[] | OptionValues | undefined,
): APIApplicationCommandInteractionDataOption[] | undefined {
  if (options === undefined || Array.isArray(options)) return options;
  return Object.entries(options).map(([name, value]) => optionFor(name, value));
}

export function makeChatInputInteraction(
  init: InteractionInit & {
    name: string;
    options?: APIApplicationCommandInteractionDataOption[] | OptionValues;
    commandId?: string;
  },
): APIChatInputApplicationCommandInteraction {
  const options = toOptions(init.options);
  return {
    ...makeInteractionBase(init),
    type: InteractionType.ApplicationCommand,
    data: {
      id: init.commandId ?? commandIdFor(init.name),
      name: init.name,
      type: ApplicationCommandType.ChatInput,
      ...(options && { options }),
    },
  } as APIChatInputApplicationCommandInteraction;
}

export function makeAutocompleteInteraction(
  init: InteractionInit & {
    name: string;
    /** Name of the option the user is typing into. */
    focusedOption: string;
    /** What the user has typed so far. */
    value: string | number;
    focusedType?: ApplicationCommandOptionType.String | ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number;
    /** Other options already filled in. */
    options?: APIApplicationCommandInteractionDataOption[] | OptionValues;
    commandId?: string;
  },
): APIApplicationCommandAutocompleteInteraction {
  const focusedType =
    init.focusedType ??
    (typeof init.value === 'number' ? ApplicationCommandOptionType.Number : ApplicationCommandOptionType.String);
  const focused = { name: init.focusedOption, type: focusedType, value: init.value, focused: true };
  return {
    ...makeInteractionBase(init),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: init.commandId ?? commandIdFor(init.name),
      name: init.name,
      type: ApplicationCommandType.ChatInput,
      options: [...(toOptions(init.options) ?? []), focused],
    },
  } as APIApplicationCommandAutocompleteInteraction;
}

export function makeButtonInteraction(
  init: InteractionInit & {
    customId: string;
    /** The message carrying the button (default: a bot message with just that button). */
    message?: APIMessage;
    botUser?: APIUser;
  },
): APIMessageComponentButtonInteraction {
  const base = makeInteractionBase(init);
  const row = {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: init.customId, custom_id: init.customId }],
  } as APIActionRowComponent<APIButtonComponent>;
  const message =
    init.message ??
    makeMessage({
      channel_id: base.channel_id,
      author: init.botUser ?? DEFAULT_BOT_USER,
      content: 'Choose:',
      components: [row],
      application_id: base.application_id,
    });
  return {
    ...base,
    type: InteractionType.MessageComponent,
    data: { custom_id: init.customId, component_type: ComponentType.Button },
    message,
  } as APIMessageComponentButtonInteraction;
}

/**
 * A submitted form (modal), as Discord sends it: each text field inside its label, with what the
 * user typed. `message` is absent: the form was opened by a command.
 */
export function makeModalSubmitInteraction(init: InteractionInit & { customId: string; fields: Record<string, string> }): APIModalSubmitInteraction {
  let componentId = 0;
  const components = Object.entries(init.fields).map(([customId, value]) => ({
    type: ComponentType.Label,
    id: (componentId += 2) - 1,
    component: { type: ComponentType.TextInput, id: componentId, custom_id: customId, value },
  }));
  return {
    ...makeInteractionBase(init),
    type: InteractionType.ModalSubmit,
    data: { custom_id: init.customId, components },
  } as unknown as APIModalSubmitInteraction;
}
