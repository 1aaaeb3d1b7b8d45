/** `npm run invite`: prints the URL that adds the bot to a server, with the least permissions it needs. */
import { config as loadDotenv } from 'dotenv';
import { inviteUrl } from '../bot/invite-url.ts';
import { loadConfigOrExit } from './exit.ts';

loadDotenv({ quiet: true });

const config = loadConfigOrExit(process.env, ['clientId']);
process.stdout.write(`${inviteUrl(config.clientId)}\n`);
