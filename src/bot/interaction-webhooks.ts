import { Routes } from 'discord-api-types/v10';
import type { REST } from '@discordjs/rest';
import type { InteractionResponder } from '../interactions/responder.ts';

/**
 * The edits and follow-ups of an interaction, through its webhook routes: the interaction's own
 * token authorizes them, so they take no bot token. Both transports send them this way; only the
 * interaction response itself differs (a REST callback, or the HTTP response).
 */
export function interactionWebhooks(
  rest: REST,
  { application_id: applicationId, token }: { application_id: string; token: string },
): Omit<InteractionResponder, 'respond'> {
  return {
    async editOriginal(data, files = []) {
      const upload = files.map((file, key) => ({ key: `files[${key}]`, name: file.name, data: file.data, ...(file.contentType ? { contentType: file.contentType } : {}) }));
      await rest.patch(Routes.webhookMessage(applicationId, token), { body: data, auth: false, ...(upload.length ? { files: upload } : {}) });
    },
    async deleteOriginal() {
      await rest.delete(Routes.webhookMessage(applicationId, token), { auth: false });
    },
    async followUp(data) {
      await rest.post(Routes.webhook(applicationId, token), { body: data, auth: false });
    },
  };
}
