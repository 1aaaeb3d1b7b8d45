/**
 * The HTTP interactions endpoint: Discord POSTs every slash command, autocomplete and button to
 * `/interactions`, signed with the application's key. No gateway and no cache: any number of these
 * servers can run side by side behind a load balancer.
 *
 * - `POST /interactions`: signature first (401), size (413), JSON (400), PING → PONG, then the
 *   shared dispatcher; the answer is the HTTP response.
 * - `GET /health`: 200 while serving, 503 once stopping, for load balancers.
 * - `GET /metrics`: Prometheus text format.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InteractionResponseType } from 'discord-api-types/v10';
import { REST } from '@discordjs/rest';
import type { BotContext } from '../bot/context.ts';
import { InFlight } from '../bot/in-flight.ts';
import { logRestTrouble } from '../gateway/rest-log.ts';
import { createDispatcher, type DispatchOutcome } from '../interactions/dispatch.ts';
import type { Logger } from '../log.ts';
import { restOptions } from '../rest-options.ts';
import { MAX_BODY_BYTES, readLimitedBody } from './body.ts';
import { interactionTypeName, type Metrics, type RequestOutcome } from './metrics.ts';
import { HttpResponder, sendJson } from './responder.ts';
import { isFreshTimestamp, MAX_CLOCK_SKEW_SECONDS, SeenInteractions } from './replay-guard.ts';
import { ed25519PublicKey, isSignedByDiscord } from './signature.ts';

export interface InteractionServerOptions {
  ctx: BotContext;
  metrics: Metrics;
  /** The application's public key, 64 hex characters. */
  publicKey: string;
  /** Where the webhook routes are (DISCORD_API_BASE); Discord itself by default. */
  apiBase: string | undefined;
  /** REST_PROXY_SECRET, sent along when apiBase is the REST proxy. */
  proxySecret?: string | undefined;
  logger: Logger;
}

export interface InteractionServer {
  server: Server;
  /** Requests being answered right now; after `stop`, the ones it had to cut off. */
  readonly inFlight: number;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, lets the requests in flight finish (up to `drainMs`), then closes every connection. */
  stop(options: { drainMs: number }): Promise<void>;
}

/** Connections open at once; past it, new ones are closed at once (Discord sends far fewer). */
export const MAX_CONNECTIONS = 1024;

/**
 * Answers a request that will not be read with an error, and closes the connection: its body is
 * never read, however much of it the client still sends.
 */
function refuse(request: IncomingMessage, response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.on('finish', () => {
    if (!request.complete) request.socket.destroy();
  });
  sendJson(response, status, body, { ...headers, connection: 'close' });
}

const OUTCOME_STATUS: Record<Exclude<DispatchOutcome, 'answered' | 'limited'>, number> = { unsupported: 400, invalid: 400 };

export function createInteractionServer({ ctx, metrics, publicKey, apiBase, proxySecret, logger }: InteractionServerOptions): InteractionServer {
  const key = ed25519PublicKey(publicKey);
  const dispatch = createDispatcher(ctx, 'http');
  // Edits and follow-ups only: webhook routes take the interaction's token, not the bot's.
  const webhooks = new REST(restOptions(apiBase, proxySecret));
  logRestTrouble(webhooks, logger);
  const inFlight = new InFlight();
  const seen = new SeenInteractions();
  let accepting = true;

  /** Answers one POST /interactions; resolves to the metrics labels of what happened. */
  const interactions = async (request: IncomingMessage, response: ServerResponse): Promise<{ type: string; outcome: RequestOutcome }> => {
    const unread = (outcome: RequestOutcome) => ({ type: 'unknown', outcome });
    const signature = header(request, 'x-signature-ed25519');
    const timestamp = header(request, 'x-signature-timestamp');
    if (!signature || !timestamp) {
      refuse(request, response, 401, { error: 'missing signature' });
      return unread('unauthorized');
    }
    if (!isFreshTimestamp(timestamp, Date.now())) {
      refuse(request, response, 401, { error: `the signature timestamp is more than ${MAX_CLOCK_SKEW_SECONDS} seconds off` });
      return unread('unauthorized');
    }
    const read = await readLimitedBody(request);
    if (!read.ok) {
      if (read.reason === 'too-large') sendJson(response, 413, { error: `the body is over ${MAX_BODY_BYTES} bytes` }, { connection: 'close' });
      else response.destroy();
      return unread(read.reason === 'too-large' ? 'too_large' : 'error');
    }
    if (!isSignedByDiscord(key, signature, timestamp, read.body)) {
      sendJson(response, 401, { error: 'invalid request signature' }, { connection: 'close' });
      return unread('unauthorized');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(read.body.toString('utf8'));
    } catch {
      sendJson(response, 400, { error: 'the body is not valid JSON' }, { connection: 'close' });
      return unread('malformed_json');
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      sendJson(response, 400, { error: 'not a valid interaction' }, { connection: 'close' });
      return unread('invalid');
    }
    const type = interactionTypeName((payload as { type?: unknown } | null)?.type);
    if (type === 'ping') {
      sendJson(response, 200, { type: InteractionResponseType.Pong });
      return { type, outcome: 'answered' };
    }
    // A PING changes nothing; anything else is taken once (a replay would spend the asker's limit).
    const id = (payload as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && !seen.firstTime(id, Date.now())) {
      sendJson(response, 409, { error: 'this interaction was already received' }, { connection: 'close' });
      return { type, outcome: 'replayed' };
    }
    const ids = payload as { application_id?: unknown; token?: unknown };
    const responder = new HttpResponder(response, webhooks, { application_id: String(ids.application_id ?? ''), token: String(ids.token ?? '') });
    const outcome = await dispatch(payload, responder);
    if (outcome === 'unsupported' || outcome === 'invalid') {
      sendJson(response, OUTCOME_STATUS[outcome], { error: outcome === 'invalid' ? 'not a valid interaction' : 'an interaction type this application does not handle' }, { connection: 'close' });
      return { type, outcome };
    }
    if (!responder.sent) {
      // The dispatcher logged why; Discord still gets an answer rather than a hanging request.
      sendJson(response, 500, { error: 'no response' });
      return { type, outcome: 'error' };
    }
    return { type, outcome };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path === '/health' && (request.method === 'GET' || request.method === 'HEAD')) {
      sendJson(response, accepting ? 200 : 503, { status: accepting ? 'ok' : 'stopping' });
      return;
    }
    if (path === '/metrics' && request.method === 'GET') {
      const text = await metrics.registry.metrics();
      response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
      return;
    }
    if (path !== '/interactions') {
      refuse(request, response, 404, { error: 'not found' });
      return;
    }
    if (request.method !== 'POST') {
      refuse(request, response, 405, { error: 'use POST' }, { allow: 'POST' });
      return;
    }
    if (!accepting) {
      // Requests on a connection kept alive from before: the load balancer should try another replica.
      refuse(request, response, 503, { error: 'shutting down' });
      metrics.countRequest('unknown', 'shutting_down');
      return;
    }
    const started = interactions(request, response).then(
      ({ type, outcome }) => metrics.countRequest(type, outcome),
      (error: unknown) => {
        logger.error({ err: error }, 'interaction request failed');
        if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
        metrics.countRequest('unknown', 'error');
      },
    );
    inFlight.track(started);
    await started;
  };

  // Timeouts are checked every second (Node's default sweep is 30 s); keep-alive outlasts the 60 s a
  // load balancer keeps an idle connection, so that it never sends on one this side just closed.
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 65_000, connectionsCheckingInterval: 1_000 }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  // A client that sends garbage gets a 400 from node and never reaches the handler.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  let stopped: Promise<void> | undefined;
  return {
    server,
    get inFlight() {
      return inFlight.size;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    stop({ drainMs }) {
      stopped ??= (async () => {
        accepting = false;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const abandoned = await inFlight.drain(drainMs);
        if (abandoned > 0) logger.warn({ abandoned, drainMs }, 'stopped waiting for requests in flight');
        server.closeAllConnections();
        await closed;
        webhooks.clearHashSweeper();
        webhooks.clearHandlerSweeper();
        await ctx.limits.close();
      })();
      return stopped;
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
