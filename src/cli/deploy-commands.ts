/** `npm run deploy-commands`: registers the slash commands, in DISCORD_GUILD_ID only when it is set. */
import { loadEnvFile } from './env-file.ts';
import { loadConfigOrExit, printError } from '../cli/exit.ts';
import { explainRegistrationError, registerCommands } from '../interactions/register-commands.ts';

loadEnvFile();

async function main(): Promise<number> {
  const config = loadConfigOrExit(process.env, ['token', 'clientId']);
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
