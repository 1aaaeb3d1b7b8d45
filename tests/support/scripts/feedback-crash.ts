import { loadAnswerer } from '../../../src/answering/load.ts';
/**
 * Records the given number of questions into the feedback database at the given path, waits until
 * they are written, then kills itself with SIGKILL: no close, no checkpoint, as in a crash.
 */
import { answer } from '../../../src/answering/answer.ts';
import { createFeedback } from '../../../src/feedback/recorder.ts';
import { createLogger } from '../../../src/log.ts';

const [path, count] = process.argv.slice(2);
const answerer = loadAnswerer();
const feedback = createFeedback({ path: path!, secret: 's'.repeat(64), retentionDays: 90 }, createLogger({ level: 'warn' }));
for (let i = 0; i < Number(count); i++) feedback.recordQuestion({ via: 'dm', userId: `3${i}`.padEnd(18, '0'), result: answer(`Co to jest BPO ${i}?`, answerer) });
await feedback.settled();
process.kill(process.pid, 'SIGKILL');
