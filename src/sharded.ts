/**
 * `npm run start:sharded`: the bot as one process per gateway shard, under the shard manager (see
 * src/gateway/shard-manager.ts). Each shard process is `npm start`'s own
 * dist/main.js; this process only starts, paces and stops them.
 */
import { loadEnvFile } from './cli/env-file.ts';
import { fileURLToPath } from 'node:url';
import { failWith, loadConfigOrExit, tokenOf } from './cli/exit.ts';
import { explainLoginError } from './gateway/login-failure.ts';
import { planShards, runShardManager, type ShardPlan } from './gateway/shard-manager.ts';
import { dropBlankShardVariables } from './gateway/shards.ts';
import { createLogger, logProcessFailures } from './log.ts';
import { displayUrl } from './redact.ts';

loadEnvFile();
dropBlankShardVariables(process.env);

function fail(sentence: string): never {
  return failWith(sentence, [tokenOf(process.env)]);
}

const config = loadConfigOrExit(process.env, ['token']);
const logger = createLogger({ level: config.logLevel, secrets: [config.token, config.proxySecret, config.feedback.secret], base: { process: 'shard manager' }, idKey: config.feedback.secret });
logProcessFailures(logger);
logger.info({ apiBase: displayUrl(config.apiBase ?? 'https://discord.com/api') }, 'starting');

let plan: ShardPlan;
try {
  plan = await planShards(config.shards, config.token, config.apiBase, config.proxySecret);
} catch (error) {
  logger.debug({ err: error }, 'could not read the recommended shard count');
  fail(explainLoginError(error, config.apiBase));
}

const running = runShardManager({
  file: fileURLToPath(new URL('./main.js', import.meta.url)),
  token: config.token,
  plan,
  sharedThroughRedis: config.redisUrl !== undefined,
  // The node flags of `npm run start:sharded` (the same as npm start's) for every shard process.
  execArgv: process.execArgv,
  logger,
});
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals === 1) return running.stop({ signal });
    // A second signal means "now", as for npm start.
    logger.warn({ signal }, 'second signal: stopping the shards without waiting');
    running.kill();
    process.exit(1);
  });
}
void running.ready.then(() => logger.info({ shards: plan.ids.length, shardCount: plan.count }, 'all shards ready'));
const code = await running.done;
if (code !== 0 && signals === 0) {
  fail('A shard process stopped before it was ready (its own message is above), so every shard was stopped: fix what it names and start again.');
}
logger.info({ code }, 'stopped');
process.exit(code);
