/**
 * The deferral safety net. The real bot always answers before the timer fires (see the
 * end-to-end tests); here a stand-in interaction records calls, so a slow answer can be simulated.
 */
import { MessageFlags } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFER_AFTER_MS, respondInTime, type RespondableInteraction } from '../src/discord/respond.ts';
import { renderDiscordNotice } from '../src/responder/render-discord.ts';

function recordingInteraction() {
  const calls: [string, unknown][] = [];
  const record = (name: string) => async (options?: unknown) => {
    calls.push([name, options]);
  };
  const interaction = {
    reply: record('reply'),
    deferReply: record('deferReply'),
    editReply: record('editReply'),
    deleteReply: record('deleteReply'),
    followUp: record('followUp'),
  } as unknown as RespondableInteraction;
  return { interaction, calls, names: () => calls.map(([name]) => name) };
}

const message = renderDiscordNotice('BPO to outsourcing procesów biznesowych.');
const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('respondInTime', () => {
  it('replies directly when the answer is ready in time, and no deferral follows', async () => {
    const { interaction, calls, names } = recordingInteraction();
    await expect(respondInTime(interaction, () => ({ message, ephemeral: false, extra: 1 }))).resolves.toEqual({ message, ephemeral: false, extra: 1 });
    await vi.advanceTimersByTimeAsync(DEFER_AFTER_MS * 2);
    expect(names()).toEqual(['reply']);
    expect(calls[0]![1]).toMatchObject({ content: message.content, allowedMentions: { parse: [], repliedUser: false } });
  });

  it('replies ephemerally when asked to', async () => {
    const { interaction, calls } = recordingInteraction();
    await respondInTime(interaction, () => ({ message, ephemeral: true }));
    expect(calls[0]![1]).toMatchObject({ flags: MessageFlags.Ephemeral });
  });

  it('defers after 2 s of waiting, then edits the answer in', async () => {
    const { interaction, calls, names } = recordingInteraction();
    const done = respondInTime(interaction, () => later(2500, { message, ephemeral: false }));
    await vi.advanceTimersByTimeAsync(DEFER_AFTER_MS - 1);
    expect(names()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(names()).toEqual(['deferReply']);
    await vi.advanceTimersByTimeAsync(500);
    await expect(done).resolves.toEqual({ message, ephemeral: false });
    expect(names()).toEqual(['deferReply', 'editReply']);
    expect(calls[1]![1]).toMatchObject({ content: message.content });
  });

  it('replaces a public placeholder with a private follow-up when the late reply is private', async () => {
    const { interaction, calls, names } = recordingInteraction();
    const done = respondInTime(interaction, () => later(2500, { message, ephemeral: true }));
    await vi.advanceTimersByTimeAsync(2500);
    await done;
    expect(names()).toEqual(['deferReply', 'deleteReply', 'followUp']);
    expect(calls[2]![1]).toMatchObject({ flags: MessageFlags.Ephemeral });
  });

  it('defers privately when the reply will be private anyway', async () => {
    const { interaction, calls, names } = recordingInteraction();
    const done = respondInTime(interaction, () => later(2500, { message, ephemeral: true }), { deferEphemeral: true });
    await vi.advanceTimersByTimeAsync(2500);
    await done;
    expect(names()).toEqual(['deferReply', 'editReply']);
    expect(calls[0]![1]).toEqual({ flags: 'Ephemeral' });
  });

  it('lets a failure reach the caller, after the deferral if one was made', async () => {
    const { interaction, names } = recordingInteraction();
    const done = respondInTime(interaction, () => later(2500, null).then(() => Promise.reject(new Error('boom'))));
    const outcome = expect(done).rejects.toThrow('boom');
    await vi.advanceTimersByTimeAsync(2500);
    await outcome;
    expect(names()).toEqual(['deferReply']);
  });
});
