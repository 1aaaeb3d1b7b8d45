import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { langFromLocale } from '../../bot/locale.ts';
import { answerQuestion, isPrivateToAsker, questionLanguage } from '../../bot/replies.ts';
import { ASK_OPTION } from '../commands.ts';
import { messageResponse, type InteractionHandler } from '../handler.ts';
import { canEmbed, localeOf, stringOption } from '../payload.ts';

/**
 * /zapytaj (/ask): answers the question, publicly; anything that is not an answer (not found, too
 * long, small talk) is private to the asker. An autocomplete choice submits an entry id, answered directly.
 */
export const askCommand: InteractionHandler<APIChatInputApplicationCommandInteraction> = {
  defer: () => 'public',
  handle(interaction, { answerer }) {
    const question = stringOption(interaction.data.options, ASK_OPTION) ?? '';
    // The user's Discord language decides; for languages the bot does not speak, the question's own.
    const lang = langFromLocale(localeOf(interaction)) ?? questionLanguage(question, answerer);
    const { result, message } = answerQuestion(question, answerer, lang, { canEmbed: canEmbed(interaction) });
    return { response: messageResponse(message, isPrivateToAsker(result)), answered: result };
  },
};
