import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { DiscordMessage } from '../responder/render-discord.ts';
import { toInteractionOptions, toSendOptions } from './adapters/send-options.ts';

/** Discord drops an interaction not acknowledged within 3 s; defer well before that. */
export const DEFER_AFTER_MS = 2000;

export interface InteractionResponse {
  message: DiscordMessage;
  /** Shown only to the person who asked. */
  ephemeral: boolean;
}

export type RespondableInteraction = Pick<
  ChatInputCommandInteraction | ButtonInteraction,
  'reply' | 'deferReply' | 'editReply' | 'deleteReply' | 'followUp'
>;

export interface RespondOptions {
  deferAfterMs?: number;
  /** Whether a deferred "thinking…" placeholder should be private; set when the reply will surely be. */
  deferEphemeral?: boolean;
}

/**
 * Replies with what `produce` returns. Answers take well under a millisecond, so the reply is
 * normally direct; the timer is a safety net for a slow moment (a busy event loop, a future
 * slower answerer): after `deferAfterMs` the interaction is deferred and the reply edited in later.
 * Resolves to what `produce` returned, once it has been sent.
 */
export async function respondInTime<R extends InteractionResponse>(
  interaction: RespondableInteraction,
  produce: () => R | Promise<R>,
  { deferAfterMs = DEFER_AFTER_MS, deferEphemeral = false }: RespondOptions = {},
): Promise<R> {
  let deferral: Promise<unknown> | undefined;
  const timer = setTimeout(() => {
    deferral = interaction.deferReply(deferEphemeral ? { flags: 'Ephemeral' } : {});
    // Observed here so a failed deferral is not an unhandled rejection while `produce` still runs.
    deferral.catch(() => undefined);
  }, deferAfterMs);
  let response: R;
  try {
    response = await produce();
  } finally {
    clearTimeout(timer);
  }
  if (!deferral) {
    await interaction.reply(toInteractionOptions(response.message, response.ephemeral));
    return response;
  }
  await deferral;
  if (response.ephemeral && !deferEphemeral) {
    // A public placeholder cannot turn private: remove it and answer privately instead.
    await interaction.deleteReply();
    await interaction.followUp(toInteractionOptions(response.message, true));
  } else {
    // Otherwise the answer replaces the placeholder (a private one stays private).
    await interaction.editReply(toSendOptions(response.message));
  }
  return response;
}
