/**
 * Vitest global set-up: every test run gets a temporary directory of its own, made the system's
 * (TMPDIR, which os.tmpdir() reads at each call and which the test workers and every process they
 * start inherit), and removed with everything in it when the run ends. Copies of the knowledge base
 * (12 MB each), databases and browser profiles made by the tests go there, so a run leaves nothing
 * behind, even when a test fails before its own clean-up.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function setup(): () => void {
  const previous = process.env.TMPDIR;
  const directory = mkdtempSync(join(tmpdir(), 'bpo-bot-tests-'));
  // Open like /tmp itself (sticky, writable by all): servers the tests start as another user (PostgreSQL's) keep their folders here too.
  chmodSync(directory, 0o1777);
  process.env.TMPDIR = directory;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(directory, { recursive: true, force: true, maxRetries: 5 });
  };
}
