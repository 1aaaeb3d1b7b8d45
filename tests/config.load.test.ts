import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

// Shaped like a real token (id.timestamp.hmac) but not one.
const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GAbCdE.0123456789abcdefghijklmnopqrstuvwxyzAB';
const CLIENT_ID = '1100000000000000001';

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads every variable into a typed object', () => {
    const config = loadConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: CLIENT_ID,
      DISCORD_GUILD_ID: '1200000000000000001',
      DISCORD_API_BASE: 'http://127.0.0.1:8080/api/',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config).toEqual({
      token: TOKEN,
      clientId: CLIENT_ID,
      guildId: '1200000000000000001',
      apiBase: 'http://127.0.0.1:8080/api',
      logLevel: 'debug',
      rateLimit: { questions: 5, windowSeconds: 30 },
      redisUrl: undefined,
      publicKey: undefined,
      http: { host: '0.0.0.0', port: 8080 },
      feedback: { path: 'data/feedback.db', secret: undefined, retentionDays: 90 },
    });
  });

  it('treats unset and blank alike, and defaults the log level to info', () => {
    const blank = { DISCORD_TOKEN: '', DISCORD_CLIENT_ID: '  ', DISCORD_GUILD_ID: '', DISCORD_API_BASE: '', LOG_LEVEL: '' };
    for (const env of [{}, blank]) {
      expect(loadConfig(env)).toEqual({
        token: undefined,
        clientId: undefined,
        guildId: undefined,
        apiBase: undefined,
        logLevel: 'info',
        rateLimit: { questions: 5, windowSeconds: 30 },
        redisUrl: undefined,
        publicKey: undefined,
        http: { host: '0.0.0.0', port: 8080 },
        feedback: { path: 'data/feedback.db', secret: undefined, retentionDays: 90 },
      });
    }
  });

  it('accepts a token pasted with the "Bot " prefix or surrounding spaces', () => {
    expect(loadConfig({ DISCORD_TOKEN: `  Bot ${TOKEN} ` }).token).toBe(TOKEN);
  });

  it('does not read process.env', () => {
    process.env.LOG_LEVEL = 'error';
    try {
      expect(loadConfig({}).logLevel).toBe('info');
    } finally {
      delete process.env.LOG_LEVEL;
    }
  });

  it('types the settings a caller needs as present, and names the missing one with how to set it', () => {
    const config = loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: CLIENT_ID }, ['token', 'clientId']);
    const token: string = config.token;
    expect(token).toBe(TOKEN);

    const missingToken = errorOf(() => loadConfig({ DISCORD_CLIENT_ID: CLIENT_ID }, ['token', 'clientId']));
    expect(missingToken.message).toMatch(/^DISCORD_TOKEN is not set: .*\.env/);
    const missingClient = errorOf(() => loadConfig({ DISCORD_TOKEN: TOKEN }, ['token', 'clientId']));
    expect(missingClient.message).toMatch(/^DISCORD_CLIENT_ID is not set: .*Application ID/);
  });

  it.each([
    ['DISCORD_TOKEN', 'not a token', /^DISCORD_TOKEN does not look like a bot token/],
    ['DISCORD_CLIENT_ID', 'my-bot', /^DISCORD_CLIENT_ID must be your application's id/],
    ['DISCORD_GUILD_ID', '12345', /^DISCORD_GUILD_ID must be a server id/],
    ['DISCORD_API_BASE', 'localhost:8080', /^DISCORD_API_BASE must be an http\(s\) URL/],
    ['DISCORD_API_BASE', 'ftp://example.com/api', /^DISCORD_API_BASE must be an http\(s\) URL/],
    ['LOG_LEVEL', 'verbose', /^LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent/],
    ['RATE_LIMIT_QUESTIONS', '0', /^RATE_LIMIT_QUESTIONS must be a whole number from 1 to 1000: .*\(default 5\)/],
    ['RATE_LIMIT_QUESTIONS', '2.5', /^RATE_LIMIT_QUESTIONS must be a whole number/],
    ['RATE_LIMIT_QUESTIONS', 'five', /^RATE_LIMIT_QUESTIONS must be a whole number/],
    ['RATE_LIMIT_QUESTIONS', '-3', /^RATE_LIMIT_QUESTIONS must be a whole number/],
    ['RATE_LIMIT_QUESTIONS', '1001', /^RATE_LIMIT_QUESTIONS must be a whole number from 1 to 1000/],
    ['RATE_LIMIT_WINDOW_SECONDS', '0', /^RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds from 1 to 86400 .*\(default 30\)/],
    ['RATE_LIMIT_WINDOW_SECONDS', '30s', /^RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds/],
    ['RATE_LIMIT_WINDOW_SECONDS', '86401', /^RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds/],
    ['DISCORD_API_BASE', 'http://discord.example.com/api', /^DISCORD_API_BASE may use plain http only for this machine .*use https:\/\/ for discord\.example\.com\.$/],
    ['DISCORD_API_BASE', 'http://10.0.0.5:8080/api', /^DISCORD_API_BASE may use plain http only for this machine/],
    ['DISCORD_API_BASE', 'http://127.0.0.1.example.com/api', /^DISCORD_API_BASE may use plain http only for this machine/],
    ['DISCORD_API_BASE', 'https://proxy:hunter2secret@proxy.example.com/api', /^DISCORD_API_BASE must not contain a user name or password/],
    ['REDIS_URL', 'localhost:6379', /^REDIS_URL must be a Redis URL such as "redis:\/\/127\.0\.0\.1:6379"/],
    ['REDIS_URL', 'http://127.0.0.1:6379', /^REDIS_URL must be a Redis URL/],
    ['DISCORD_PUBLIC_KEY', 'abc123', /^DISCORD_PUBLIC_KEY must be your application's public key, 64 hexadecimal characters/],
    ['DISCORD_PUBLIC_KEY', 'g'.repeat(64), /^DISCORD_PUBLIC_KEY must be your application's public key/],
    ['PORT', '0', /^PORT must be a whole number from 1 to 65535: .*\(default 8080\)/],
    ['PORT', '70000', /^PORT must be a whole number from 1 to 65535/],
    ['PORT', 'http', /^PORT must be a whole number/],
    ['HOST', 'not a host!', /^HOST must be an IP address or a host name to listen on/],
    ['FEEDBACK_DB', 'data/feedback\n.db', /^FEEDBACK_DB must be the path of the feedback database file \(default data\/feedback\.db\), or "off"/],
    ['FEEDBACK_SECRET', 'too-short', /^FEEDBACK_SECRET must be at least 32 characters/],
    ['FEEDBACK_RETENTION_DAYS', '0', /^FEEDBACK_RETENTION_DAYS must be a whole number of days from 1 to 3650: .*\(default 90\)/],
    ['FEEDBACK_RETENTION_DAYS', '90d', /^FEEDBACK_RETENTION_DAYS must be a whole number of days/],
    ['FEEDBACK_RETENTION_DAYS', '3651', /^FEEDBACK_RETENTION_DAYS must be a whole number of days/],
  ])('rejects an invalid %s with one sentence naming it', (variable, value, message) => {
    const error = errorOf(() => loadConfig({ [variable]: value }));
    expect(error.message).toMatch(message);
    // One sentence, one line, ending with a full stop: printed as is, without a stack trace.
    expect(error.message).not.toContain('\n');
    expect(error.message.endsWith('.')).toBe(true);
  });

  it('reads the question limit, trimmed, each part defaulting on its own', () => {
    expect(loadConfig({ RATE_LIMIT_QUESTIONS: ' 10 ', RATE_LIMIT_WINDOW_SECONDS: '60' }).rateLimit).toEqual({ questions: 10, windowSeconds: 60 });
    expect(loadConfig({ RATE_LIMIT_QUESTIONS: '1' }).rateLimit).toEqual({ questions: 1, windowSeconds: 30 });
    expect(loadConfig({ RATE_LIMIT_WINDOW_SECONDS: '86400' }).rateLimit).toEqual({ questions: 5, windowSeconds: 86_400 });
    expect(loadConfig({ RATE_LIMIT_QUESTIONS: '1000', RATE_LIMIT_WINDOW_SECONDS: '1' }).rateLimit).toEqual({ questions: 1000, windowSeconds: 1 });
  });

  it('reads the HTTP settings, the public key and the Redis URL', () => {
    const key = 'AB'.repeat(32);
    const config = loadConfig({ DISCORD_PUBLIC_KEY: ` ${key} `, PORT: '3000', HOST: '127.0.0.1', REDIS_URL: 'redis://:pass@127.0.0.1:6380/2' });
    expect(config).toMatchObject({ publicKey: key.toLowerCase(), http: { host: '127.0.0.1', port: 3000 }, redisUrl: 'redis://:pass@127.0.0.1:6380/2' });
    expect(loadConfig({ HOST: '::' }).http.host).toBe('::');
    expect(loadConfig({ HOST: 'bot.internal' }).http.host).toBe('bot.internal');
    expect(errorOf(() => loadConfig({}, ['publicKey'])).message).toMatch(/^DISCORD_PUBLIC_KEY is not set: .*Public Key/);
  });

  it('allows plain http to DISCORD_API_BASE only on this machine (a local proxy or test server)', () => {
    for (const base of ['http://127.0.0.1:8080/api', 'http://localhost/api', 'http://[::1]:9000/api', 'http://127.5.0.1/api', 'https://discord.example.com/api']) {
      expect(loadConfig({ DISCORD_API_BASE: base }).apiBase).toBe(base);
    }
  });

  it('never echoes a password in DISCORD_API_BASE back', () => {
    expect(errorOf(() => loadConfig({ DISCORD_API_BASE: 'https://proxy:hunter2secret@proxy.example.com/api' })).message).not.toContain('hunter2secret');
  });

  it('reads the feedback settings: a path or "off", the secret, the retention', () => {
    const secret = 'f'.repeat(64);
    expect(loadConfig({ FEEDBACK_DB: ' /var/lib/bpo/feedback.db ', FEEDBACK_SECRET: secret, FEEDBACK_RETENTION_DAYS: '30' }).feedback).toEqual({
      path: '/var/lib/bpo/feedback.db',
      secret,
      retentionDays: 30,
    });
    expect(loadConfig({ FEEDBACK_DB: 'off' }).feedback.path).toBeNull();
    expect(loadConfig({ FEEDBACK_DB: 'OFF' }).feedback.path).toBeNull();
    expect(loadConfig({ FEEDBACK_DB: '' }).feedback.path).toBe('data/feedback.db');
  });

  it('never echoes a rejected feedback secret back', () => {
    const secret = 'short-secret-123';
    expect(errorOf(() => loadConfig({ FEEDBACK_SECRET: secret })).message).not.toContain(secret);
  });

  it('never echoes a rejected token back', () => {
    const secret = 'abc def ghi-secret';
    expect(errorOf(() => loadConfig({ DISCORD_TOKEN: secret })).message).not.toContain(secret);
  });
});
