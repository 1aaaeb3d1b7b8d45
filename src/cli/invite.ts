/** `npm run invite`: prints the URL that adds the bot to a server, with the least permissions it needs. */
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from '../config.ts';
import { inviteUrl } from '../bot/invite-url.ts';

loadDotenv({ quiet: true });

try {
  const config = loadConfig(process.env, ['clientId']);
  process.stdout.write(`${inviteUrl(config.clientId)}\n`);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
