import type { APIMessageComponentInteraction } from 'discord-api-types/v10';
import { langFromLocale } from '../../bot/locale.ts';
import { parseVoteButtonId, voteReply } from '../../feedback/vote-buttons.ts';
import { messageResponse, type InteractionHandler } from '../handler.ts';
import { localeOf, userIdOf } from '../payload.ts';
import { staleComponent } from './unknown.ts';

/**
 * A 👍 or 👎 under an answer (`vote:<up|down>:<entry>:<answer>`): stored once per user and answer (a
 * second click changes it) and thanked for privately at once. A vote on an old answer is accepted
 * for the entry the button names; a database that cannot take it right now still gets a polite
 * private reply, never an error.
 */
export const voteButton: InteractionHandler<APIMessageComponentInteraction> = {
  defer: () => 'ephemeral',
  async handle(interaction, event) {
    const vote = parseVoteButtonId(interaction.data.custom_id);
    if (!vote) return staleComponent.handle(interaction, event);
    const lang = langFromLocale(localeOf(interaction)) ?? 'pl';
    const outcome = event.feedback ? await event.feedback.recordVote({ userId: userIdOf(interaction), ...vote }) : { status: 'off' as const, vote: vote.vote };
    event.logger.info({ userId: userIdOf(interaction), entryId: vote.entryId, vote: vote.vote, outcome: outcome.status }, 'vote');
    return { response: messageResponse(voteReply(outcome, lang), true) };
  },
};
