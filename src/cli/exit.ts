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

/** Writes one line to standard error with the secrets removed. */
export function printError(sentence: string, secrets: readonly (string | undefined)[] = []): void {
  process.stderr.write(`${redactText(sentence, secretsOf(secrets))}\n`);
}
