import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Why a file was not read: it is something else than a regular file, or too large. */
export class NotReadableAsFile extends Error {
  constructor(readonly reason: 'not-regular' | 'too-large') {
    super(reason === 'not-regular' ? 'is not a regular file' : 'is too large');
  }
}

/**
 * The bytes of a regular file of at most `maxBytes`. Opened without blocking and checked on the
 * open descriptor, so a pipe or device put in a file's place cannot stall the read, and the file
 * cannot be swapped between the check and the read. Errors from the file system are thrown as they are.
 */
export function readRegularFile(path: string, maxBytes: number): Buffer {
  return withRegularFile(path, maxBytes, (fd, size) => {
    const bytes = Buffer.alloc(size);
    return bytes.subarray(0, readSync(fd, bytes, 0, size, 0));
  });
}

/** How much of a file is read at a time to hash it. */
const CHUNK_BYTES = 64 * 1024;
/** One buffer for every chunk: hashing the corpus at start-up leaves megabytes of garbage otherwise. */
let chunk: Buffer | undefined;

/**
 * The same file handed to `take` a chunk at a time, in one reused buffer (valid only during the
 * call): for hashing, which needs no copy of the whole file.
 */
export function feedRegularFile(path: string, maxBytes: number, take: (chunk: Uint8Array) => void): void {
  withRegularFile(path, maxBytes, (fd, size) => {
    const buffer = (chunk ??= Buffer.allocUnsafe(CHUNK_BYTES));
    for (let position = 0; position < size; ) {
      const read = readSync(fd, buffer, 0, Math.min(CHUNK_BYTES, size - position), position);
      if (read === 0) break;
      take(buffer.subarray(0, read));
      position += read;
    }
  });
}

/** A regular file of at most `maxBytes`, opened and checked as above, handed to `read` as its descriptor and size. */
export function withRegularFile<Read>(path: string, maxBytes: number, read: (fd: number, size: number) => Read): Read {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotReadableAsFile('not-regular');
    if (stat.size > maxBytes) throw new NotReadableAsFile('too-large');
    return read(fd, stat.size);
  } finally {
    closeSync(fd);
  }
}
