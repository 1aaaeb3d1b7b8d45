/**
 * `npm start`: the bot on Discord when DISCORD_TOKEN is set; otherwise, in a terminal, the same
 * answers in an interactive prompt.
 */
import { config as loadDotenv } from 'dotenv';
import { DiscordAPIError, DiscordjsErrorCodes } from 'discord.js';
import { runChat } from './cli/chat.ts';
import { loadAnswererOrExit } from './cli/startup.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { startBot } from './discord/bot.ts';
import { createLogger, logProcessFailures } from './log.ts';

loadDotenv({ quiet: true });

function fail(sentence: string): never {
  process.stderr.write(`${sentence}\n`);
  process.exit(1);
}

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  if (config.token === undefined) {
    if (!process.stdin.isTTY) {
      fail('DISCORD_TOKEN is not set and there is no terminal to chat in: set DISCORD_TOKEN in .env (see .env.example and README.md) to run the bot on Discord.');
    }
    process.stdout.write('Running in the terminal. To connect to Discord, set DISCORD_TOKEN in .env (see README.md).\n');
    await runChat(loadAnswererOrExit(), process.stdin, process.stdout);
    return;
  }

  const logger = createLogger({ level: config.logLevel, secrets: [config.token] });
  logProcessFailures(logger);
  const answerer = loadAnswererOrExit();
  logger.info({ entries: answerer.kb.entries.length, apiBase: config.apiBase ?? 'https://discord.com/api' }, 'starting');

  let bot;
  try {
    bot = await startBot({ ...config, token: config.token }, { answerer, logger });
  } catch (error) {
    fail(explainLoginError(error, config));
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    bot.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function explainLoginError(error: unknown, config: Config): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === DiscordjsErrorCodes.TokenInvalid || (error instanceof DiscordAPIError && error.status === 401)) {
    return 'Discord rejected DISCORD_TOKEN: reset the token in the developer portal (your application → Bot → Reset Token) and update .env.';
  }
  if (code === DiscordjsErrorCodes.DisallowedIntents) {
    return 'Discord refused the gateway intents: this bot needs no privileged intent, so check that the token belongs to this bot.';
  }
  const cause = error instanceof Error ? error.message : String(error);
  return `Could not connect to Discord${config.apiBase ? ` at ${config.apiBase}` : ''} (${cause}); check the network connection${config.apiBase ? ' and DISCORD_API_BASE' : ''}.`;
}

await main();
