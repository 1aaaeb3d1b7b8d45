/**
 * How an interaction is answered, whichever transport brought it. The gateway sends the response
 * to Discord's callback route; the HTTP transport writes it into the HTTP response. Edits and
 * follow-ups go through the interaction's webhook routes in both cases.
 */
import {
  InteractionResponseType,
  MessageFlags,
  type APIInteractionResponse,
  type APIInteractionResponseCallbackData,
  type RESTPatchAPIWebhookWithTokenMessageJSONBody,
  type RESTPostAPIWebhookWithTokenJSONBody,
} from 'discord-api-types/v10';

/** A file sent with a message (an export): uploaded as multipart form data. */
export interface AttachedFile {
  name: string;
  data: Buffer;
  contentType?: string;
}

export interface InteractionResponder {
  /** The interaction response (type 1, 4, 5, 6, 7, 8 or 9 with its data); exactly once per interaction. */
  respond(body: APIInteractionResponse): Promise<void>;
  /** Edits the original response (a deferred placeholder, or the message a component belongs to). */
  editOriginal(data: RESTPatchAPIWebhookWithTokenMessageJSONBody, files?: readonly AttachedFile[]): Promise<void>;
  deleteOriginal(): Promise<void>;
  followUp(data: RESTPostAPIWebhookWithTokenJSONBody): Promise<void>;
}

/** Discord drops an interaction not acknowledged within 3 s; defer well before that. */
export const DEFER_AFTER_MS = 2000;

/**
 * How a late reply is acknowledged: with a public or a private "thinking…" placeholder, as a
 * deferred update of the component's message, or not at all (autocomplete cannot be deferred).
 */
export type Deferral = 'public' | 'ephemeral' | 'update' | 'never';

export interface RespondOptions {
  deferAfterMs?: number;
  defer?: Deferral;
}

export interface Produced {
  response: APIInteractionResponse;
  /**
   * Files for the response message. The HTTP transport's response is JSON, so a response with files
   * is deferred and its message edited in with them, the same way through either transport.
   */
  files?: readonly AttachedFile[];
}

/** What has been sent for an interaction so far: read by the dispatcher when it must apologize. */
export interface ResponseState {
  acknowledged: boolean;
  deferred: boolean;
}

/** Wraps a responder so the dispatcher knows whether anything was sent, whatever happened next. */
export function trackResponses(responder: InteractionResponder): InteractionResponder & { state: ResponseState } {
  const state: ResponseState = { acknowledged: false, deferred: false };
  return {
    state,
    async respond(body) {
      await responder.respond(body);
      state.acknowledged = true;
      state.deferred = body.type === InteractionResponseType.DeferredChannelMessageWithSource || body.type === InteractionResponseType.DeferredMessageUpdate;
    },
    editOriginal: (data, files) => responder.editOriginal(data, files),
    deleteOriginal: () => responder.deleteOriginal(),
    followUp: (data) => responder.followUp(data),
  };
}

const isEphemeral = (data: APIInteractionResponseCallbackData | undefined) => ((Number(data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0);

/**
 * Sends what `produce` returns. Answers take well under a millisecond, so the response is normally
 * direct; the timer is a safety net for a slow moment (a busy event loop, a slower answerer): after
 * `deferAfterMs` the interaction is deferred and the reply edited in later. Resolves to what
 * `produce` returned, once it has been sent.
 */
export async function respondInTime<R extends Produced>(
  responder: InteractionResponder,
  produce: () => R | Promise<R>,
  { deferAfterMs = DEFER_AFTER_MS, defer = 'public' }: RespondOptions = {},
): Promise<R> {
  let deferral: Promise<unknown> | undefined;
  const timer =
    defer === 'never'
      ? undefined
      : setTimeout(() => {
          deferral = responder.respond(deferralFor(defer));
          // Observed here so a failed deferral is not an unhandled rejection while `produce` still runs.
          deferral.catch(() => undefined);
        }, deferAfterMs);
  let produced: R;
  try {
    produced = await produce();
  } finally {
    clearTimeout(timer);
  }
  if (produced.files?.length && !deferral && defer !== 'never' && defer !== 'update') deferral = responder.respond(deferralFor(defer));
  if (!deferral) {
    await responder.respond(produced.response);
    return produced;
  }
  await deferral;
  await deliverLate(responder, produced.response, defer, produced.files);
  return produced;
}

function deferralFor(defer: Exclude<Deferral, 'never'>): APIInteractionResponse {
  if (defer === 'update') return { type: InteractionResponseType.DeferredMessageUpdate };
  return {
    type: InteractionResponseType.DeferredChannelMessageWithSource,
    ...(defer === 'ephemeral' ? { data: { flags: MessageFlags.Ephemeral } } : {}),
  };
}

/** After a deferral, the reply goes in through the webhook routes. */
async function deliverLate(responder: InteractionResponder, response: APIInteractionResponse, defer: Deferral, files: readonly AttachedFile[] = []): Promise<void> {
  if (response.type !== InteractionResponseType.ChannelMessageWithSource && response.type !== InteractionResponseType.UpdateMessage) {
    throw new Error(`an interaction response of type ${response.type} cannot follow a deferral`);
  }
  const { flags: _flags, ...data } = response.data ?? {};
  if (response.type === InteractionResponseType.ChannelMessageWithSource && isEphemeral(response.data) && defer !== 'ephemeral') {
    // A public placeholder cannot turn private: remove it and answer privately instead.
    await responder.deleteOriginal();
    await responder.followUp({ ...data, flags: MessageFlags.Ephemeral } as RESTPostAPIWebhookWithTokenJSONBody);
    return;
  }
  // Otherwise the reply replaces the placeholder (a private one stays private), or updates the message.
  const attachments = files.map((file, id) => ({ id, filename: file.name }));
  await responder.editOriginal({ ...data, ...(files.length ? { attachments } : {}) } as RESTPatchAPIWebhookWithTokenMessageJSONBody, files);
}
