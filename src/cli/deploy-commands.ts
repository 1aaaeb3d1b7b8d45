/** `npm run deploy-commands`: registers the slash commands, in DISCORD_GUILD_ID only when it is set. */
import { config as loadDotenv } from 'dotenv';
import { printError } from '../cli/exit.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { explainRegistrationError, registerCommands } from '../interactions/register-commands.ts';

loadDotenv({ quiet: true });

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env, ['token', 'clientId']);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  try {
    const { scope, guildId, names } = await registerCommands(config);
    const list = names.map((name) => `/${name}`).join(', ');
    process.stdout.write(
      scope === 'guild'
        ? `Registered ${names.length} commands (${list}) in server ${guildId}; they can be used there right away.\n`
        : `Registered ${names.length} commands (${list}) globally; Discord clients may take a few minutes to show changes.\n`,
    );
    return 0;
  } catch (error) {
    // Discord's message is quoted in the sentence, and a Discord-compatible API may repeat the token in it.
    printError(explainRegistrationError(error, config), [config.token]);
    return 1;
  }
}

process.exitCode = await main();
