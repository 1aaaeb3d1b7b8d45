/**
 * `npm start`: the bot on Discord when DISCORD_TOKEN is set; otherwise, in a terminal, the same
 * answers in an interactive prompt.
 */
import { userInfo } from 'node:os';
import { loadEnvFile } from './cli/env-file.ts';
import { runChat } from './cli/chat.ts';
import { failWith, loadConfigOrExit, printError, tokenOf } from './cli/exit.ts';
import { exitGracefullyOnSignals } from './cli/shutdown.ts';
import { knowledgeFileFrom, openFeedbackOrExit, openFeedbackOrRunWithout, startLiveAnswererOrExit } from './cli/startup.ts';
import { startBot, type RunningBot } from './gateway/bot.ts';
import { ipcIdentifyThrottler, SHARD_READY, type IpcChannel } from './gateway/identify.ts';
import { dropBlankShardVariables, shardsForProcess } from './gateway/shards.ts';
import { explainGatewayRefusal, explainLoginError, GatewayRefusedError } from './gateway/login-failure.ts';
import { openServerKnowledge } from './server-knowledge/open.ts';
import { createLogger, logProcessFailures } from './log.ts';
import { displayUrl } from './redact.ts';

loadEnvFile();
dropBlankShardVariables(process.env);

/** Started by `npm run start:sharded`: one of its shard processes, with an IPC channel to the manager. */
const underManager = process.env.SHARDING_MANAGER !== undefined && process.send !== undefined;

/** Whatever is printed on the way out never shows the token, even when an error message repeats it. */
function fail(sentence: string): never {
  return failWith(sentence, [tokenOf(process.env)]);
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  // Read here rather than in loadConfig: it only matters to the entry points that answer questions.
  const knowledgeFile = knowledgeFileFrom(process.env);
  if (config.token === undefined) {
    if (!process.stdin.isTTY) {
      fail('DISCORD_TOKEN is not set and there is no terminal to chat in: set DISCORD_TOKEN in .env (see .env.example and README.md) to run the bot on Discord.');
    }
    process.stdout.write('Running in the terminal. To connect to Discord, set DISCORD_TOKEN in .env (see README.md).\n');
    // Reloads are announced in the chat itself; the JSON log stays quiet unless asked for.
    const logger = createLogger({ level: process.env.LOG_LEVEL?.trim() ? config.logLevel : 'silent' });
    const knowledge = startLiveAnswererOrExit(knowledgeFile, logger);
    // The chat's questions are recorded as Discord's are (FEEDBACK_DB=off stores none), so that
    // `npm run report` has something to show after a few questions here.
    const feedback = await openFeedbackOrExit(config, logger);
    await runChat(knowledge, process.stdin, process.stdout, { feedback, asker: `terminal:${userInfo().username}` });
    knowledge.stop();
    await feedback.settled();
    await feedback.close();
    return;
  }

  const shardSelection = shardsForProcess(config.shards, process.env);
  // Every line of a shard process says which shard it is; a process with several says which ones.
  const shardFields = shardSelection === 'auto' ? {} : shardSelection.ids.length === 1 ? { shard: shardSelection.ids[0] } : { shards: shardSelection.ids };
  const logger = createLogger({ level: config.logLevel, secrets: [config.token, config.proxySecret, config.feedback.secret], base: shardFields, idKey: config.feedback.secret });
  logProcessFailures(logger);
  // Edits to the knowledge file are picked up while the bot runs (an invalid one is refused and logged).
  const knowledge = startLiveAnswererOrExit(knowledgeFile, logger);
  // Questions and votes go to PostgreSQL (DATABASE_URL) or SQLite (FEEDBACK_DB); a database that fails is logged, never in the way of an answer.
  const feedback = await openFeedbackOrRunWithout(config, logger);
  // Servers' own answers: PostgreSQL with DATABASE_URL, otherwise the same SQLite file.
  const serverKnowledge = await openServerKnowledge(config, logger, { feedbackOpened: feedback.enabled });
  logger.info({ entries: knowledge.current().kb.entries.length, apiBase: displayUrl(config.apiBase ?? 'https://discord.com/api'), feedback: !feedback.enabled ? 'off' : config.databaseUrl ? 'PostgreSQL' : config.feedback?.path }, 'starting');

  // Signals are handled from before login: `ready` is logged inside startBot, and a Ctrl+C right
  // after it must already find the graceful stop in place (a signal during login just exits).
  let bot: RunningBot | undefined;
  const stopGracefully = exitGracefullyOnSignals(
    {
      get inFlight() {
        return bot?.inFlight ?? 0;
      },
      stop: async (options) => {
        knowledge.stop();
        await (bot?.stop(options) ?? Promise.resolve());
        // The replies are out: what they recorded is written before the database closes.
        await feedback.settled();
        await feedback.close();
        await serverKnowledge?.close();
      },
    },
    logger,
  );
  if (underManager) {
    // The manager asks its shards to stop (it forwards its own signal this way, which a shard may also
    // get directly, from a terminal's Ctrl+C say); and a shard whose manager is gone stops too.
    process.on('message', (message: { type?: unknown } | null) => {
      if (message?.type === 'bpo-bot:stop') stopGracefully('asked by the shard manager');
    });
    process.on('disconnect', () => stopGracefully('the shard manager is gone'));
  }
  try {
    bot = await startBot(
      { ...config, token: config.token, shardSelection },
      {
        knowledge,
        logger,
        feedback,
        ...(serverKnowledge ? { serverKnowledge } : {}),
        // Without Redis, the manager paces the identifies of all its shard processes.
        ...(underManager && !config.redisUrl ? { buildIdentifyThrottler: ipcIdentifyThrottler(process as unknown as IpcChannel) } : {}),
        onGatewayLost: (code) => {
          // Offline for good: exit, so that a process manager restarts the bot (or a person sees why).
          fail(explainLoginError(new GatewayRefusedError(code, explainGatewayRefusal(code)), config.apiBase));
        },
      },
    );
  } catch (error) {
    logger.debug({ err: error }, 'login failed');
    fail(explainLoginError(error, config.apiBase));
  }
  // The manager counts its shards ready from this message.
  if (underManager) process.send!({ type: SHARD_READY });
  // Discord delivers DMs on shard 0 only.
  const dms = bot.shardIds.includes(0) ? ['direct messages'] : [];
  logger.info(
    {
      serves: [...dms, 'mentions', 'slash commands, autocomplete and buttons'],
      limits: config.redisUrl ? 'shared through Redis' : 'in this process',
    },
    // Once an interactions endpoint URL is set in the developer portal, Discord sends interactions there instead.
    'serving DMs and mentions, and interactions unless the application has an interactions endpoint URL',
  );
}

await main().catch((error: unknown) => {
  // Anything unforeseen before the bot is up still ends in a sentence; the stack above it is for the bug report.
  const cause = error instanceof Error ? error.message : String(error);
  printError(error instanceof Error ? (error.stack ?? cause) : cause, [process.env.DISCORD_TOKEN]);
  fail(`The bot could not start because of an unexpected error (${cause}); please report it with the output above.`);
});
