export { startDiscordServer, type DiscordTestServer } from './server.ts';
export * from './payloads.ts';
export * from './interactions.ts';
export { DiscordState, type InteractionRecord } from './state.ts';
export { pathMatches } from './rest.ts';
export type * from './types.ts';
export { generateGuilds, type GeneratedGuilds } from './generate.ts';
