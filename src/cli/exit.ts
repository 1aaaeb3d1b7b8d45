import { bareToken, ConfigError, loadConfig, type Needed } from '../config.ts';
import { redactText, secretsOf } from '../redact.ts';

/**
 * Ends an entry point with one sentence on standard error and exit code 1. The sentence may quote
 * an error from Discord or the network, which can repeat what it was sent: the secrets are removed
 * by value, like interaction tokens and URL passwords, before it is printed.
 */
export function failWith(sentence: string, secrets: readonly (string | undefined)[] = []): never {
  printError(sentence, secrets);
  process.exit(1);
}

/** The Discord token of an environment as the configuration reads it: what printed sentences must not show. */
export function tokenOf(env: Record<string, string | undefined>): string | undefined {
  return env.DISCORD_TOKEN === undefined ? undefined : bareToken(env.DISCORD_TOKEN);
}

/** The settings an entry point needs, or the one sentence that says what to fix, and exit code 1. */
export function loadConfigOrExit<N extends Needed = never>(env: Record<string, string | undefined>, needed: readonly N[] = []): ReturnType<typeof loadConfig<N>> {
  try {
    return loadConfig(env, needed);
  } catch (error) {
    if (error instanceof ConfigError) failWith(error.message, [tokenOf(env)]);
    throw error;
  }
}

/** Writes one line to standard error with the secrets removed. */
export function printError(sentence: string, secrets: readonly (string | undefined)[] = []): void {
  process.stderr.write(`${redactText(sentence, secretsOf(secrets))}\n`);
}
