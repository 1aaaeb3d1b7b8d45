import { Routes, type APIInteraction } from 'discord-api-types/v10';
import type { REST } from '@discordjs/rest';
import { interactionWebhooks } from '../bot/interaction-webhooks.ts';
import type { InteractionResponder } from '../interactions/responder.ts';

/**
 * Answers an interaction that came over the gateway through Discord's REST API: the callback
 * route, then the interaction's webhook routes for edits and follow-ups. None of them takes the bot
 * token (the interaction's own token authorizes them), and discord.js's REST client exempts the
 * callback from the global request limit, as Discord does.
 */
export function restResponder(rest: REST, interaction: Pick<APIInteraction, 'id' | 'token' | 'application_id'>): InteractionResponder {
  const { id, token } = interaction;
  return {
    ...interactionWebhooks(rest, interaction),
    async respond(body) {
      await rest.post(Routes.interactionCallback(id, token), { body, auth: false });
    },
  };
}
