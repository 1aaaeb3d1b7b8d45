/**
 * Vitest global set-up: the tests start the entry points as `npm start` does, from the compiled
 * dist/, so the build is brought up to date with src/ once before any test runs.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function setup(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  execFileSync(process.execPath, [`${root}scripts/ensure-build.mjs`], { cwd: root, stdio: 'inherit' });
}
