/**
 * Credentials never reach a log line or a printed sentence: interaction and webhook tokens in any
 * URL or path, passwords in URLs, and the bot token by value, wherever in the line they sit.
 */
import { Writable } from 'node:stream';
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger, logIdHasher } from '../src/log.ts';
import { displayUrl, redactText } from '../src/redact.ts';

const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246dGhpcy1pcy1hLXRlc3QtaW50ZXJhY3Rpb24tdG9rZW4';
const BOT_TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GrEdAc.cmVkYWN0aW9uLXRlc3QtdG9rZW4tc2VjcmV0';

function capture(secrets: string[] = [], idKey?: string) {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      raw.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { raw, logger: createLogger({ level: 'debug', destination, secrets, ...(idKey ? { idKey } : {}) }) };
}

describe('redactText', () => {
  it.each([
    [`https://discord.com/api/v10/interactions/1300000000000000001/${INTERACTION_TOKEN}/callback`, 'https://discord.com/api/v10/interactions/1300000000000000001/[redacted]/callback'],
    [`/webhooks/1100000000000000001/${INTERACTION_TOKEN}/messages/@original`, '/webhooks/1100000000000000001/[redacted]/messages/@original'],
    [`POST /webhooks/1100000000000000001/${INTERACTION_TOKEN}?wait=true failed`, 'POST /webhooks/1100000000000000001/[redacted]?wait=true failed'],
    ['https://proxy:hunter2secret@proxy.example.com/api', 'https://[redacted]@proxy.example.com/api'],
    ['redis://:s3cret-pass@10.0.0.2:6379/0', 'redis://[redacted]@10.0.0.2:6379/0'],
  ])('%s', (text, redacted) => {
    expect(redactText(text)).toBe(redacted);
  });

  it('removes the secrets given by value, and leaves routes and ordinary text alone', () => {
    expect(redactText(`Bot ${BOT_TOKEN} rejected`, [BOT_TOKEN])).toBe('Bot [redacted] rejected');
    expect(redactText('/interactions/:id/:token/callback and /channels/123/messages')).toBe('/interactions/:id/:token/callback and /channels/123/messages');
    expect(displayUrl('http://127.0.0.1:8080/api')).toBe('http://127.0.0.1:8080/api');
  });
});

describe('the logger', () => {
  it('logs a failed interaction callback (40060, already acknowledged) without the interaction token', () => {
    const { raw, logger } = capture();
    const url = `https://discord.com/api/v10/interactions/1300000000000000001/${INTERACTION_TOKEN}/callback`;
    const error = new DiscordAPIError(
      { code: 40060, message: 'Interaction has already been acknowledged.' },
      40060,
      400,
      'POST',
      url,
      { body: { type: 4, data: { content: 'x' } } },
    );
    logger.error({ err: error, interactionId: '1300000000000000001' }, 'interaction failed');
    logger.warn({ url, path: new URL(url).pathname }, 'could not apologize');
    const text = raw.join('');
    expect(text).toContain('Interaction has already been acknowledged');
    expect(text).toContain('/interactions/1300000000000000001/[redacted]/callback');
    expect(text).not.toContain(INTERACTION_TOKEN);
  });

  it('removes the bot token by value and URL passwords from any field, message or stack', () => {
    const { raw, logger } = capture([BOT_TOKEN]);
    logger.error({ err: new Error(`401 for Bot ${BOT_TOKEN} at https://u:pa55word-x@h.example/api`), header: `Bot ${BOT_TOKEN}` }, 'failed');
    const text = raw.join('');
    expect(text).not.toContain(BOT_TOKEN);
    expect(text).not.toContain('pa55word-x');
    expect(text).toContain('[redacted]');
  });
});

describe('user and server ids', () => {
  const USER = '1300000000000000001';
  const GUILD = '1200000000000000001';
  const KEY = 'a-key-of-at-least-thirty-two-characters-0123';

  it('are logged as the first 16 hex digits of their HMAC under the configured key, as the database keys them', () => {
    const { raw, logger } = capture([], KEY);
    logger.info({ userId: USER, guildId: GUILD, channelId: '1100000000000000009' }, 'answered');
    const line = JSON.parse(raw.join('')) as Record<string, unknown>;
    expect(line).toMatchObject({ userId: logIdHasher(KEY)(USER), guildId: logIdHasher(KEY)(GUILD), channelId: '1100000000000000009' });
    expect(line.userId).toMatch(/^[0-9a-f]{16}$/);
    expect(raw.join('')).not.toContain(USER);
    expect(raw.join('')).not.toContain(GUILD);
  });

  it('are hashed under a random key per process when none is configured: the same id twice matches, the raw id never shows', () => {
    const { raw, logger } = capture();
    logger.info({ userId: USER }, 'one');
    logger.info({ userId: USER, guildId: null }, 'two');
    const [one, two] = raw.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(one!.userId).toBe(two!.userId);
    expect(one!.userId).not.toBe(logIdHasher(KEY)(USER));
    expect(two!.guildId).toBeNull();
    expect(raw.join('')).not.toContain(USER);
  });
});
