/**
 * Worker threads run to their one message, and never outlive their use: a worker whose work is no
 * longer wanted (the other share of a training failed) is stopped at once.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runWorker } from '../src/worker.ts';

/** A worker script in a scratch folder: `body` runs in the thread. */
function script(body: string): URL {
  const file = join(mkdtempSync(join(tmpdir(), 'worker-')), 'worker.mjs');
  writeFileSync(file, `import { parentPort, workerData } from 'node:worker_threads';\n${body}\n`);
  return pathToFileURL(file);
}

describe('runWorker', () => {
  it('resolves with what the worker posts', async () => {
    await expect(runWorker(script('parentPort.postMessage({ doubled: workerData * 2 });'), 21, 'test')).resolves.toEqual({ doubled: 42 });
  });

  it('rejects with a sentence naming the worker when the thread stops without posting', async () => {
    await expect(runWorker(script('process.exit(3);'), null, 'training')).rejects.toThrow('the training worker stopped (exit code 3)');
  });

  it('stops a worker whose work is no longer wanted, while it works: rejected at once with a sentence that says so', async () => {
    const aborted = new AbortController();
    // The worker says it started, then works forever (a training that would go on for seconds).
    const started = new Promise<void>((resolve) => {
      const channel = new BroadcastChannel('worker-test');
      channel.onmessage = () => {
        channel.close();
        resolve();
      };
    });
    const running = runWorker(script("new BroadcastChannel('worker-test').postMessage('started'); for (;;) {}"), null, 'training', { signal: aborted.signal });
    await started;
    aborted.abort();
    await expect(running).rejects.toThrow('the training worker was stopped: its work is no longer needed');
  });

  it('refuses at once a run whose work is already unwanted', async () => {
    const aborted = new AbortController();
    aborted.abort();
    await expect(runWorker(script('parentPort.postMessage(1);'), null, 'training', { signal: aborted.signal })).rejects.toThrow('no longer needed');
  });
});
