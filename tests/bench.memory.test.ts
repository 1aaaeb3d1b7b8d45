/**
 * The memory bench, small: `npm start` and a plain discord.js client with default caches, each
 * logged in to 1,000 generated servers. The full run (2,500 servers, the 0.5x goal) is
 * `npm run bench:memory`; this one checks that the bench measures what it says, and that the
 * bot's memory does not carry the servers the plain client caches.
 */
import { describe, expect, it } from 'vitest';
import { measureMemory } from './bench/memory.bench.ts';

describe('npm run bench:memory, at 1,000 servers', () => {
  it('counts every process npm start runs but npm itself, sees both clients ready with every server, and the bot below the plain client', async () => {
    const { bot, plain } = await measureMemory({ guilds: 1000, settleMs: 1500, samples: 3, sampleGapMs: 300 });
    expect([bot.guilds, plain.guilds]).toEqual([1000, 1000]);
    const commands = bot.processes.map((p) => p.command);
    expect(commands.some((command) => /^node .*dist\/main\.js$/.test(command))).toBe(true);
    expect(commands.some((command) => /\bnpm\b/.test(command) && !command.includes('dist/main.js'))).toBe(false);
    expect(plain.processes).toHaveLength(1);
    for (const run of [bot, plain]) expect(run.settledBytes).toBeGreaterThan(20 * 1024 * 1024);
    // About 85 MB against 140 MB here: the plain client's caches of 1,000 servers are most of the difference.
    expect(bot.settledBytes).toBeLessThan(0.8 * plain.settledBytes);
  }, 60_000);
});
