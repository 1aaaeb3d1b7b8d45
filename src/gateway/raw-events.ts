import { Events, type Client } from 'discord.js';

/**
 * A handler for one raw gateway dispatch. Returning `'take'` keeps the packet from discord.js; any
 * other result lets discord.js handle it after the bot has seen (and perhaps slimmed) it.
 */
export type RawHandler = (data: unknown, shardId: number) => 'take' | void;

/** The name a taken packet is renamed to: no discord.js packet handler has it. */
const TAKEN = 'BOT_HANDLED';

/**
 * Hands gateway dispatches to the bot as plain payloads, by event name: the same data the HTTP
 * transport gets, so that one set of handlers serves both and nothing the bot does depends on
 * discord.js's caches.
 *
 * discord.js emits every packet as `raw` before its own handler reads the same object. A packet the
 * bot has taken is renamed, so discord.js skips it: it would only build objects and cache users,
 * members and channels the bot never reads, and it throws (an unhandled rejection) on an
 * interaction that names neither a user nor a member. Events discord.js needs for its own state
 * (READY, GUILD_CREATE: its ready signal counts them) are observed, never taken.
 */
export function onRawEvents(client: Client, handlers: Readonly<Record<string, RawHandler>>): void {
  client.on(Events.Raw, (packet: { t?: unknown; d?: unknown }, shardId: number) => {
    const name = packet?.t;
    if (typeof name !== 'string') return;
    const handler = handlers[name];
    if (!handler) return;
    if (handler(packet.d, shardId) === 'take') packet.t = TAKEN;
  });
}
