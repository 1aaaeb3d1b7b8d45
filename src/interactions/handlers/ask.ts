import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { langFromLocale } from '../../bot/locale.ts';
import { answerQuestion, isPrivateToAsker, questionLanguage, readAsked } from '../../bot/replies.ts';
import { ASK_OPTION } from '../commands.ts';
import { messageResponse, type InteractionHandler } from '../handler.ts';
import { canEmbed, guildIdOf, localeOf, stringOption } from '../payload.ts';

/**
 * /zapytaj (/ask): answers the question, publicly; anything that is not an answer (not found, too
 * long, small talk) is private to the asker. An autocomplete choice submits an entry id, answered directly.
 */
export const askCommand: InteractionHandler<APIChatInputApplicationCommandInteraction> = {
  defer: () => 'public',
  async handle(interaction, { answerer, serverKnowledge }) {
    const question = stringOption(interaction.data.options, ASK_OPTION) ?? '';
    // Free text is read once, for its language and its answer; an autocomplete choice (an entry id) is not read.
    const read = answerer.kb.byId.has(question.trim()) ? undefined : readAsked(question, answerer);
    // The user's Discord language decides; for languages the bot does not speak, the question's own.
    const lang = langFromLocale(localeOf(interaction)) ?? read?.lang ?? questionLanguage(question, answerer);
    // In a server, its own entries are ranked with the article's; in a DM there are none.
    const guildId = guildIdOf(interaction);
    const server = guildId && serverKnowledge ? await serverKnowledge.match(guildId, question) : undefined;
    const { result, message } = answerQuestion(read ?? question, answerer, lang, { canEmbed: canEmbed(interaction), server });
    return { response: messageResponse(message, isPrivateToAsker(result)), answered: result };
  },
};
