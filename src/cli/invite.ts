/** `npm run invite`: prints the URL that adds the bot to a server, with the least permissions it needs. */
import { loadEnvFile } from './env-file.ts';
import { inviteUrl } from '../bot/invite-url.ts';
import { loadConfigOrExit } from './exit.ts';

loadEnvFile();

const config = loadConfigOrExit(process.env, ['clientId']);
process.stdout.write(`${inviteUrl(config.clientId)}\n`);
