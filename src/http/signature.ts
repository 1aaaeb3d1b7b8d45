import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** The DER prefix that turns a raw 32-byte Ed25519 public key into an SPKI key node's crypto can read. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The application's public key (64 hex characters, as the developer portal shows it). */
export function ed25519PublicKey(hex: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/**
 * Whether Discord signed this request: an Ed25519 signature (`X-Signature-Ed25519`, hex) over the
 * `X-Signature-Timestamp` header followed by the raw body. Anything malformed is simply not valid.
 */
export function isSignedByDiscord(key: KeyObject, signatureHex: string | undefined, timestamp: string | undefined, body: Buffer): boolean {
  if (typeof signatureHex !== 'string' || typeof timestamp !== 'string') return false;
  if (!/^[\da-f]{128}$/i.test(signatureHex) || timestamp === '' || timestamp.length > 32) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
