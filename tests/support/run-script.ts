/** Runs one of the project's entry points as `npm run …` would, in a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Runs the TypeScript helper scripts under tests/ directly; the bot's own entry points run compiled. */
export const TSX = `${ROOT}node_modules/.bin/tsx`;
/** The compiled entry points run on plain node, as `npm start` runs them. */
export const NODE = process.execPath;

/** Every variable the bot reads, blank unless given, so a developer's own .env cannot leak into a test. */
export function scriptEnv(
  vars: Partial<
    Record<
      | 'DISCORD_TOKEN'
      | 'DISCORD_CLIENT_ID'
      | 'DISCORD_GUILD_ID'
      | 'DISCORD_API_BASE'
      | 'LOG_LEVEL'
      | 'KNOWLEDGE_FILE'
      | 'DISCORD_PUBLIC_KEY'
      | 'REDIS_URL'
      | 'DATABASE_URL'
      | 'PORT'
      | 'HOST'
      | 'FEEDBACK_DB'
      | 'FEEDBACK_SECRET'
      | 'FEEDBACK_RETENTION_DAYS'
      | 'SHARD_COUNT'
      | 'SHARD_IDS'
      | 'REST_PROXY_UPSTREAM'
      | 'REST_PROXY_PORT'
      | 'REST_PROXY_HOST'
      | 'REST_PROXY_SECRET',
      string
    >
  >,
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DISCORD_TOKEN: '',
    DISCORD_CLIENT_ID: '',
    DISCORD_GUILD_ID: '',
    DISCORD_API_BASE: '',
    LOG_LEVEL: '',
    KNOWLEDGE_FILE: '',
    DISCORD_PUBLIC_KEY: '',
    REDIS_URL: '',
    DATABASE_URL: '',
    PORT: '',
    HOST: '',
    RATE_LIMIT_QUESTIONS: '',
    RATE_LIMIT_WINDOW_SECONDS: '',
    // Off unless a test names a database: processes under test must not write data/feedback.db.
    FEEDBACK_DB: 'off',
    FEEDBACK_SECRET: '',
    FEEDBACK_RETENTION_DAYS: '',
    // Blank as in a copied .env.example: discord.js reads SHARD_COUNT itself, so blank must work.
    SHARD_COUNT: '',
    SHARD_IDS: '',
    REST_PROXY_UPSTREAM: '',
    REST_PROXY_PORT: '',
    REST_PROXY_HOST: '',
    ...vars,
  };
}

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Started {
  child: ChildProcess;
  /** What the process has written so far. */
  output: { stdout: string; stderr: string };
  exited: Promise<ScriptResult>;
}

export interface ScriptOptions {
  /** Arguments after the script. */
  args?: string[];
  /** Working directory (default: the project root); where dotenv looks for `.env`. */
  cwd?: string;
}

/**
 * Starts `script` (a path under the project root: `dist/….js` on node, a test helper `….ts` with tsx);
 * standard input is a pipe, not a terminal.
 */
export function startScript(script: string, env: NodeJS.ProcessEnv, { args = [], cwd }: ScriptOptions = {}): Started {
  return startCommand(script.endsWith('.ts') ? TSX : NODE, [`${ROOT}${script}`, ...args], env, cwd);
}

/** Starts any command, in the project root unless `cwd` says otherwise. */
export function startCommand(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Started {
  const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
  const exited = new Promise<ScriptResult>((resolve) => child.on('close', (code) => resolve({ code, ...output })));
  return { child, output, exited };
}

export function runScript(script: string, env: NodeJS.ProcessEnv, options: ScriptOptions = {}): Promise<ScriptResult> {
  const { child, exited } = startScript(script, env, options);
  child.stdin!.end();
  return exited;
}
