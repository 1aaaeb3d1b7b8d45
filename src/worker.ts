import { Worker } from 'node:worker_threads';

/**
 * Runs a worker thread to its one message: resolves with what it posts, rejects if it fails, stops
 * first, takes longer than `timeoutMs` or is aborted through `signal` (its work is no longer
 * wanted), and ends the thread either way. `script` is the compiled file (dist/…).
 */
export async function runWorker<T>(script: URL, workerData: unknown, what: string, { timeoutMs, signal }: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
  const worker = new Worker(script, { workerData });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<T>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the ${what} worker stopped (exit code ${code})`)));
      if (timeoutMs !== undefined) timer = setTimeout(() => reject(new Error(`the ${what} worker took longer than ${timeoutMs / 1000} s`)), timeoutMs);
      onAbort = () => reject(new Error(`the ${what} worker was stopped: its work is no longer needed`));
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    void worker.terminate();
  }
}
