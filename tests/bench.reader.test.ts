/**
 * The reader bench exits 1 when it misses a target and 0 when it meets them all, so a script or a
 * person running it notices. Run small here (the development sets only, one timed pass, the model
 * file measured instead of trained anew) with targets set to be missed or met.
 */
import { describe, expect, it } from 'vitest';
import { TSX, startCommand } from './support/run-script.ts';

function runBench(targets: Record<string, number>) {
  const { child, exited } = startCommand(TSX, ['tests/bench/reader.bench.ts', '--development-only'], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    BENCH_TARGETS: JSON.stringify(targets),
    BENCH_TIMED_PASSES: '1',
    BENCH_STARTUP_RUNS: '1',
    BENCH_SKIP_TRAINING: '1',
  });
  child.stdin!.end();
  return exited;
}

describe('npm run bench', () => {
  it('exits 1 and says FAIL when a target is missed', async () => {
    const result = await runBench({ p99Ms: 0 });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/p99 per question, warm .*FAIL/);
  }, 120_000);

  it('exits 0 when every target is met', async () => {
    const result = await runBench({ p99Ms: 1000, inScope: 0, perCategory: 0, declined: 0, verdictsRight: 0, verdictsOpposite: 1000, followUps: 0 });
    expect(result.stdout).not.toContain('FAIL');
    expect(result.code).toBe(0);
  }, 120_000);
});
