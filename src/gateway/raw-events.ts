import { GatewayEvents, type Gateway } from './client.ts';

/** A handler for one gateway dispatch, given its payload as Discord sent it. */
export type RawHandler = (data: unknown, shardId: number) => void;

/**
 * Hands gateway dispatches to the bot as plain payloads, by event name: the same data the HTTP
 * transport gets, so that one set of handlers serves both. An event with no handler (one the bot
 * did not ask for, such as a presence update) is simply not read.
 */
export function onRawEvents(gateway: Gateway, handlers: Readonly<Record<string, RawHandler>>): void {
  const byName = new Map(Object.entries(handlers));
  gateway.on(GatewayEvents.Dispatch, ({ data, shardId }) => {
    const name: unknown = data?.t;
    if (typeof name !== 'string') return;
    byName.get(name)?.(data.d, shardId);
  });
}
