import type { ButtonInteraction } from 'discord.js';
import { parseTopicButtonId } from '../../responder/render-discord.ts';
import { answerTopic } from '../adapters/answer-message.ts';
import { logAnswered, type BotContext } from '../context.ts';
import { asLang, langFromLocale } from '../locale.ts';
import { interactionRenderOptions } from '../permissions.ts';
import { respondInTime } from '../respond.ts';
import { handleUnknownInteraction } from './unknown-interaction.ts';

/**
 * A related-topic or suggestion button: answers that topic. In a server the answer is shown only
 * to whoever clicked, so exploring topics does not flood the channel; in a DM it stays as a message.
 * A button whose topic has since left the knowledge base gets a private "no longer available".
 */
export async function handleButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const startedAt = performance.now();
  const topic = parseTopicButtonId(interaction.customId);
  if (!topic) {
    await handleUnknownInteraction(interaction, ctx);
    return;
  }
  // The clicker's Discord language first; else the language the button was made in.
  const lang = langFromLocale(interaction.locale) ?? asLang(topic.lang) ?? 'pl';
  const stale = !ctx.answerer.kb.byId.has(topic.entryId);
  const ephemeral = interaction.inGuild() || stale;
  const { result } = await respondInTime(
    interaction,
    () => ({ ...answerTopic(topic.entryId, ctx.answerer, lang, interactionRenderOptions(interaction)), ephemeral }),
    { deferEphemeral: ephemeral },
  );
  if (stale) ctx.logger.info({ userId: interaction.user.id, guildId: interaction.guildId, customId: interaction.customId }, 'stale topic button');
  logAnswered(ctx.logger, { via: 'button', userId: interaction.user.id, guildId: interaction.guildId, result, startedAt });
}
