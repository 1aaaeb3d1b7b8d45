/** Request-body parsing: JSON, and the multipart/form-data discord.js uses for uploads. */
import type { IncomingMessage } from 'node:http';
import type { RecordedFile } from './types.ts';

export interface ParsedBody {
  body: unknown;
  files: RecordedFile[];
  /** The body claimed to be JSON but did not parse. */
  invalid: boolean;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function parseBody(raw: Buffer, contentType = ''): ParsedBody {
  if (raw.length === 0) return { body: undefined, files: [], invalid: false };
  const boundary = /multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary) return parseMultipart(raw, boundary);
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [], invalid: false };
  } catch {
    return { body: raw.toString('utf8'), files: [], invalid: /json/i.test(contentType) };
  }
}

/**
 * Minimal multipart reader: the `payload_json` part becomes the body, other parts are
 * recorded as files (name, type, size and bytes), so a test can read what was uploaded.
 */
function parseMultipart(raw: Buffer, boundary: string): ParsedBody {
  // latin1 maps bytes 1:1 to chars, so offsets stay valid for binary file parts.
  const text = raw.toString('latin1');
  const parts = text.split(`--${boundary}`).slice(1, -1);
  let body: unknown = {};
  let invalid = false;
  const files: RecordedFile[] = [];
  for (const part of parts) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const content = part.slice(split + 4).replace(/\r\n$/, '');
    const field = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (filename === undefined && field === 'payload_json') {
      try {
        body = JSON.parse(Buffer.from(content, 'latin1').toString('utf8'));
      } catch {
        invalid = true;
      }
    } else if (filename !== undefined) {
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim() ?? 'application/octet-stream';
      files.push({ field, filename, contentType, size: content.length, data: Buffer.from(content, 'latin1') });
    }
  }
  return { body, files, invalid };
}
