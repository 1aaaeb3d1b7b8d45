import { Worker } from 'node:worker_threads';

/**
 * Runs a worker thread to its one message: resolves with what it posts, rejects if it fails, stops
 * first or takes longer than `timeoutMs`, and ends the thread either way. `script` is the compiled
 * file (dist/…).
 */
export async function runWorker<T>(script: URL, workerData: unknown, what: string, { timeoutMs }: { timeoutMs?: number } = {}): Promise<T> {
  const worker = new Worker(script, { workerData });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<T>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the ${what} worker stopped (exit code ${code})`)));
      if (timeoutMs !== undefined) timer = setTimeout(() => reject(new Error(`the ${what} worker took longer than ${timeoutMs / 1000} s`)), timeoutMs);
    });
  } finally {
    clearTimeout(timer);
    void worker.terminate();
  }
}
