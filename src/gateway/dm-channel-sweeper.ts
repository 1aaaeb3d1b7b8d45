import type { Client } from 'discord.js';

/** How often DM channels are dropped from the cache. */
export const DM_SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/**
 * discord.js keeps every DM channel it has seen, for good, and no cache setting or sweeper covers
 * channels: one object per user who ever wrote to the bot. The bot never looks back at a DM, and
 * the next DM brings its channel again (the Channel partial), so they are dropped now and then.
 * Returns how many were dropped.
 */
export function sweepDmChannels(client: Client): number {
  return client.channels.cache.sweep((channel) => channel.isDMBased());
}

/** Sweeps DM channels every `intervalMs` until the returned function is called. */
export function startDmChannelSweeper(client: Client, intervalMs = DM_SWEEP_INTERVAL_MS): () => void {
  const timer = setInterval(() => sweepDmChannels(client), intervalMs);
  // Housekeeping must never keep a stopping process alive.
  timer.unref();
  return () => clearInterval(timer);
}
