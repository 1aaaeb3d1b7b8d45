import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { langFromLocale } from '../../bot/locale.ts';
import { topicsMessage } from '../../bot/replies.ts';
import { messageResponse, type InteractionHandler } from '../handler.ts';
import { localeOf } from '../payload.ts';

/** /tematy (/topics): every topic the bot knows, privately, with the main ones as buttons. */
export const topicsCommand: InteractionHandler<APIChatInputApplicationCommandInteraction> = {
  defer: () => 'ephemeral',
  handle(interaction, { answerer }) {
    return { response: messageResponse(topicsMessage(answerer, langFromLocale(localeOf(interaction)) ?? 'pl'), true) };
  },
};
