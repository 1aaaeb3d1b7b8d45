/**
 * The 👍 and 👎 buttons under an answer, in Discord API shape, and the private thank-you a click
 * gets. Pure: the Discord side only attaches the row and sends the reply.
 */
import { randomBytes } from 'node:crypto';
import type { APIActionRowComponent, APIButtonComponent } from 'discord-api-types/v10';
import { MAX_ENTRY_ID_LENGTH, type Lang } from '../knowledge/schema.ts';
import { DISCORD_LIMITS } from '../responder/discord-limits.ts';
import { MESSAGES } from '../responder/messages.ts';
import { renderDiscordNotice, type DiscordMessage } from '../responder/render-discord.ts';

export type Vote = 'up' | 'down';

/** Length of the random reference an answer's vote buttons carry: 9 random bytes, base64url. */
export const ANSWER_REF_LENGTH = 12;
/** Discord shows at most 5 rows of components under a message. */
const MAX_ROWS = 5;
const EMOJI: Record<Vote, string> = { up: '👍', down: '👎' };
const BUTTON_STYLE_SECONDARY = 2;

/** A fresh answer reference: 72 random bits, so references neither repeat nor can be guessed. */
export function newAnswerRef(): string {
  return randomBytes(9).toString('base64url');
}

/** "vote:up:back-office:Ab3dE_fGh1-k": the vote, the entry and the answer, within Discord's 100 characters for any id. */
export function voteButtonId(vote: Vote, entryId: string, answerRef: string): string {
  const id = `vote:${vote}:${entryId}:${answerRef}`;
  // Entry ids are capped by the knowledge schema so this always fits; a longer one is a programming error.
  if (id.length > DISCORD_LIMITS.customId) throw new RangeError(`vote button id longer than ${DISCORD_LIMITS.customId} characters for entry "${entryId}"`);
  return id;
}

const VOTE_ID = new RegExp(`^vote:(up|down):([a-z0-9]+(?:-[a-z0-9]+)*):([A-Za-z0-9_-]{${ANSWER_REF_LENGTH}})$`);

/** The vote a button's custom id carries, or undefined when it is not a vote button (or was tampered with). */
export function parseVoteButtonId(customId: string): { vote: Vote; entryId: string; answerRef: string } | undefined {
  const match = VOTE_ID.exec(customId);
  if (!match || match[2]!.length > MAX_ENTRY_ID_LENGTH) return undefined;
  return { vote: match[1] as Vote, entryId: match[2]!, answerRef: match[3]! };
}

/** The row of two buttons, 👍 then 👎, for one answer. */
export function voteButtonRow(entryId: string, answerRef: string): APIActionRowComponent<APIButtonComponent> {
  return {
    type: 1,
    components: (['up', 'down'] as const).map((vote) => ({
      type: 2,
      style: BUTTON_STYLE_SECONDARY,
      emoji: { name: EMOJI[vote] },
      custom_id: voteButtonId(vote, entryId, answerRef),
    })),
  };
}

/** The message (a rendered reply or an interaction response's data) with the vote row added under its other buttons; unchanged if it has no room left. */
export function withVoteButtons<M extends { components?: readonly unknown[] | undefined }>(message: M, entryId: string, answerRef: string): M {
  const components = message.components ?? [];
  if (components.length >= MAX_ROWS) return message;
  return { ...message, components: [...components, voteButtonRow(entryId, answerRef)] };
}

/** What the recorder made of a click; see Feedback.recordVote. */
export type VoteOutcome =
  | { status: 'recorded' | 'changed' | 'unchanged'; vote: Vote; answerKnown: boolean; entryId: string }
  /** "unavailable": the database could not take it now; "off": feedback storage is switched off. */
  | { status: 'unavailable' | 'off'; vote: Vote };

/** The private reply to a vote: always a thank-you, never an error, whatever became of the vote. */
export function voteReply(outcome: VoteOutcome, lang: Lang): DiscordMessage {
  const text = MESSAGES[lang];
  switch (outcome.status) {
    case 'recorded':
      return renderDiscordNotice(text.voteRecorded);
    case 'changed':
      return renderDiscordNotice(text.voteChanged(EMOJI[outcome.vote]));
    case 'unchanged':
      return renderDiscordNotice(text.voteUnchanged);
    case 'unavailable':
      return renderDiscordNotice(text.voteUnavailable);
    case 'off':
      return renderDiscordNotice(text.voteOff);
  }
}
