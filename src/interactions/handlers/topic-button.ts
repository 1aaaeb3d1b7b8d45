import type { APIMessageComponentInteraction } from 'discord-api-types/v10';
import { asLang, langFromLocale } from '../../bot/locale.ts';
import { answerTopic } from '../../bot/replies.ts';
import { parseTopicButtonId } from '../../responder/render-discord.ts';
import { messageResponse, type EventContext, type InteractionHandler } from '../handler.ts';
import { canEmbed, guildIdOf, localeOf, userIdOf } from '../payload.ts';
import { staleComponent } from './unknown.ts';

/** Private in a server (exploring topics does not flood the channel), and for a topic that is gone; public in a DM. */
function isPrivate(interaction: APIMessageComponentInteraction, entryId: string, { answerer }: EventContext): boolean {
  return interaction.guild_id !== undefined || !answerer.kb.byId.has(entryId);
}

/**
 * A related-topic or suggestion button (`topic:<entry>:<lang>`): answers that topic. A button whose
 * topic has since left the knowledge base gets a private "no longer available" with the current topics.
 */
export const topicButton: InteractionHandler<APIMessageComponentInteraction> = {
  defer(interaction, event) {
    const topic = parseTopicButtonId(interaction.data.custom_id);
    return !topic || isPrivate(interaction, topic.entryId, event) ? 'ephemeral' : 'public';
  },
  handle(interaction, event) {
    const topic = parseTopicButtonId(interaction.data.custom_id);
    if (!topic) return staleComponent.handle(interaction, event);
    // The clicker's Discord language first; else the language the button was made in.
    const lang = langFromLocale(localeOf(interaction)) ?? asLang(topic.lang) ?? 'pl';
    const { result, message } = answerTopic(topic.entryId, event.answerer, lang, { canEmbed: canEmbed(interaction) });
    if (!event.answerer.kb.byId.has(topic.entryId)) {
      event.logger.info({ userId: userIdOf(interaction), guildId: guildIdOf(interaction), customId: interaction.data.custom_id }, 'stale topic button');
    }
    return { response: messageResponse(message, isPrivate(interaction, topic.entryId, event)), answered: result };
  },
};
