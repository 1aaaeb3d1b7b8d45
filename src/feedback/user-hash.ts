/**
 * Users are stored only as an HMAC-SHA256 of their id: enough to count a vote once per user, and
 * useless for finding out who asked without the key, which stays outside the database.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { LRUCache } from 'lru-cache';

export type UserHasher = (userId: string) => Buffer;

export function userHasher(secret: string): UserHasher {
  return rememberingRecent((userId) => createHmac('sha256', secret).update(userId, 'utf8').digest());
}

/** How many ids' hashes one hasher keeps (under 1 MB). */
const REMEMBERED_IDS = 5000;

/**
 * A keyed hash of ids that keeps the most recent ones, in this process's memory only: a hasher (the
 * log's, the database's, the limits') hashes the asker at every question, and an asker asks again,
 * so most hashes are found rather than computed. The hashes are shared: callers do not modify them.
 */
export function rememberingRecent<Hash extends NonNullable<unknown>>(hash: (id: string) => Hash): (id: string) => Hash {
  const recent = new LRUCache<string, Hash>({ max: REMEMBERED_IDS });
  return (id) => {
    let hashed = recent.get(id);
    if (hashed === undefined) recent.set(id, (hashed = hash(id)));
    return hashed;
  };
}

/** Where a generated key is kept: beside the database, e.g. data/feedback.db.secret. */
export function secretFileOf(databasePath: string): string {
  return `${databasePath}.secret`;
}

/**
 * FEEDBACK_SECRET when set; otherwise the key kept beside the database, generated (owner-only,
 * mode 0600) the first time. Created with "wx", so two processes starting at once agree on one key.
 */
export function resolveSecret(configured: string | undefined, databasePath: string): { secret: string; generated: boolean } {
  if (configured !== undefined) return { secret: configured, generated: false };
  const file = secretFileOf(databasePath);
  try {
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600); // the mode above is filtered by the umask
    return { secret: readSecretFile(file), generated: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { secret: readExistingSecret(file), generated: false };
  }
}

/**
 * A key another process may have created an instant ago (shards of start:sharded start together):
 * its file can exist a moment before the key is in it, so a short one is read again for up to two seconds.
 */
function readExistingSecret(file: string): string {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (readFileSync(file, 'utf8').trim().length >= 32) break;
    Atomics.wait(pause, 0, 0, 20);
  }
  return readSecretFile(file);
}

function readSecretFile(file: string): string {
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds fewer than 32 characters`);
  return secret;
}
