import type { ServerResponse } from 'node:http';
import type { APIInteractionResponse } from 'discord-api-types/v10';
import type { REST } from '@discordjs/rest';
import { interactionWebhooks } from '../bot/interaction-webhooks.ts';
import type { InteractionResponder } from '../interactions/responder.ts';

/** Writes a JSON body and ends the response. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers }).end(payload);
}

/**
 * Answers an interaction that came as an HTTP request: the interaction response is the HTTP
 * response itself (type 4, 8, or a type 5 deferral when the reply is late); edits and follow-ups go
 * through the interaction's webhook routes, which the interaction's token authorizes, so this
 * process needs no bot token.
 */
export class HttpResponder implements InteractionResponder {
  private responded = false;
  readonly editOriginal: InteractionResponder['editOriginal'];
  readonly deleteOriginal: InteractionResponder['deleteOriginal'];
  readonly followUp: InteractionResponder['followUp'];

  constructor(
    private readonly response: ServerResponse,
    webhooks: REST,
    interaction: { application_id: string; token: string },
  ) {
    const sent = interactionWebhooks(webhooks, interaction);
    this.editOriginal = sent.editOriginal;
    this.deleteOriginal = sent.deleteOriginal;
    this.followUp = sent.followUp;
  }

  /** Whether the HTTP response has been written. */
  get sent(): boolean {
    return this.responded;
  }

  async respond(body: APIInteractionResponse): Promise<void> {
    if (this.responded) throw new Error('the interaction has already been responded to');
    if (this.response.destroyed) throw new Error('the request was closed before the response');
    this.responded = true;
    sendJson(this.response, 200, body);
  }
}
