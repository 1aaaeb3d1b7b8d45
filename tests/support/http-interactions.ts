/**
 * Plays Discord's side of the HTTP interactions transport: signs each request with an Ed25519 key
 * pair made here, POSTs it to the bot's endpoint, and hands the HTTP response on to the Discord test
 * server's callback route, which is what Discord does with it. The test server then validates the
 * response against Discord's limits, records the message it creates, and serves the webhook routes
 * the bot uses for edits and follow-ups.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { APIInteraction } from 'discord-api-types/v10';
import type { DiscordTestServer } from './discord-server/index.ts';

export interface SigningKeys {
  /** What DISCORD_PUBLIC_KEY holds: the raw public key, 64 hex characters. */
  publicKeyHex: string;
  privateKey: KeyObject;
}

export function makeSigningKeys(): SigningKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return { publicKeyHex: spki.subarray(spki.length - 32).toString('hex'), privateKey };
}

export function signatureHeaders(keys: SigningKeys, body: string | Buffer, timestamp = String(Math.floor(Date.now() / 1000))): Record<string, string> {
  const signature = sign(null, Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), keys.privateKey).toString('hex');
  return { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp };
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

/** One HTTP request with node's client (no keep-alive), body sent whole. */
export function post(url: string, body: string | Buffer, headers: Record<string, string> = {}, method = 'POST'): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { 'content-type': 'application/json', ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function get(url: string): Promise<HttpReply> {
  return post(url, '', {}, 'GET');
}

export interface Delivered {
  http: HttpReply;
  /** The interaction response the bot sent, when the HTTP status was 200. */
  body: { type: number; data?: Record<string, unknown> } | undefined;
  /** What the Discord test server answered when given that response as the callback (204 if valid). */
  callbackStatus: number | undefined;
}

/**
 * Delivers an interaction as Discord would: the test server learns of it (so its webhook routes
 * accept the interaction's token), the bot gets a signed POST, and the bot's response is handed on
 * as the interaction's callback.
 */
export async function deliver(discord: DiscordTestServer, endpoint: string, keys: SigningKeys, interaction: APIInteraction): Promise<Delivered> {
  discord.state.trackInteraction(interaction);
  const text = JSON.stringify(interaction);
  const http = await post(endpoint, text, signatureHeaders(keys, text));
  if (http.status !== 200) return { http, body: undefined, callbackStatus: undefined };
  const body = http.json() as Delivered['body'];
  const callback = await fetch(`${discord.apiBase}/v10/interactions/${interaction.id}/${interaction.token}/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await callback.arrayBuffer();
  return { http, body, callbackStatus: callback.status };
}
