import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { langFromLocale } from '../../bot/locale.ts';
import { helpAnswer } from '../../bot/replies.ts';
import { messageResponse, type InteractionHandler } from '../handler.ts';
import { canEmbed, localeOf } from '../payload.ts';

/** /pomoc (/help): how to ask, privately, with the main topics as buttons. */
export const helpCommand: InteractionHandler<APIChatInputApplicationCommandInteraction> = {
  defer: () => 'ephemeral',
  handle(interaction, { answerer }) {
    const { message } = helpAnswer(answerer, langFromLocale(localeOf(interaction)) ?? 'pl', { canEmbed: canEmbed(interaction) });
    return { response: messageResponse(message, true) };
  },
};
