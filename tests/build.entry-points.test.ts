/**
 * The production entry points run compiled JavaScript on plain node. With a launcher in between
 * (tsx relays signals to a child process and kills it when the child does not acknowledge within
 * 30 ms), Ctrl+C on a busy machine ended the bot with exit code 130 instead of a graceful stop.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const ENTRY_POINTS = ['start', 'start:sharded', 'start:http', 'ask', 'kb:check', 'deploy-commands', 'invite'];
/** The gateway bot's node flags: a young generation of 1 MB and one V8 helper thread (see README, memory). */
const GATEWAY_FLAGS = '--max-semi-space-size=1 --v8-pool-size=1';

describe('entry points', () => {
  it.each(ENTRY_POINTS)('npm run %s runs a compiled file with plain node, after bringing the build up to date', (name) => {
    const command = pkg.scripts[name]!;
    expect(command).toMatch(/^node (?:--[\w-]+=\d+ )*dist\/[\w/-]+\.js$/);
    expect(existsSync(command.split(' ').at(-1)!)).toBe(true);
    expect(pkg.scripts[`pre${name}`]).toBe('node scripts/ensure-build.mjs');
  });

  it('runs the gateway bot with the same memory flags, sharded or not (shard processes inherit the manager\'s)', () => {
    expect(pkg.scripts.start).toBe(`node ${GATEWAY_FLAGS} dist/main.js`);
    expect(pkg.scripts['start:sharded']).toBe(`node ${GATEWAY_FLAGS} dist/sharded.js`);
  });

  it('npm ci builds dist/ (prepare), and tsx is only a development tool', () => {
    expect(pkg.scripts.prepare).toBe('node scripts/ensure-build.mjs');
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(Object.keys(pkg.devDependencies)).toContain('tsx');
  });
});
