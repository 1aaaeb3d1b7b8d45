/** Shared shapes and helpers for REST route handlers. */
import type { DiscordState } from './state.ts';
import type { RecordedFile } from './types.ts';

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: RecordedFile[];
  state: DiscordState;
  gatewayUrl: string;
  /** What `GET /gateway/bot` reports besides the URL. */
  gateway: { recommendedShards: number; maxConcurrency: number };
  validate: boolean;
  interactionDeadlineMs: number;
}

export interface Route {
  method: string;
  /** Path with `:param` segments, relative to `/api/v10`. */
  path: string;
  /** Whether Discord requires `Authorization: Bot …` (interaction and webhook-token routes do not). */
  auth?: boolean;
  handle: (ctx: RouteContext) => RestResponse;
}

export const ok = (body: unknown): RestResponse => ({ status: 200, body });
export const created = (body: unknown): RestResponse => ({ status: 201, body });
export const noContent = (): RestResponse => ({ status: 204 });
export const error = (status: number, message: string, code: number): RestResponse => ({
  status,
  body: { message, code },
});

export const unknownChannel = () => error(404, 'Unknown Channel', 10003);
export const unknownMessage = () => error(404, 'Unknown Message', 10008);

export const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
