/**
 * `npm run start:http`: the interactions endpoint (slash commands, autocomplete, buttons) as an
 * HTTP server. Needs DISCORD_PUBLIC_KEY, not the bot token; DMs and mentions still need a gateway
 * process (`npm start`). Any number of these can run behind a load balancer, sharing the question
 * limit through REDIS_URL.
 */
import { loadEnvFile } from '../cli/env-file.ts';
import { failWith, loadConfigOrExit } from '../cli/exit.ts';
import { exitGracefullyOnSignals } from '../cli/shutdown.ts';
import { knowledgeFileFrom, openFeedbackOrRunWithout, startLiveAnswererOrExit } from '../cli/startup.ts';
import type { BotContext } from '../bot/context.ts';
import { createLimits } from '../bot/limits.ts';
import { openServerKnowledge } from '../server-knowledge/open.ts';
import { createLogger, logProcessFailures } from '../log.ts';
import { displayUrl } from '../redact.ts';
import { createMetrics } from './metrics.ts';
import { createInteractionServer } from './server.ts';

loadEnvFile();

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env, ['publicKey']);
  const logger = createLogger({ level: config.logLevel, secrets: [config.token, config.proxySecret, config.feedback.secret], idKey: config.feedback.secret });
  logProcessFailures(logger);
  // Edits to the knowledge file are picked up while the server runs (an invalid one is refused and logged).
  const knowledge = startLiveAnswererOrExit(knowledgeFileFrom(process.env), logger);
  const metrics = createMetrics();
  const limits = createLimits({ questions: config.rateLimit, redisUrl: config.redisUrl, keySecret: config.feedback.secret, logger });
  const feedback = await openFeedbackOrRunWithout(config, logger);
  const serverKnowledge = await openServerKnowledge(config, logger, { feedbackOpened: feedback.enabled });
  const ctx: BotContext = { knowledge, logger, limits, feedback, onAnswered: metrics.observeAnswer, ...(serverKnowledge ? { serverKnowledge } : {}) };
  const server = createInteractionServer({ ctx, metrics, publicKey: config.publicKey, apiBase: config.apiBase, proxySecret: config.proxySecret, logger });
  await limits.ready();

  const { host, port } = config.http;
  let address;
  try {
    address = await server.listen(port, host);
  } catch (error) {
    await limits.close();
    const code = (error as { code?: unknown }).code;
    failWith(
      code === 'EADDRINUSE'
        ? `Port ${port} on ${host} is already in use: stop the other process or set PORT to a free port.`
        : `Could not listen on ${host}:${port} (${(error as Error).message}): check HOST and PORT.`,
    );
  }
  logger.info(
    {
      host: address.address,
      port: address.port,
      entries: knowledge.current().kb.entries.length,
      limits: config.redisUrl ? `shared through Redis at ${displayUrl(config.redisUrl)}` : 'in this process',
      apiBase: displayUrl(config.apiBase ?? 'https://discord.com/api'),
    },
    'listening for interactions at POST /interactions (DMs and mentions need npm start)',
  );
  exitGracefullyOnSignals(
    {
      get inFlight() {
        return server.inFlight;
      },
      stop: async (options) => {
        knowledge.stop();
        await server.stop(options);
        await feedback.settled();
        await feedback.close();
        await serverKnowledge?.close();
      },
    },
    logger,
  );
}

await main().catch((error: unknown) => {
  const cause = error instanceof Error ? error.message : String(error);
  failWith(`The interactions server could not start because of an unexpected error (${cause}); please report it.`, [process.env.DISCORD_TOKEN]);
});
