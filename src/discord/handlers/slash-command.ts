import type { ChatInputCommandInteraction } from 'discord.js';
import { detectLanguage } from '../../answering/language.ts';
import { answerQuestion, helpAnswer, isPrivateToAsker, topicsMessage } from '../adapters/answer-message.ts';
import { ASK_COMMAND, ASK_OPTION, HELP_COMMAND, TOPICS_COMMAND } from '../commands.ts';
import { logAnswered, type BotContext } from '../context.ts';
import { langFromLocale } from '../locale.ts';
import { interactionRenderOptions } from '../permissions.ts';
import { respondInTime } from '../respond.ts';
import { handleUnknownInteraction } from './unknown-interaction.ts';

/** /zapytaj (/ask), /tematy (/topics) and /pomoc (/help). */
export async function handleSlashCommand(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const startedAt = performance.now();
  const render = interactionRenderOptions(interaction);
  switch (interaction.commandName) {
    case ASK_COMMAND.name: {
      const question = interaction.options.getString(ASK_OPTION, true);
      // The user's Discord language decides; for languages the bot does not speak, the question's own.
      const lang = langFromLocale(interaction.locale) ?? detectLanguage(question);
      const { result } = await respondInTime(interaction, () => {
        const answered = answerQuestion(question, ctx.answerer, lang, render);
        return { ...answered, ephemeral: isPrivateToAsker(answered.result) };
      });
      logAnswered(ctx.logger, { via: 'slash', userId: interaction.user.id, guildId: interaction.guildId, result, startedAt });
      return;
    }
    case TOPICS_COMMAND.name: {
      const lang = langFromLocale(interaction.locale) ?? 'pl';
      await respondInTime(interaction, () => ({ message: topicsMessage(ctx.answerer, lang), ephemeral: true }), { deferEphemeral: true });
      return;
    }
    case HELP_COMMAND.name: {
      const lang = langFromLocale(interaction.locale) ?? 'pl';
      await respondInTime(interaction, () => ({ message: helpAnswer(ctx.answerer, lang, render).message, ephemeral: true }), { deferEphemeral: true });
      return;
    }
    default:
      await handleUnknownInteraction(interaction, ctx);
  }
}
