import { RESTEvents, type REST } from '@discordjs/rest';
import type { Logger } from '../log.ts';

/**
 * Logs the REST trouble discord.js handles on its own: it waits out a 429 and retries a 5xx
 * (up to `retries` times), so without this a slow or flaky Discord would leave no trace. A request
 * that still fails is thrown to the handler, which logs it with the user and command.
 *
 * Only the rate-limit route is logged (`/interactions/:id/:token/callback`), never the path:
 * interaction paths carry the interaction's token.
 */
export function logRestTrouble(rest: REST, logger: Logger, { rateLimited = 'rate limited by Discord; retrying after the wait' } = {}): void {
  rest.on(RESTEvents.Response, (request, response) => {
    const { status } = response;
    if (status === 429) {
      const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
      logger.warn(
        {
          method: request.method.toUpperCase(),
          route: request.route,
          retryAfterMs: Number.isFinite(retryAfter) ? Math.round(retryAfter * 1000) : null,
          global: response.headers.has('x-ratelimit-global'),
          scope: response.headers.get('x-ratelimit-scope'),
        },
        rateLimited,
      );
    } else if (status >= 500) {
      const willRetry = request.retries < rest.options.retries;
      logger.warn(
        { method: request.method.toUpperCase(), route: request.route, status, attempt: request.retries + 1, willRetry },
        willRetry ? 'Discord server error; retrying' : 'Discord server error; giving up',
      );
    }
    // The body is left alone: with Node's default request strategy it is the very stream discord.js reads.
  });
}
