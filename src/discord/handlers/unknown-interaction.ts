import type { RepliableInteraction } from 'discord.js';
import { staleComponentMessage, unknownCommandMessage } from '../adapters/answer-message.ts';
import { toInteractionOptions } from '../adapters/send-options.ts';
import type { BotContext } from '../context.ts';
import { langFromLocale } from '../locale.ts';
import { interactionRenderOptions } from '../permissions.ts';

/**
 * Interactions this version of the bot does not make: a command Discord still offers from an
 * older registration (slash or context menu), or a select menu, button or form on a message from
 * an older version. The user gets a private, friendly way on (the main topics) instead of
 * Discord's "This interaction failed".
 */
export async function handleUnknownInteraction(interaction: RepliableInteraction, ctx: BotContext): Promise<void> {
  const lang = langFromLocale(interaction.locale) ?? 'pl';
  const render = interactionRenderOptions(interaction);
  const context = { interactionId: interaction.id, type: interaction.type, userId: interaction.user.id, guildId: interaction.guildId };
  if (interaction.isCommand()) {
    await interaction.reply(toInteractionOptions(unknownCommandMessage(ctx.answerer, lang, render), true));
    // Warn: the fix is on the operator's side.
    ctx.logger.warn({ ...context, command: interaction.commandName }, 'unknown command: the registered commands are out of date; run "npm run deploy-commands"');
    return;
  }
  await interaction.reply(toInteractionOptions(staleComponentMessage(ctx.answerer, lang, render), true));
  ctx.logger.info({ ...context, customId: interaction.isMessageComponent() || interaction.isModalSubmit() ? interaction.customId : undefined }, 'stale component');
}
