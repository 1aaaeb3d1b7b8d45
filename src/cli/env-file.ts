/**
 * The project's `.env`, read at the entry points: from the project's root (the folder above
 * `dist/`), wherever the command is run from. Each line must be `NAME=value` (or a comment): dotenv
 * would skip any other line in silence, so such a line stops the command with its number.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { config as loadDotenv } from 'dotenv';
import { failWith } from './exit.ts';

/** This module is `dist/cli/env-file.js` (or `src/cli/env-file.ts`): two folders up is the project. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ENV_FILE = `${PROJECT_ROOT}.env`;

const ASSIGNMENT = /^\s*(?:export\s+)?[A-Za-z_][\w.-]*\s*=/;

/** The problems of a `.env` text: one sentence per malformed line, naming it without its value. */
export function envFileProblems(text: string, shown = '.env'): string[] {
  const problems: string[] = [];
  let quoted: string | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    // A quoted value may span lines ("KEY="line one\nline two""); its inner lines are not assignments.
    if (quoted !== undefined) {
      if (line.includes(quoted)) quoted = undefined;
      return;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (!ASSIGNMENT.test(line)) {
      const name = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)/.exec(line)?.[1];
      problems.push(
        name
          ? `${shown} line ${i + 1} starts with ${name} but has no "=": write it as ${name}=value`
          : `${shown} line ${i + 1} is not NAME=value (nor a comment starting with #): fix or remove it`,
      );
      return;
    }
    const value = line.slice(line.indexOf('=') + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && !value.slice(1).includes(quote)) quoted = quote;
  });
  return problems;
}

/** Reads the project's `.env` into `process.env` (what is set already wins); a malformed one ends the command with what to fix. */
export function loadEnvFile(): void {
  let text: string;
  try {
    text = readFileSync(ENV_FILE, 'utf8');
  } catch {
    return; // No .env: the environment alone.
  }
  const [first, ...more] = envFileProblems(text, ENV_FILE);
  // The sentence names the line and the variable, never the value (it may be the token).
  if (first) failWith(`${first}${more.length > 0 ? ` (and ${more.length} more line${more.length > 1 ? 's' : ''} like it)` : ''}.`);
  loadDotenv({ path: ENV_FILE, quiet: true });
}
