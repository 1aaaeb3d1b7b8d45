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
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotReadableAsFile('not-regular');
    if (stat.size > maxBytes) throw new NotReadableAsFile('too-large');
    const bytes = Buffer.alloc(stat.size);
    const read = readSync(fd, bytes, 0, stat.size, 0);
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
