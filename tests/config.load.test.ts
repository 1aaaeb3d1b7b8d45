import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseShardIds } from '../src/config.ts';
import { shardsForProcess } from '../src/gateway/shards.ts';

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
      http: { host: '127.0.0.1', port: 8080 },
      feedback: { path: 'data/feedback.db', secret: undefined, retentionDays: 90 },
      shards: { count: undefined, ids: undefined },
      messageContent: true,
      restProxy: { upstream: 'https://discord.com/api', host: '127.0.0.1', port: 8081 },
    });
  });

  it('asks for the Message Content intent unless MESSAGE_CONTENT is off, and names the values it takes', () => {
    expect(loadConfig({}).messageContent).toBe(true);
    expect(loadConfig({ MESSAGE_CONTENT: 'ON' }).messageContent).toBe(true);
    expect(loadConfig({ MESSAGE_CONTENT: ' off ' }).messageContent).toBe(false);
    expect(loadConfig({ MESSAGE_CONTENT: 'false' }).messageContent).toBe(false);
    expect(() => loadConfig({ MESSAGE_CONTENT: 'maybe' })).toThrow(/^MESSAGE_CONTENT must be "on" .* or "off" /);
  });

  it('treats unset and blank alike, and defaults the log level to info', () => {
    const blank = { DISCORD_TOKEN: '', DISCORD_CLIENT_ID: '  ', DISCORD_GUILD_ID: '', DISCORD_API_BASE: '', LOG_LEVEL: '', SHARD_COUNT: '', SHARD_IDS: ' ' };
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
        http: { host: '127.0.0.1', port: 8080 },
        feedback: { path: 'data/feedback.db', secret: undefined, retentionDays: 90 },
        shards: { count: undefined, ids: undefined },
        messageContent: true,
        restProxy: { upstream: 'https://discord.com/api', host: '127.0.0.1', port: 8081 },
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
    ['REDIS_URL', 'redis://:pass@redis.example.com:6379', /^REDIS_URL may use plain redis:\/\/ only for this machine .*use rediss:\/\/ \(TLS\) for another host\.$/],
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
    const secret = 'k'.repeat(40);
    const config = loadConfig({ DISCORD_PUBLIC_KEY: ` ${key} `, PORT: '3000', HOST: '127.0.0.1', REDIS_URL: 'redis://:pass@127.0.0.1:6380/2', FEEDBACK_SECRET: secret });
    expect(config).toMatchObject({ publicKey: key.toLowerCase(), http: { host: '127.0.0.1', port: 3000 }, redisUrl: 'redis://:pass@127.0.0.1:6380/2' });
    expect(loadConfig({ REDIS_URL: 'rediss://redis.example.com:6380', FEEDBACK_SECRET: secret }).redisUrl).toBe('rediss://redis.example.com:6380');
    // Every process sharing the limits must hash user ids with the same key.
    expect(errorOf(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).message).toMatch(/^REDIS_URL needs FEEDBACK_SECRET: .*openssl rand -hex 32/);
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

describe('SHARD_COUNT and SHARD_IDS', () => {
  it('parses single ids, ranges and both, sorted and without repeats', () => {
    expect(parseShardIds('0,1,2')).toEqual([0, 1, 2]);
    expect(parseShardIds('0-7')).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(parseShardIds(' 8 , 0-2, 4-5 ,2')).toEqual([0, 1, 2, 4, 5, 8]);
    expect(parseShardIds('3')).toEqual([3]);
    expect(parseShardIds('5-5')).toEqual([5]);
  });

  it('says what is wrong with a list it cannot read', () => {
    for (const bad of ['', ',', '0,,1', 'a', '1-', '-3', '0..3', '1.5', '0-3-5', '0 1']) {
      expect(parseShardIds(bad)).toMatch(/^SHARD_IDS must list shard ids/);
    }
    expect(parseShardIds('7-3')).toBe('SHARD_IDS has the range "7-3", which runs backwards: write the lower id first, e.g. "3-7".');
    expect(parseShardIds('0-99999')).toMatch(/^SHARD_IDS lists shard 99999, beyond the largest shard count/);
  });

  it('reads both into the configuration, and blank as unset', () => {
    expect(loadConfig({ SHARD_COUNT: '8', SHARD_IDS: '0-3' }).shards).toEqual({ count: 8, ids: [0, 1, 2, 3] });
    expect(loadConfig({ SHARD_COUNT: ' 4 ' }).shards).toEqual({ count: 4, ids: undefined });
    expect(loadConfig({ SHARD_COUNT: '', SHARD_IDS: '  ' }).shards).toEqual({ count: undefined, ids: undefined });
  });

  it('stops with one sentence naming the variable', () => {
    expect(errorOf(() => loadConfig({ SHARD_COUNT: '0' })).message).toMatch(/^SHARD_COUNT must be a whole number from 1 to 16384: the total number of gateway shards/);
    expect(errorOf(() => loadConfig({ SHARD_COUNT: 'two' })).message).toMatch(/^SHARD_COUNT must be a whole number/);
    expect(errorOf(() => loadConfig({ SHARD_COUNT: '4', SHARD_IDS: '0;1' })).message).toMatch(/^SHARD_IDS must list shard ids such as "0,1,2" or "0-7"/);
    expect(errorOf(() => loadConfig({ SHARD_IDS: '0-3' })).message).toBe(
      "SHARD_IDS needs SHARD_COUNT: set SHARD_COUNT to the total number of shards over every machine, so that each machine's SHARD_IDS are shards of the same total.",
    );
    expect(errorOf(() => loadConfig({ SHARD_COUNT: '8', SHARD_IDS: '4-8' })).message).toBe('SHARD_IDS lists shard 8, but SHARD_COUNT is 8: shard ids run from 0 to 7.');
  });

  it('picks the shards of one process: the manager\'s assignment, the configured share, or Discord\'s recommendation', () => {
    expect(shardsForProcess({ count: undefined, ids: undefined }, {})).toBe('auto');
    expect(shardsForProcess({ count: 4, ids: undefined }, {})).toEqual({ ids: [0, 1, 2, 3], count: 4 });
    expect(shardsForProcess({ count: 8, ids: [2, 5] }, {})).toEqual({ ids: [2, 5], count: 8 });
    // Under the ShardingManager, which sets SHARDS and SHARD_COUNT for each shard process.
    expect(shardsForProcess({ count: 8, ids: [2, 5] }, { SHARDING_MANAGER: 'true', SHARDS: '5', SHARD_COUNT: '8' })).toEqual({ ids: [5], count: 8 });
  });
});

describe('REST_PROXY_*', () => {
  it('reads the upstream API and where the proxy listens, with defaults', () => {
    expect(loadConfig({ REST_PROXY_UPSTREAM: 'http://127.0.0.1:9000/api/', REST_PROXY_PORT: '9001', REST_PROXY_HOST: '0.0.0.0' }).restProxy).toEqual({
      upstream: 'http://127.0.0.1:9000/api',
      host: '0.0.0.0',
      port: 9001,
    });
  });

  it('holds the upstream to the same rules as DISCORD_API_BASE, naming its own variable', () => {
    expect(errorOf(() => loadConfig({ REST_PROXY_UPSTREAM: 'http://discord.example.com/api' })).message).toBe(
      'REST_PROXY_UPSTREAM may use plain http only for this machine (localhost, 127.0.0.1 or ::1), since the token would travel unencrypted: use https:// for discord.example.com.',
    );
    expect(errorOf(() => loadConfig({ REST_PROXY_UPSTREAM: 'https://u:secret-pass@example.com/api' })).message).not.toContain('secret-pass');
    expect(errorOf(() => loadConfig({ REST_PROXY_UPSTREAM: 'discord.com' })).message).toMatch(/^REST_PROXY_UPSTREAM must be an http\(s\) URL/);
    expect(errorOf(() => loadConfig({ REST_PROXY_PORT: '70000' })).message).toMatch(/^REST_PROXY_PORT must be a whole number from 1 to 65535/);
    expect(errorOf(() => loadConfig({ REST_PROXY_HOST: 'not a host' })).message).toMatch(/^REST_PROXY_HOST must be an IP address or a host name/);
  });
});
