import { InteractionResponseType, MessageFlags, type APIInteraction, type APIInteractionResponse } from 'discord-api-types/v10';
import type { AnswerResult, Answerer } from '../answering/answer.ts';
import type { Via } from '../bot/replies.ts';
import type { Feedback } from '../feedback/recorder.ts';
import type { Logger } from '../log.ts';
import type { ServerKnowledge } from '../server-knowledge/service.ts';
import type { DiscordMessage } from '../responder/render-discord.ts';
import type { Deferral, Produced } from './responder.ts';

/** What a handler works with for one interaction: the knowledge base as it was when the interaction arrived. */
export interface EventContext {
  answerer: Answerer;
  logger: Logger;
  /** Where votes go; absent when feedback storage is off. */
  feedback?: Feedback;
  /** Servers' own answers; absent when there is no database to keep them in. */
  serverKnowledge?: ServerKnowledge;
}

/** A handler's result: the interaction response to send, and the question it answered, if any. */
export interface Handled extends Produced {
  answered?: AnswerResult;
}

/**
 * One command's or component's handler, the same for both transports: it reads plain payload data
 * and returns the interaction response; it never sends anything itself.
 */
export interface InteractionHandler<I extends APIInteraction = APIInteraction> {
  /** How a reply not ready in time is deferred; decided before the reply is made. */
  defer(interaction: I, event: EventContext): Deferral;
  handle(interaction: I, event: EventContext): Handled | Promise<Handled>;
}

/** A message as an interaction response (type 4); `ephemeral` shows it only to the person who asked. */
export function messageResponse(message: DiscordMessage, ephemeral: boolean): APIInteractionResponse {
  return {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: { ...message, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) },
  };
}

/** For the log: how the interaction reached the bot. */
export type { Via };
