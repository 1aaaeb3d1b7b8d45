/**
 * The REST API under /api/v10: routing, auth, fault injection, artificial latency, rate-limit
 * headers and a record of every request.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseBody, readBody } from './body.ts';
import { interactionRoutes } from './interaction-routes.ts';
import { WaitableLog } from './log.ts';
import { error, type RestResponse, type Route, type RouteContext } from './route.ts';
import { coreRoutes } from './routes.ts';
import type { DiscordState } from './state.ts';
import type { FailRule, PathPattern, RecordedRequest } from './types.ts';

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}$`), names };
}

// Literal segments (like `@me`) must win over `:param` ones, so more specific routes go first.
const ROUTES = [...coreRoutes, ...interactionRoutes]
  .map(compile)
  .sort((a, b) => a.names.length - b.names.length);

/** Matches a path against an exact path, a `:param` template, or a RegExp. */
export function pathMatches(pattern: PathPattern, path: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(path);
  if (!pattern.includes(':')) return pattern === path;
  return compile({ method: '', path: pattern, handle: () => ({ status: 0 }) }).pattern.test(path);
}

function defaultFailure(rule: FailRule): { body: unknown; headers: Record<string, string> } {
  if (rule.status === 429) {
    const body = { message: 'You are being rate limited.', retry_after: 0.1, global: false, ...(rule.body as object) } as {
      retry_after: number;
      global: boolean;
    };
    // Discord rounds the header up to whole seconds; the exact value is kept here so tests stay fast.
    const headers: Record<string, string> = {
      'retry-after': String(body.retry_after),
      'x-ratelimit-scope': body.global ? 'global' : 'user',
    };
    if (body.global) headers['x-ratelimit-global'] = 'true';
    else Object.assign(headers, { 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': String(body.retry_after) });
    return { body, headers };
  }
  const reason = rule.status >= 500 ? 'Internal Server Error' : 'Error';
  return { body: rule.body ?? { message: `${rule.status}: ${reason}`, code: 0 }, headers: {} };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export interface RestOptions {
  state: DiscordState;
  gatewayUrl: () => string;
  gateway: RouteContext['gateway'];
  validate: boolean;
  interactionDeadlineMs: number;
  channelMessageLimit?: { limit: number; windowMs: number } | undefined;
  globalRequestsPerSecond?: number | undefined;
}

/** A rate-limit bucket's window: opened by its first request, as Discord's are. */
interface Window {
  count: number;
  resetAt: number;
}

const CHANNEL_MESSAGES = /^\/channels\/(\d+)\/messages$/;

export class RestApi {
  readonly requests = new WaitableLog<RecordedRequest>(
    (r) => `${r.method} ${r.path} -> ${r.status}${r.failedWith ? ' (injected)' : ''} ${JSON.stringify(r.body)?.slice(0, 100) ?? ''}`,
  );
  private readonly failRules: (FailRule & { remaining: number })[] = [];
  private delayMs = 0;
  private readonly channelWindows = new Map<string, Window>();
  private globalWindow: Window = { count: 0, resetAt: 0 };
  /** Tokens answered with 401, as Discord answers a reset or mistyped token. */
  private readonly rejectedTokens = new Set<string>();

  constructor(private readonly options: RestOptions) {}

  rejectToken(token: string): void {
    this.rejectedTokens.add(token);
  }

  failNext(rule: FailRule): void {
    this.failRules.push({ ...rule, remaining: rule.times ?? 1 });
  }

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    // Recorded decoded (discord.js sends `@original` as `%40original`) so tests can match literal paths.
    const path = safeDecode(url.pathname.replace(/^\/api(\/v\d+)?/, '')) || '/';
    const parsed = parseBody(raw, req.headers['content-type']);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
    );
    const record: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: parsed.body,
      headers,
      at: performance.now(),
      status: 0,
      ...(parsed.files.length && { files: parsed.files }),
    };

    let response: RestResponse;
    const match = url.pathname.startsWith('/api/') ? this.route(method, path) : undefined;
    const bucket = match ? createHash('sha1').update(`${method} ${match.route.path}`).digest('hex').slice(0, 32) : 'none';
    const rule = this.takeFailRule(method, path);
    const limited = match && match.route.auth !== false ? this.rateLimit(method, path) : undefined;
    if (rule) {
      const failure = defaultFailure(rule);
      response = { status: rule.status, body: failure.body, headers: { ...failure.headers, ...rule.headers } };
      record.failedWith = rule.status;
    } else if (limited?.status === 429) {
      response = limited;
    } else if (parsed.invalid) {
      response = error(400, 'The request body contains invalid JSON.', 50109);
    } else if (!match) {
      const otherMethod = url.pathname.startsWith('/api/') && ROUTES.some((r) => r.pattern.test(path));
      response = otherMethod ? error(405, '405: Method Not Allowed', 0) : error(404, '404: Not Found', 0);
    } else if (match.route.auth !== false && !this.authorized(headers.authorization)) {
      response = error(401, '401: Unauthorized', 0);
    } else {
      response = match.route.handle({
        params: match.params,
        query: url.searchParams,
        body: parsed.body,
        files: parsed.files,
        state: this.options.state,
        gatewayUrl: this.options.gatewayUrl(),
        gateway: this.options.gateway,
        validate: this.options.validate,
        interactionDeadlineMs: this.options.interactionDeadlineMs,
      });
    }
    if (limited && response.status !== 429) response = { ...response, headers: { ...limited.headers, ...response.headers } };
    record.status = response.status;
    this.requests.push(record);
    if (this.delayMs > 0) await sleep(this.delayMs);
    this.write(res, response, bucket);
  }

  /**
   * Discord's global limit (per second, for everything but interaction routes) and its per-channel
   * limit on posting messages, when configured: a 429 past either, and otherwise the bucket's true
   * remaining count in the headers, so that discord.js waits before it would hit the limit.
   */
  private rateLimit(method: string, path: string): RestResponse | undefined {
    const now = Date.now();
    const perSecond = this.options.globalRequestsPerSecond;
    if (perSecond !== undefined) {
      if (now >= this.globalWindow.resetAt) this.globalWindow = { count: 0, resetAt: now + 1000 };
      if (this.globalWindow.count >= perSecond) {
        const retryAfter = (this.globalWindow.resetAt - now) / 1000;
        return {
          status: 429,
          body: { message: 'You are being rate limited.', retry_after: retryAfter, global: true, code: 0 },
          headers: { 'retry-after': String(retryAfter), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
        };
      }
      this.globalWindow.count += 1;
    }
    const limit = this.options.channelMessageLimit;
    const channelId = method === 'POST' ? CHANNEL_MESSAGES.exec(path)?.[1] : undefined;
    if (!limit || !channelId) return undefined;
    let window = this.channelWindows.get(channelId);
    if (!window || now >= window.resetAt) {
      window = { count: 0, resetAt: now + limit.windowMs };
      this.channelWindows.set(channelId, window);
    }
    const resetAfter = ((window.resetAt - now) / 1000).toFixed(3);
    const bucketHeaders = (remaining: number) => ({
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': (window.resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfter,
      'x-ratelimit-bucket': createHash('sha1').update('POST /channels/:channel/messages').digest('hex').slice(0, 32),
    });
    if (window.count >= limit.limit) {
      return {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: Number(resetAfter), global: false, code: 0 },
        headers: { ...bucketHeaders(0), 'retry-after': resetAfter, 'x-ratelimit-scope': 'user' },
      };
    }
    window.count += 1;
    return { status: 0, headers: bucketHeaders(limit.limit - window.count) };
  }

  private authorized(header = ''): boolean {
    const token = /^Bot (\S+)$/.exec(header)?.[1];
    return token !== undefined && !this.rejectedTokens.has(token);
  }

  private takeFailRule(method: string, path: string): FailRule | undefined {
    const index = this.failRules.findIndex(
      (r) => (!r.method || r.method.toUpperCase() === method) && (!r.path || pathMatches(r.path, path)),
    );
    const rule = this.failRules[index];
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.failRules.splice(index, 1);
    return rule;
  }

  private route(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | undefined {
    for (const route of ROUTES) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((name, i) => [name, match[i + 1] ?? '']));
      return { route, params };
    }
    return undefined;
  }

  private write(res: ServerResponse, response: RestResponse, bucket: string): void {
    if (res.destroyed) return;
    const resetAfter = 1;
    const headers: Record<string, string> = {
      // discord.js's REST manager reads these to track buckets; staying well under the limit keeps it from queueing.
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '4',
      'x-ratelimit-reset': (Date.now() / 1000 + resetAfter).toFixed(3),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': bucket,
      ...response.headers,
    };
    if (response.status === 204 || response.body === undefined) {
      res.writeHead(response.status, headers).end();
      return;
    }
    const payload = JSON.stringify(response.body);
    res
      .writeHead(response.status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) })
      .end(payload);
  }
}
