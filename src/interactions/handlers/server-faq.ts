/**
 * /wiedza (/faq): a server's admins keep their own answers. `dodaj`/`edytuj` open a form (a modal);
 * its submission is handled by `serverFaqForm`. Everything here is private to the admin. The
 * member's permissions are checked on every use, since server admins can show the command to others.
 */
import {
  ApplicationCommandOptionType,
  ComponentType,
  InteractionResponseType,
  PermissionFlagsBits,
  TextInputStyle,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIInteractionResponse,
  type APIModalSubmitInteraction,
} from 'discord-api-types/v10';
import { langFromLocale } from '../../bot/locale.ts';
import type { Lang } from '../../knowledge/schema.ts';
import { renderDiscordNotice } from '../../responder/render-discord.ts';
import { SERVER_ENTRY_LIMITS, type ServerEntry } from '../../server-knowledge/entry.ts';
import { FAQ_MESSAGES } from '../../server-knowledge/messages.ts';
import type { ServerKnowledge } from '../../server-knowledge/service.ts';
import { questionKey, StoreRefusal } from '../../server-knowledge/store.ts';
import { checkDraft, type FormFields } from '../../server-knowledge/validate.ts';
import { defaultFaqSubcommandName, FAQ_ENTRY_OPTION, FAQ_SUBCOMMANDS } from '../commands.ts';
import { messageResponse, type EventContext, type Handled, type InteractionHandler } from '../handler.ts';
import { focusedOption, guildIdOf, localeOf, userIdOf } from '../payload.ts';

/** The form's custom id: `faq:add`, or `faq:edit:<entry id>`. */
export const FAQ_FORM_PREFIX = 'faq';
/** The form's fields, by custom id. */
export const FAQ_FIELDS = { question: 'question', phrasings: 'phrasings', answer: 'answer' } as const;

const MANAGES_SERVER = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator;
/** How many entries `lista` shows in one message; `eksport` has them all. */
const LISTED = 25;

const langOf = (interaction: APIInteraction): Lang => langFromLocale(localeOf(interaction)) ?? 'pl';
const privately = (text: string): Handled => ({ response: messageResponse(renderDiscordNotice(text), true) });

/** Whether the member who sent it may keep the server's knowledge; never in a DM. */
function mayManage(interaction: APIInteraction): boolean {
  const permissions = interaction.member?.permissions;
  if (typeof permissions !== 'string' || !/^\d+$/.test(permissions)) return false;
  return (BigInt(permissions) & MANAGES_SERVER) !== 0n;
}

/** The refusal, if any, every use of the command and its form starts with. */
function refusal(interaction: APIInteraction, event: EventContext): Handled | undefined {
  const text = FAQ_MESSAGES[langOf(interaction)];
  if (guildIdOf(interaction) === null) return privately(text.onlyInServers);
  if (!mayManage(interaction)) return privately(text.refused);
  if (!event.serverKnowledge) return privately(text.off);
  return undefined;
}

function subcommandOf(options: readonly APIApplicationCommandInteractionDataOption[] | undefined) {
  const sub = options?.find((option) => option.type === ApplicationCommandOptionType.Subcommand);
  return sub && 'options' in sub ? { name: sub.name, options: sub.options ?? [] } : sub ? { name: sub.name, options: [] } : undefined;
}

/**
 * The entry the `wpis` option names: its id when picked from the suggestions, or its question when
 * typed out and sent without picking one.
 */
async function entryNamed(knowledge: ServerKnowledge, guildId: string, options: readonly APIApplicationCommandInteractionDataOption[]): Promise<ServerEntry | undefined> {
  const option = options.find((o) => o.name === FAQ_ENTRY_OPTION);
  const value = option && 'value' in option ? String(option.value).trim() : '';
  const entries = await knowledge.list(guildId);
  return entries.find((entry) => entry.id === value) ?? entries.find((entry) => questionKey(entry.question) === questionKey(value));
}

/** A text field of the form, inside a label (Discord's current form layout). */
function field(customId: string, label: string, style: TextInputStyle, maxLength: number, required: boolean, value?: string) {
  return {
    type: ComponentType.Label,
    label,
    component: {
      type: ComponentType.TextInput,
      custom_id: customId,
      style,
      max_length: maxLength,
      required,
      ...(value ? { value } : {}),
    },
  } as const;
}

function form(lang: Lang, customId: string, entry?: ServerEntry): APIInteractionResponse {
  const text = FAQ_MESSAGES[lang];
  const L = SERVER_ENTRY_LIMITS;
  return {
    type: InteractionResponseType.Modal,
    data: {
      custom_id: customId,
      title: entry ? text.editTitle : text.addTitle,
      components: [
        field(FAQ_FIELDS.question, text.questionField, TextInputStyle.Short, L.questionLength, true, entry?.question),
        field(FAQ_FIELDS.phrasings, text.phrasingsField, TextInputStyle.Paragraph, 4000, false, entry?.phrasings.join('\n')),
        field(FAQ_FIELDS.answer, text.answerField, TextInputStyle.Paragraph, L.answerLength, true, entry?.answer),
      ],
    },
  } as APIInteractionResponse;
}

function listMessage(entries: ServerEntry[], lang: Lang): Handled {
  const text = FAQ_MESSAGES[lang];
  if (entries.length === 0) return privately(text.empty);
  const lines = entries.slice(0, LISTED).map((entry) => `• ${entry.question.replace(/[*_`~|>]/g, '\\$&')}`);
  if (entries.length > LISTED) lines.push(text.more(entries.length - LISTED));
  return privately(`**${text.listTitle(entries.length)}**\n${lines.join('\n')}`);
}

/** What `eksport` sends: the entries as the admins wrote them, with their dates; no user ids. */
export function exportFile(entries: ServerEntry[]): Buffer {
  const rows = entries.map(({ id, question, phrasings, answer, createdAt, updatedAt }) => ({
    id,
    question,
    phrasings,
    answer,
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
  }));
  return Buffer.from(`${JSON.stringify({ entries: rows }, null, 2)}\n`, 'utf8');
}

export const serverFaqCommand: InteractionHandler<APIChatInputApplicationCommandInteraction> = {
  defer: () => 'ephemeral',
  async handle(interaction, event) {
    const refused = refusal(interaction, event);
    if (refused) return refused;
    const knowledge = event.serverKnowledge!;
    const guildId = guildIdOf(interaction)!;
    const lang = langOf(interaction);
    const text = FAQ_MESSAGES[lang];
    const sub = subcommandOf(interaction.data.options);
    const options = sub?.options ?? [];
    switch (defaultFaqSubcommandName(sub?.name)) {
      case FAQ_SUBCOMMANDS.add:
        return { response: form(lang, `${FAQ_FORM_PREFIX}:add`) };
      case FAQ_SUBCOMMANDS.edit: {
        const entry = await entryNamed(knowledge, guildId, options);
        return entry ? { response: form(lang, `${FAQ_FORM_PREFIX}:edit:${entry.id}`, entry) } : privately(text.unknownEntry);
      }
      case FAQ_SUBCOMMANDS.remove: {
        const named = await entryNamed(knowledge, guildId, options);
        const removed = named && (await knowledge.remove(guildId, named.id, userIdOf(interaction))) ? named : undefined;
        if (removed) event.logger.info({ guildId, userId: userIdOf(interaction), entryId: removed.id }, 'server knowledge: entry removed');
        return privately(removed ? text.removed(removed.question) : text.unknownEntry);
      }
      case FAQ_SUBCOMMANDS.list:
        return listMessage(await knowledge.list(guildId), lang);
      case FAQ_SUBCOMMANDS.export: {
        const entries = await knowledge.list(guildId);
        if (entries.length === 0) return privately(text.empty);
        return { ...privately(text.exported(entries.length)), files: [{ name: `server-knowledge-${guildId}.json`, data: exportFile(entries), contentType: 'application/json' }] };
      }
      default:
        return privately(text.unknownEntry);
    }
  },
};

/** The server's entries as the admin types the name of one (edytuj, usun): value = the entry's id. */
export const serverFaqAutocomplete: InteractionHandler<APIApplicationCommandAutocompleteInteraction> = {
  defer: () => 'never',
  async handle(interaction, event) {
    const none: Handled = { response: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } } };
    const guildId = guildIdOf(interaction);
    if (!guildId || !mayManage(interaction) || !event.serverKnowledge) return none;
    const sub = subcommandOf(interaction.data.options);
    const typed = (focusedOption(sub?.options)?.value ?? '').toLowerCase();
    const entries = await event.serverKnowledge.list(guildId);
    const choices = entries
      .filter((entry) => typed === '' || entry.question.toLowerCase().includes(typed))
      .slice(0, 25)
      .map((entry) => ({ name: entry.question.slice(0, 100), value: entry.id }));
    return { response: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } } };
  },
};

/** A text field's value from a submitted form, whether its fields sit in labels or in action rows. */
export function formValue(interaction: APIModalSubmitInteraction, customId: string): string {
  for (const top of interaction.data.components as unknown as { component?: unknown; components?: unknown[] }[]) {
    for (const inner of [top.component, ...(Array.isArray(top.components) ? top.components : [])]) {
      const input = inner as { custom_id?: unknown; value?: unknown } | undefined;
      if (input?.custom_id === customId && typeof input.value === 'string') return input.value;
    }
  }
  return '';
}

/** The submitted form of `dodaj` or `edytuj`: checked, stored, and confirmed privately. */
export const serverFaqForm: InteractionHandler<APIModalSubmitInteraction> = {
  defer: () => 'ephemeral',
  async handle(interaction, event) {
    const refused = refusal(interaction, event);
    if (refused) return refused;
    const knowledge = event.serverKnowledge!;
    const lang = langOf(interaction);
    const text = FAQ_MESSAGES[lang];
    const fields: FormFields = {
      question: formValue(interaction, FAQ_FIELDS.question),
      phrasings: formValue(interaction, FAQ_FIELDS.phrasings),
      answer: formValue(interaction, FAQ_FIELDS.answer),
    };
    const checked = checkDraft(fields, lang);
    if (!checked.ok) return privately(checked.problem);
    const [, action, entryId] = interaction.data.custom_id.split(':');
    const guildId = guildIdOf(interaction)!;
    const adminId = userIdOf(interaction);
    try {
      if (action === 'edit') {
        const edited = await knowledge.edit(guildId, entryId ?? '', checked.draft, adminId);
        if (edited) event.logger.info({ guildId, userId: adminId, entryId: edited.id }, 'server knowledge: entry edited');
        return privately(edited ? text.edited(edited.question) : text.unknownEntry);
      }
      const added = await knowledge.add(guildId, checked.draft, adminId);
      event.logger.info({ guildId, userId: adminId, entryId: added.id }, 'server knowledge: entry added');
      return privately(text.added(added.question));
    } catch (error) {
      if (error instanceof StoreRefusal) return privately(error.reason === 'duplicate' ? text.duplicate : text.full(SERVER_ENTRY_LIMITS.entries));
      throw error;
    }
  },
};
