/**
 * A process with the bot's failure logging and one injected fault, named by the first argument:
 * `rejection` (a promise nobody awaits; the process carries on and exits 0 by itself) or
 * `exception` (a throw in a timer callback; the process logs it and exits 1).
 */
import { createLogger, logProcessFailures } from '../../../src/log.ts';

const logger = createLogger({ level: 'info', secrets: [process.env.DISCORD_TOKEN] });
logProcessFailures(logger);

if (process.argv[2] === 'rejection') {
  void Promise.reject(new Error(`a promise nobody awaited (token ${process.env.DISCORD_TOKEN})`));
  setTimeout(() => {
    process.stdout.write('still running\n');
    process.exit(0);
  }, 200);
} else {
  setTimeout(() => {
    throw new Error('a bug in a timer callback');
  }, 10);
  // Never reached: the uncaught exception ends the process first.
  setTimeout(() => process.exit(0), 5000);
}
