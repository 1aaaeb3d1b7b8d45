/**
 * Interaction payloads as Discord sends them (over the gateway or in an HTTP request), checked at
 * the door and read through a few helpers, so handlers never touch a field that may be missing.
 */
import {
  InteractionType,
  PermissionFlagsBits,
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
} from 'discord-api-types/v10';
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{1,20}$/);

/**
 * What every interaction the bot answers must carry: who sent it is required (a user in DMs, a
 * member in servers), since the limits count per user. Other fields are read defensively.
 */
const envelope = z.looseObject({
  id: snowflake,
  application_id: snowflake,
  type: z.number().int(),
  token: z.string().min(1).max(500),
  guild_id: snowflake.optional(),
  channel_id: snowflake.optional(),
  channel: z.looseObject({ id: snowflake }).optional(),
  locale: z.string().max(20).optional(),
  app_permissions: z.string().regex(/^\d{1,40}$/).optional(),
  user: z.looseObject({ id: snowflake }).optional(),
  member: z.looseObject({ user: z.looseObject({ id: snowflake }) }).optional(),
  data: z.looseObject({}).optional(),
});

/** What each kind of interaction must carry in `data` for its handler to route it. */
const DATA_BY_TYPE: ReadonlyMap<number, z.ZodType> = new Map<number, z.ZodType>([
  [InteractionType.ApplicationCommand, z.looseObject({ name: z.string().min(1).max(100), type: z.number().int() })],
  [InteractionType.ApplicationCommandAutocomplete, z.looseObject({ name: z.string().min(1).max(100) })],
  [InteractionType.MessageComponent, z.looseObject({ custom_id: z.string().max(100), component_type: z.number().int() })],
  [InteractionType.ModalSubmit, z.looseObject({ custom_id: z.string().max(100) })],
]);

export type InteractionCheck = { ok: true; interaction: APIInteraction } | { ok: false; problem: string };

/** Checks an interaction payload before anything is done with it; `problem` names the field at fault. */
export function checkInteraction(payload: unknown): InteractionCheck {
  const parsed = envelope.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}` };
  }
  const value = parsed.data;
  // A PING (Discord checking an HTTP endpoint) is the only interaction with nobody behind it.
  if (value.type !== InteractionType.Ping && !value.user && !value.member) return { ok: false, problem: 'user: neither user nor member is set' };
  const data = DATA_BY_TYPE.get(value.type)?.safeParse(value.data);
  if (data && !data.success) return { ok: false, problem: `data: ${data.error.issues[0]?.path.join('.') || ''} ${data.error.issues[0]?.message ?? 'invalid'}`.trim() };
  return { ok: true, interaction: payload as APIInteraction };
}

/** The person who sent the interaction; checkInteraction guarantees one for everything but a PING. */
export function userIdOf(interaction: APIInteraction): string {
  return interaction.member?.user.id ?? interaction.user?.id ?? '';
}

export function guildIdOf(interaction: APIInteraction): string | null {
  return interaction.guild_id ?? null;
}

export function channelIdOf(interaction: APIInteraction): string | null {
  return interaction.channel?.id ?? interaction.channel_id ?? null;
}

export function localeOf(interaction: APIInteraction): string | undefined {
  return 'locale' in interaction ? interaction.locale : undefined;
}

/**
 * Whether a reply may carry embeds: Discord sends the app's permissions in the channel with every
 * interaction, so no cache is needed. In a DM embeds are always allowed.
 */
export function canEmbed(interaction: APIInteraction): boolean {
  if (!interaction.guild_id) return true;
  const permissions = interaction.app_permissions;
  if (typeof permissions !== 'string' || !/^\d+$/.test(permissions)) return true;
  return (BigInt(permissions) & PermissionFlagsBits.EmbedLinks) !== 0n;
}

/** A command's string option by name, from the top level of its options. */
export function stringOption(options: readonly APIApplicationCommandInteractionDataOption[] | undefined, name: string): string | undefined {
  const option = options?.find((candidate) => candidate.name === name);
  return option && 'value' in option && typeof option.value === 'string' ? option.value : undefined;
}

/** The option the user is typing into (autocomplete), with what they typed so far. */
export function focusedOption(options: readonly APIApplicationCommandInteractionDataOption[] | undefined): { name: string; value: string } | undefined {
  const option = options?.find((candidate) => 'focused' in candidate && candidate.focused === true);
  if (!option || !('value' in option)) return undefined;
  return { name: option.name, value: String(option.value ?? '') };
}
