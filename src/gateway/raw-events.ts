import { Events, type Client } from 'discord.js';

/** Raw gateway dispatches the bot answers itself, by event name. */
export type RawHandlers = Partial<Record<'INTERACTION_CREATE' | 'MESSAGE_CREATE', (data: unknown) => void>>;

/** The name a taken packet is renamed to: no discord.js packet handler has it. */
const TAKEN = 'BOT_HANDLED';

/**
 * Hands the named dispatches to the bot as plain payloads, the same data the HTTP transport gets,
 * so that one set of handlers serves both and nothing the bot does depends on discord.js's caches.
 *
 * discord.js emits every packet as `raw` before its own handler reads the same object. A packet the
 * bot has taken is renamed, so discord.js skips it: it would only build objects and cache users,
 * members and channels the bot never reads, and it throws (an unhandled rejection) on an
 * interaction that names neither a user nor a member.
 */
export function takeRawEvents(client: Client, handlers: RawHandlers): void {
  client.on(Events.Raw, (packet: { t?: unknown; d?: unknown }) => {
    const name = packet?.t;
    if (name !== 'INTERACTION_CREATE' && name !== 'MESSAGE_CREATE') return;
    const handler = handlers[name];
    if (!handler) return;
    packet.t = TAKEN;
    handler(packet.d);
  });
}
