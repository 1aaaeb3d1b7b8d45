/** Interaction callbacks and the interaction-webhook routes (original response and follow-ups). */
import type { APIMessage } from 'discord-api-types/v10';
import { ApplicationCommandType, InteractionResponseType, InteractionType, MessageType } from 'discord.js';
import { asRecord, error, noContent, ok, unknownMessage, type RestResponse, type Route, type RouteContext } from './route.ts';
import type { InteractionRecord } from './state.ts';
import { formError, validateAutocompleteChoices, validateMessage, validateModal } from './validate.ts';

const EPHEMERAL = 64;
const LOADING = 128;

const unknownInteraction = () => error(404, 'Unknown interaction', 10062);
const unknownWebhook = () => error(404, 'Unknown Webhook', 10015);

function channelOf(record: InteractionRecord): string {
  const { interaction } = record;
  return interaction.channel?.id ?? interaction.channel_id ?? '';
}

/** Fields Discord adds to messages created through an interaction. */
function interactionFields(ctx: RouteContext, record: InteractionRecord, original: boolean): Partial<APIMessage> {
  const { interaction } = record;
  const user = interaction.member?.user ?? interaction.user ?? ctx.state.botUser;
  const data = asRecord(interaction.data);
  const isCommand = interaction.type === InteractionType.ApplicationCommand;
  let type = MessageType.Default;
  if (original && isCommand) {
    type = data.type === ApplicationCommandType.ChatInput ? MessageType.ChatInputCommand : MessageType.ContextMenuCommand;
  }
  return {
    type,
    webhook_id: ctx.state.applicationId,
    application_id: ctx.state.applicationId,
    interaction_metadata: {
      id: interaction.id,
      type: interaction.type,
      user,
      authorizing_integration_owners: interaction.authorizing_integration_owners,
      ...(isCommand && { name: String(data.name) }),
    },
  } as Partial<APIMessage>;
}

function callback(ctx: RouteContext): RestResponse {
  const record = ctx.state.interactions.get(ctx.params.token ?? '');
  if (!record || record.interaction.id !== ctx.params.interaction) return unknownInteraction();
  if (record.acknowledged) return error(400, 'Interaction has already been acknowledged.', 40060);
  // Discord forgets interactions that were not answered within 3 seconds.
  if (performance.now() - record.dispatchedAt > ctx.interactionDeadlineMs) return unknownInteraction();
  const body = asRecord(ctx.body);
  const data = asRecord(body.data);
  const type = Number(body.type);
  const isAutocomplete = record.interaction.type === InteractionType.ApplicationCommandAutocomplete;
  if ((type === InteractionResponseType.ApplicationCommandAutocompleteResult) !== isAutocomplete) {
    return formError([[['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', 'Interaction response type is not valid for this interaction type.']]);
  }
  if (ctx.validate) {
    const invalid =
      type === InteractionResponseType.ChannelMessageWithSource
        ? validateMessage(data, { hasFiles: ctx.files.length > 0 })
        : type === InteractionResponseType.UpdateMessage
          ? validateMessage(data, { partial: true })
          : type === InteractionResponseType.ApplicationCommandAutocompleteResult
            ? validateAutocompleteChoices(data)
            : type === InteractionResponseType.Modal
              ? validateModal(data, record.interaction.type)
              : null;
    if (invalid) return invalid;
  }
  record.acknowledged = true;
  record.responseType = type;
  const channelId = channelOf(record);
  const component = record.interaction.message;
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource:
      record.original = ctx.state.botMessage(channelId, data, ctx.files, interactionFields(ctx, record, true));
      break;
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      const flags = (Number(data.flags ?? 0) & EPHEMERAL) | LOADING;
      // A deferred reply is a real, empty "thinking…" message until it is edited.
      record.original = ctx.state.botMessage(channelId, { flags: Number(data.flags ?? 0) }, [], {
        ...interactionFields(ctx, record, true),
        flags,
      } as Partial<APIMessage>);
      break;
    }
    case InteractionResponseType.DeferredMessageUpdate:
      record.original = component;
      break;
    case InteractionResponseType.UpdateMessage:
      if (component) record.original = ctx.state.editMessage(component, data, ctx.files);
      break;
    case InteractionResponseType.Modal:
      record.modal = data;
      break;
  }
  if (ctx.query.get('with_response') !== 'true') return noContent();
  const message = record.original;
  return ok({
    interaction: {
      id: record.interaction.id,
      type: record.interaction.type,
      ...(message && {
        response_message_id: message.id,
        response_message_loading: ((message.flags ?? 0) & LOADING) !== 0,
        response_message_ephemeral: ((message.flags ?? 0) & EPHEMERAL) !== 0,
      }),
    },
    resource: { type, ...(message && { message }) },
  });
}

function webhookMessage(ctx: RouteContext, record: InteractionRecord): APIMessage | undefined {
  const id = ctx.params.message;
  if (id === '@original') return record.original;
  if (id === record.original?.id) return record.original;
  return record.followups.get(id ?? '');
}

function withRecord(handler: (ctx: RouteContext, record: InteractionRecord) => RestResponse) {
  return (ctx: RouteContext): RestResponse => {
    const record = ctx.state.interactions.get(ctx.params.token ?? '');
    return record ? handler(ctx, record) : unknownWebhook();
  };
}

function store(record: InteractionRecord, message: APIMessage): void {
  if (record.original?.id === message.id) record.original = message;
  else record.followups.set(message.id, message);
}

export const interactionRoutes: Route[] = [
  { method: 'POST', path: '/interactions/:interaction/:token/callback', auth: false, handle: callback },
  {
    method: 'POST',
    path: '/webhooks/:app/:token',
    auth: false,
    handle: withRecord((ctx, record) => {
      if (!record.acknowledged) return unknownWebhook();
      const invalid = ctx.validate ? validateMessage(ctx.body, { hasFiles: ctx.files.length > 0 }) : null;
      if (invalid) return invalid;
      const message = ctx.state.botMessage(channelOf(record), asRecord(ctx.body), ctx.files, interactionFields(ctx, record, false));
      record.followups.set(message.id, message);
      return ok(message);
    }),
  },
  {
    method: 'GET',
    path: '/webhooks/:app/:token/messages/:message',
    auth: false,
    handle: withRecord((ctx, record) => {
      const message = webhookMessage(ctx, record);
      return message ? ok(message) : unknownMessage();
    }),
  },
  {
    method: 'PATCH',
    path: '/webhooks/:app/:token/messages/:message',
    auth: false,
    handle: withRecord((ctx, record) => {
      const message = webhookMessage(ctx, record);
      if (!message) return unknownMessage();
      const invalid = ctx.validate ? validateMessage(ctx.body, { partial: true }) : null;
      if (invalid) return invalid;
      const edited = ctx.state.editMessage(message, asRecord(ctx.body), ctx.files);
      store(record, edited);
      return ok(edited);
    }),
  },
  {
    method: 'DELETE',
    path: '/webhooks/:app/:token/messages/:message',
    auth: false,
    handle: withRecord((ctx, record) => {
      const message = webhookMessage(ctx, record);
      if (!message) return unknownMessage();
      if (record.original?.id === message.id) record.original = undefined;
      record.followups.delete(message.id);
      ctx.state.messages.delete(message.id);
      return noContent();
    }),
  },
];
