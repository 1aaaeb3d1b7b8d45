/**
 * Credentials that must never reach a log line or a printed sentence, whatever carries them: an
 * error's message, a URL, a stack, a request path. Applied to every log line and to every sentence
 * an entry point prints, as the last line of defence behind the logger's redaction by key.
 */

export const REDACTED = '[redacted]';

/**
 * An interaction's or webhook's token in a path or URL (`/interactions/<id>/<token>/callback`,
 * `/webhooks/<application id>/<token>/messages/@original`): for 15 minutes it lets anyone edit the
 * bot's reply and post follow-ups as the bot.
 */
const TOKEN_IN_PATH = /(\/(?:interactions|webhooks)\/\d+\/)[^/\s"'`?#\\]+/g;

/** A user name and password in a URL (`https://user:secret@host/…`). */
const URL_CREDENTIALS = /(\b[a-z][a-z\d+.-]*:\/\/)[^/\s"'`@]+@/gi;

/** Shorter strings are not treated as secrets: replacing them would mangle ordinary text. */
const MIN_SECRET_LENGTH = 8;

export function secretsOf(values: readonly (string | undefined)[]): string[] {
  return values.filter((value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH);
}

/** `text` with interaction and webhook tokens, URL credentials and each of `secrets` (by value) replaced. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let redacted = text.replace(TOKEN_IN_PATH, `$1${REDACTED}`).replace(URL_CREDENTIALS, `$1${REDACTED}@`);
  for (const secret of secrets) redacted = redacted.replaceAll(secret, REDACTED);
  return redacted;
}

/** A URL safe to log or print: its user name and password removed. */
export function displayUrl(url: string): string {
  return redactText(url);
}
