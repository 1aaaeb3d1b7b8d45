import { DiscordAPIError, type ButtonInteraction, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import { errorMessage, type Via } from '../adapters/answer-message.ts';
import { toInteractionOptions } from '../adapters/send-options.ts';
import type { BotContext } from '../context.ts';
import { langFromLocale } from '../locale.ts';
import { admitQuestion } from '../question-limit.ts';
import { handleAutocomplete } from './autocomplete.ts';
import { handleButton } from './button.ts';
import { handleSlashCommand } from './slash-command.ts';
import { handleUnknownInteraction } from './unknown-interaction.ts';

/**
 * The one interactionCreate listener: routes each kind to its handler, and turns any failure into a
 * log line with context and, when nothing was sent yet, a private "something went wrong".
 */
export function createInteractionHandler(ctx: BotContext): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    try {
      // Suggestions while typing are not questions: never limited.
      if (interaction.isAutocomplete()) await handleAutocomplete(interaction, ctx);
      else if (interaction.isChatInputCommand()) {
        if (await admitted(interaction, 'slash', ctx)) await handleSlashCommand(interaction, ctx);
      } else if (interaction.isButton()) {
        if (await admitted(interaction, 'button', ctx)) await handleButton(interaction, ctx);
      } else if (interaction.isRepliable()) await handleUnknownInteraction(interaction, ctx);
      else ctx.logger.debug(describe(interaction), 'interaction of a kind the bot does not use');
    } catch (error) {
      ctx.logger.error({ err: error, ...describe(interaction) }, 'interaction failed');
      await apologize(interaction, ctx);
    }
  };
}

/** Within the asker's question limit? Over it, the asker gets a private notice saying when to ask again. */
async function admitted(interaction: ChatInputCommandInteraction | ButtonInteraction, via: Via, ctx: BotContext): Promise<boolean> {
  const asker = { via, userId: interaction.user.id, guildId: interaction.guildId };
  const admission = admitQuestion(ctx.limiter, asker, langFromLocale(interaction.locale) ?? 'pl', ctx.logger);
  if (admission.admitted) return true;
  if (admission.notice) await interaction.reply(toInteractionOptions(admission.notice, true));
  return false;
}

async function apologize(interaction: Interaction, ctx: BotContext): Promise<void> {
  try {
    if (interaction.isAutocomplete()) {
      // Empty choices end the "loading" state; the user can still submit what they typed.
      if (!interaction.responded) await interaction.respond([]);
      return;
    }
    if (!interaction.isRepliable() || interaction.replied) return;
    const notice = toInteractionOptions(errorMessage(langFromLocale(interaction.locale) ?? 'pl'), true);
    if (interaction.deferred) {
      // The placeholder may be public; the apology is for the asker only.
      await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp(notice);
    } else {
      await interaction.reply(notice);
    }
  } catch (error) {
    // 10062 "Unknown interaction": the 3 s window has passed, nothing more can be sent.
    const expired = error instanceof DiscordAPIError && error.code === 10062;
    ctx.logger.warn({ err: expired ? undefined : error, ...describe(interaction) }, expired ? 'interaction expired before the apology' : 'could not apologize');
  }
}

/** Context for log lines: who, where, and which command or button. */
function describe(interaction: Interaction): Record<string, unknown> {
  return {
    interactionId: interaction.id,
    type: interaction.type,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    ...(interaction.isCommand() || interaction.isAutocomplete() ? { command: interaction.commandName } : {}),
    ...(interaction.isMessageComponent() ? { customId: interaction.customId } : {}),
  };
}
