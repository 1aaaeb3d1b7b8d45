import type { IncomingMessage } from 'node:http';

/** Discord's interaction payloads are a few kilobytes; anything much larger is not from Discord. */
export const MAX_BODY_BYTES = 64 * 1024;

export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Reads a request body of at most `limit` bytes. A declared Content-Length over the limit is refused
 * before a byte is read, and a body that grows past it while streaming (no length, or a false one)
 * is refused at that point: no more than `limit` bytes are ever held.
 */
export function readLimitedBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyRead> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, reason: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: BodyRead) => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        // Stop reading; the response to come says why and closes the connection.
        request.pause();
        settle({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => settle({ ok: true, body: Buffer.concat(chunks, size) }));
    request.once('aborted', () => settle({ ok: false, reason: 'aborted' }));
    request.once('error', () => settle({ ok: false, reason: 'aborted' }));
  });
}
