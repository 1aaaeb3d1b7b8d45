import { loadAnswerer } from '../../src/answering/load.ts';
/**
 * `npm run bench:hostile`: memory under hostile input, where the bot's caches could grow.
 *
 * 1. 190,000 distinct 300-character lines of U+3316 (each expands six-fold under normalization) and
 *    letters, through `ask --json` (the compiled CLI, one question per line), as one process: its
 *    peak resident memory.
 * 2. 150,000 autocomplete interactions, each with a distinct 100-character value, from 1,500 users
 *    (100 each, all within the autocomplete limit), through the interaction dispatcher both
 *    transports use, in this process: its peak resident memory, and the heap still held after a
 *    full garbage collection (what the caches and limits keep; the peak includes garbage not yet
 *    collected).
 *
 * Exits 1 when a peak is over its target.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import type { APIInteraction } from 'discord-api-types/v10';
import { fixedKnowledge, type BotContext } from '../../src/bot/context.ts';
import { createLimits } from '../../src/bot/limits.ts';
import { createDispatcher } from '../../src/interactions/dispatch.ts';
import type { InteractionResponder } from '../../src/interactions/responder.ts';
import { createLogger } from '../../src/log.ts';
import { makeAutocompleteInteraction, makeUser } from '../support/discord-server/index.ts';
import { setup as ensureBuilt } from '../support/build.ts';
import { ASK_COMMAND, ASK_OPTION } from '../../src/interactions/commands.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LINES = 190_000;
const AUTOCOMPLETE = { users: 1500, perUser: 100 };
const TARGETS_MB = { ask: 250, autocomplete: 300, autocompleteRetained: 64 };

/** A distinct hostile line: mostly U+3316, a letter every seventh character, from a counter. */
function hostileLine(n: number): string {
  let line = '';
  for (let j = 0; j < 300; j++) line += j % 7 === 0 ? String.fromCharCode(97 + ((n * 31 + j * 17 + Math.floor(n / 26 ** (j % 4))) % 26)) : '\u3316';
  return line;
}

/** Peak resident memory of a process, from Linux's high-water mark, polled until it exits. */
function peakOf(pid: number, sample: { peakKb: number }): NodeJS.Timeout {
  return setInterval(() => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      sample.peakKb = Math.max(sample.peakKb, kb);
    } catch {
      // The process has exited.
    }
  }, 20);
}

async function askPeakMb(): Promise<{ peakMb: number; seconds: number; answered: number }> {
  ensureBuilt();
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/cli/ask.js', '--json'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const sample = { peakKb: 0 };
  const timer = peakOf(child.pid!, sample);
  let answered = 0;
  let rest = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString('utf8');
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    answered += lines.length;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  for (let n = 0; n < LINES; n++) {
    if (!child.stdin.write(`${hostileLine(n)}\n`)) await new Promise((resolve) => child.stdin.once('drain', resolve));
  }
  child.stdin.end();
  const code = await exited;
  clearInterval(timer);
  if (code !== 0) throw new Error(`ask exited with ${code}`);
  return { peakMb: sample.peakKb / 1024, seconds: (performance.now() - started) / 1000, answered };
}

const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

async function autocompletePeakMb(): Promise<{ peakMb: number; retainedMb: number; seconds: number; answered: number }> {
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const quiet = createLogger({ level: 'silent', destination: new Writable({ write: (_chunk, _encoding, callback) => callback() }) });
  const answerer = loadAnswerer();
  const ctx: BotContext = {
    knowledge: fixedKnowledge(answerer),
    logger: quiet,
    limits: createLimits({ questions: { questions: 5, windowSeconds: 30 }, logger: quiet }),
  };
  const dispatch = createDispatcher(ctx, 'http');
  let answered = 0;
  const responder: InteractionResponder = {
    respond: async () => {
      answered++;
    },
    editOriginal: async () => undefined,
    deleteOriginal: async () => undefined,
    followUp: async () => undefined,
  };
  const started = performance.now();
  const users = Array.from({ length: AUTOCOMPLETE.users }, () => makeUser());
  let n = 0;
  for (let round = 0; round < AUTOCOMPLETE.perUser; round++) {
    for (const user of users) {
      const value = hostileLine(LINES + n++).slice(0, 100);
      const interaction = makeAutocompleteInteraction({ name: ASK_COMMAND.name, focusedOption: ASK_OPTION, value, user, guildId: '1100000000000000001' }) as unknown as APIInteraction;
      await dispatch(interaction, responder);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  collect();
  // Held while the limiter's windows are still open, as in a running bot.
  const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  await ctx.limits.close();
  return { peakMb: process.resourceUsage().maxRSS / 1024, retainedMb, seconds, answered };
}

async function main(): Promise<void> {
  const ask = await askPeakMb();
  console.log(`ask --json, ${LINES.toLocaleString('en')} hostile lines: ${ask.answered.toLocaleString('en')} answered in ${ask.seconds.toFixed(1)} s, peak RSS ${ask.peakMb.toFixed(0)} MB (target < ${TARGETS_MB.ask} MB)`);
  const auto = await autocompletePeakMb();
  const total = AUTOCOMPLETE.users * AUTOCOMPLETE.perUser;
  console.log(
    `autocomplete, ${total.toLocaleString('en')} requests from ${AUTOCOMPLETE.users.toLocaleString('en')} users: ${auto.answered.toLocaleString('en')} answered in ${auto.seconds.toFixed(1)} s, peak RSS ${auto.peakMb.toFixed(0)} MB (target < ${TARGETS_MB.autocomplete} MB), heap held after it ${auto.retainedMb.toFixed(1)} MB (target < ${TARGETS_MB.autocompleteRetained} MB)`,
  );
  const missed = [ask.peakMb >= TARGETS_MB.ask && 'ask', auto.peakMb >= TARGETS_MB.autocomplete && 'autocomplete', auto.retainedMb >= TARGETS_MB.autocompleteRetained && 'autocomplete retained', ask.answered !== LINES && 'ask answers', auto.answered !== total && 'autocomplete answers'].filter(Boolean);
  console.log(missed.length === 0 ? 'All targets met.' : `Missed: ${missed.join(', ')}.`);
  process.exitCode = missed.length === 0 ? 0 : 1;
}

await main();
