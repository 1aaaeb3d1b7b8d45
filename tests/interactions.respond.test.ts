/**
 * The deferral safety net, over the responder interface both transports implement. The real bot
 * always answers before the timer fires (see the end-to-end tests); here a recording responder
 * stands in, so a slow answer can be simulated.
 */
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { messageResponse } from '../src/interactions/handler.ts';
import { DEFER_AFTER_MS, respondInTime, trackResponses, type InteractionResponder } from '../src/interactions/responder.ts';
import { renderDiscordNotice } from '../src/responder/render-discord.ts';

function recordingResponder() {
  const calls: [string, unknown][] = [];
  const record = (name: string) => async (body?: unknown) => {
    calls.push([name, body]);
  };
  const responder: InteractionResponder = {
    respond: record('respond'),
    editOriginal: record('editOriginal'),
    deleteOriginal: record('deleteOriginal'),
    followUp: record('followUp'),
  };
  return { responder, calls, names: () => calls.map(([name]) => name) };
}

const message = renderDiscordNotice('BPO to outsourcing procesów biznesowych.');
const publicReply = { response: messageResponse(message, false) };
const privateReply = { response: messageResponse(message, true) };
const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('respondInTime', () => {
  it('responds directly when the reply is ready in time (type 4), and no deferral follows', async () => {
    const { responder, calls, names } = recordingResponder();
    await expect(respondInTime(responder, () => ({ ...publicReply, extra: 1 }))).resolves.toEqual({ ...publicReply, extra: 1 });
    await vi.advanceTimersByTimeAsync(DEFER_AFTER_MS * 2);
    expect(names()).toEqual(['respond']);
    expect(calls[0]![1]).toEqual({ type: 4, data: { content: message.content, allowed_mentions: { parse: [], replied_user: false } } });
  });

  it('responds ephemerally when the reply says so', async () => {
    const { responder, calls } = recordingResponder();
    await respondInTime(responder, () => privateReply);
    expect(calls[0]![1]).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral } });
  });

  it('defers (type 5) after 2 s of waiting, then edits the reply in through the webhook', async () => {
    const { responder, calls, names } = recordingResponder();
    const done = respondInTime(responder, () => later(2500, publicReply));
    await vi.advanceTimersByTimeAsync(DEFER_AFTER_MS - 1);
    expect(names()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([['respond', { type: InteractionResponseType.DeferredChannelMessageWithSource }]]);
    await vi.advanceTimersByTimeAsync(500);
    await expect(done).resolves.toEqual(publicReply);
    expect(names()).toEqual(['respond', 'editOriginal']);
    expect(calls[1]![1]).toEqual({ content: message.content, allowed_mentions: { parse: [], replied_user: false } });
  });

  it('replaces a public placeholder with a private follow-up when the late reply is private', async () => {
    const { responder, calls, names } = recordingResponder();
    const done = respondInTime(responder, () => later(2500, privateReply));
    await vi.advanceTimersByTimeAsync(2500);
    await done;
    expect(names()).toEqual(['respond', 'deleteOriginal', 'followUp']);
    expect(calls[2]![1]).toMatchObject({ content: message.content, flags: MessageFlags.Ephemeral });
  });

  it('defers privately when the reply will be private anyway', async () => {
    const { responder, calls, names } = recordingResponder();
    const done = respondInTime(responder, () => later(2500, privateReply), { defer: 'ephemeral' });
    await vi.advanceTimersByTimeAsync(2500);
    await done;
    expect(names()).toEqual(['respond', 'editOriginal']);
    expect(calls[0]![1]).toEqual({ type: 5, data: { flags: MessageFlags.Ephemeral } });
  });

  it('defers a component update as type 6, then edits the message', async () => {
    const { responder, calls, names } = recordingResponder();
    const update = { response: { type: InteractionResponseType.UpdateMessage, data: { content: 'updated' } } as const };
    const done = respondInTime(responder, () => later(2500, update), { defer: 'update' });
    await vi.advanceTimersByTimeAsync(2500);
    await done;
    expect(calls).toEqual([
      ['respond', { type: InteractionResponseType.DeferredMessageUpdate }],
      ['editOriginal', { content: 'updated' }],
    ]);
    expect(names()).toHaveLength(2);
  });

  it('never defers what cannot be deferred (autocomplete)', async () => {
    const { responder, names } = recordingResponder();
    const choices = { response: { type: InteractionResponseType.ApplicationCommandAutocompleteResult as const, data: { choices: [] } } };
    const done = respondInTime(responder, () => later(2500, choices), { defer: 'never' });
    await vi.advanceTimersByTimeAsync(2500);
    await done;
    expect(names()).toEqual(['respond']);
  });

  it('lets a failure reach the caller, after the deferral if one was made', async () => {
    const { responder, names } = recordingResponder();
    const tracked = trackResponses(responder);
    const done = respondInTime(tracked, () => later(2500, null).then(() => Promise.reject(new Error('boom'))));
    const outcome = expect(done).rejects.toThrow('boom');
    await vi.advanceTimersByTimeAsync(2500);
    await outcome;
    expect(names()).toEqual(['respond']);
    expect(tracked.state).toEqual({ acknowledged: true, deferred: true });
  });

  it('records an acknowledgement only once the responder accepted it', async () => {
    const tracked = trackResponses({ ...recordingResponder().responder, respond: () => Promise.reject(new Error('400')) });
    await expect(tracked.respond(publicReply.response)).rejects.toThrow('400');
    expect(tracked.state).toEqual({ acknowledged: false, deferred: false });
  });
});
