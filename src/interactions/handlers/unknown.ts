import type { APIApplicationCommandInteraction, APIMessageComponentInteraction, APIModalSubmitInteraction } from 'discord-api-types/v10';
import { langFromLocale } from '../../bot/locale.ts';
import { staleComponentMessage, unknownCommandMessage } from '../../bot/replies.ts';
import { messageResponse, type InteractionHandler } from '../handler.ts';
import { canEmbed, guildIdOf, localeOf, userIdOf } from '../payload.ts';

/*
 * Interactions this version of the bot does not make: a command Discord still offers from an older
 * registration (slash or context menu), or a select menu, button or form on a message from an older
 * version. The user gets a private, friendly way on (the main topics) instead of Discord's "This
 * interaction failed".
 */

export const unknownCommand: InteractionHandler<APIApplicationCommandInteraction> = {
  defer: () => 'ephemeral',
  handle(interaction, { answerer, logger }) {
    const lang = langFromLocale(localeOf(interaction)) ?? 'pl';
    // Warn: the fix is on the operator's side.
    logger.warn(
      { interactionId: interaction.id, type: interaction.type, userId: userIdOf(interaction), guildId: guildIdOf(interaction), command: interaction.data.name },
      'unknown command: the registered commands are out of date; run "npm run deploy-commands"',
    );
    return { response: messageResponse(unknownCommandMessage(answerer, lang, { canEmbed: canEmbed(interaction) }), true) };
  },
};

export const staleComponent: InteractionHandler<APIMessageComponentInteraction | APIModalSubmitInteraction> = {
  defer: () => 'ephemeral',
  handle(interaction, { answerer, logger }) {
    const lang = langFromLocale(localeOf(interaction)) ?? 'pl';
    logger.info(
      { interactionId: interaction.id, type: interaction.type, userId: userIdOf(interaction), guildId: guildIdOf(interaction), customId: interaction.data.custom_id },
      'stale component',
    );
    return { response: messageResponse(staleComponentMessage(answerer, lang, { canEmbed: canEmbed(interaction) }), true) };
  },
};
