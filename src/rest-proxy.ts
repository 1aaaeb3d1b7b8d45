/**
 * `npm run rest-proxy`: one REST budget for many bot processes. Discord's rate limits (50 requests
 * per second in all, and each route's own) hold for the bot as a whole, however many processes it
 * runs; each process's REST client only knows its own requests. Pointed at this proxy
 * (DISCORD_API_BASE=http://127.0.0.1:8081/api), every process sends through one REST client
 * (@discordjs/proxy over @discordjs/rest), which keeps count of the limits for all of them together
 * and tells each sender when to wait.
 *
 * The proxy holds no token: each request keeps its own Authorization header (interaction routes
 * have none). It answers only requests that carry REST_PROXY_SECRET (the bots send it), so that no
 * one else who can reach it spends the bot's budget. It forwards to REST_PROXY_UPSTREAM (Discord itself by default) and listens on
 * REST_PROXY_HOST:REST_PROXY_PORT (127.0.0.1:8081). `GET /health` answers here, for supervisors.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { proxyRequests } from '@discordjs/proxy';
import { REST, RESTEvents } from '@discordjs/rest';
import { loadEnvFile } from './cli/env-file.ts';
import { failWith, loadConfigOrExit } from './cli/exit.ts';
import { logRestTrouble } from './gateway/rest-log.ts';
import { createLogger, logProcessFailures } from './log.ts';
import { displayUrl } from './redact.ts';
import { PROXY_SECRET_HEADER } from './rest-options.ts';

/** Requests still being answered get this long after SIGTERM, then the process exits anyway. */
const DRAIN_MS = 4000;

loadEnvFile();

const config = loadConfigOrExit(process.env);
const { upstream, host, port } = config.restProxy;
const logger = createLogger({ level: config.logLevel, secrets: [config.proxySecret, config.feedback.secret], base: { process: 'rest proxy' }, idKey: config.feedback.secret });
logProcessFailures(logger);
if (!config.proxySecret) {
  failWith('The REST proxy needs REST_PROXY_SECRET: set it to a random string of at least 32 characters (e.g. `openssl rand -hex 32`), here and for every bot behind the proxy.');
}
const expectedSecret = digest(config.proxySecret);

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compared as digests, in constant time: the answer says nothing about how much of a guess was right. */
function carriesSecret(req: IncomingMessage): boolean {
  const sent = req.headers[PROXY_SECRET_HEADER];
  return typeof sent === 'string' && timingSafeEqual(digest(sent), expectedSecret);
}

/**
 * No token of its own; the user agent says which requests came through here. A rate limit, known in
 * advance or answered by Discord, goes back to the process that sent the request as a 429 with
 * Retry-After, and that process waits and sends again: the proxy passes each request body on as it
 * arrives, so it cannot send one twice. Server errors go back the same way (the bot retries them).
 */
const rest = new REST({ api: upstream, userAgentAppendix: 'bpo-bot REST proxy', rejectOnRateLimit: () => true, retries: 0 });
logRestTrouble(rest, logger, { rateLimited: 'rate limited by Discord; the sender waits, then sends again' });
rest.on(RESTEvents.RateLimited, (info) =>
  logger.debug({ route: info.route, global: info.global, retryAfterMs: Math.round(info.timeToReset) }, 'rate limit reached: telling the sender to wait'),
);
const forward = proxyRequests(rest);

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  if (!carriesSecret(req)) {
    logger.warn({ method: req.method, remote: req.socket.remoteAddress }, 'refused a request without the REST proxy secret');
    // Closed after the answer: the body is not read, and the connection not kept for more.
    res.writeHead(401, { 'content-type': 'application/json', connection: 'close' }).end('{"message":"401: Unauthorized (REST_PROXY_SECRET)","code":0}');
    return;
  }
  // @discordjs/proxy sets the status of every answer it knows (Discord's, a 429, a 504) and ends the
  // response itself, also when it cannot reach Discord at all: preset, that answer is a 502, not a 200.
  res.statusCode = 502;
  Promise.resolve(forward(req, res)).catch((error: unknown) => {
    // The path is not logged: interaction and webhook routes carry their tokens (the logger removes them anyway).
    logger.error({ err: error, method: req.method }, 'could not reach Discord: answered 502');
    if (!res.writableEnded) res.end();
  });
});

server.on('error', (error) => failWith(`The REST proxy could not listen on ${host}:${port} (${error.message}): set REST_PROXY_PORT or REST_PROXY_HOST to a free address.`));
server.listen(port, host, () => {
  const address = server.address() as AddressInfo;
  logger.info({ host: address.address, port: address.port, upstream: displayUrl(upstream) }, 'REST proxy listening');
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'stopping');
    const deadline = setTimeout(() => process.exit(1), DRAIN_MS);
    deadline.unref();
    server.close(() => {
      logger.info({}, 'stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  });
}
