/**
 * `npm start` as a process, stopped at start-up by each thing a person can get wrong: a token
 * Discord rejects (REST 401 or gateway 4004), intents Discord refuses (4014), a broken knowledge
 * file, a bad value in .env. Each ends with exit code 1 and one sentence on what to fix as the last
 * line of stderr: never a bare stack trace, never the token.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeKnowledgeBaseError } from '../src/cli/startup.ts';
import { fixedKnowledge } from '../src/bot/context.ts';
import { DEFAULT_RATE_LIMIT } from '../src/config.ts';
import { LoginTimeoutError, startBot } from '../src/gateway/bot.ts';
import { explainLoginError, GatewayRefusedError } from '../src/gateway/login-failure.ts';
import { createLogger } from '../src/log.ts';
import { testAnswerer } from './support/bot-harness.ts';
import { KnowledgeBaseError } from '../src/knowledge/load.ts';
import { startDiscordServer, type DiscordTestServer } from './support/discord-server/index.ts';
import { runScript, scriptEnv, startCommand, type ScriptResult } from './support/run-script.ts';

function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<ScriptResult> {
  const { child, exited } = startCommand(command, args, env, cwd);
  child.stdin!.end();
  return exited;
}
import { captureLogger } from './support/capture-log.ts';

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GsTaRt.c3RhcnQtdXAtZmFpbHVyZS10ZXN0LXRva2Vu';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'bpo-startup-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Exit code 1; the last line of stderr is `sentence`, the only line that is not a JSON log line; no stack; no token. */
function expectOneSentence(result: ScriptResult, sentence: RegExp): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines.at(-1)).toMatch(sentence);
  expect(lines.filter((line) => !line.startsWith('{'))).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain(TOKEN);
}

async function startAgainst(prepare: (server: DiscordTestServer) => void): Promise<ScriptResult> {
  const server = await startDiscordServer();
  try {
    prepare(server);
    return await runScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: server.apiBase }));
  } finally {
    await server.close();
  }
}

/** A copy of the shipped knowledge base in its own folder (the article goes with it), changed by `edit`. */
function knowledgeCopy(name: string, edit: (json: { entries: { id: string; quote: string }[] }) => void): string {
  const dir = join(scratch, name);
  cpSync('knowledge', dir, { recursive: true });
  const file = join(dir, 'bpo.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as { entries: { id: string; quote: string }[] };
  edit(json);
  writeFileSync(file, JSON.stringify(json));
  return file;
}

describe.concurrent('a token Discord rejects', () => {
  it('REST 401: says to reset the token', async () => {
    const result = await startAgainst((server) => server.rejectToken(TOKEN));
    expectOneSentence(result, /^Discord rejected DISCORD_TOKEN: reset the token in the developer portal \(.+\) and update \.env\.$/);
  });

  it('gateway close 4004 (authentication failed): the same sentence', async () => {
    const result = await startAgainst((server) => server.refuseNextIdentify(4004));
    expectOneSentence(result, /^Discord rejected DISCORD_TOKEN: reset the token/);
  });
});

describe.concurrent('an error that repeats the token', () => {
  it('a Discord-compatible API quoting the Authorization header in its 400: the sentence says [redacted] instead', async () => {
    const result = await startAgainst((server) =>
      server.failNext({ method: 'GET', path: '/gateway/bot', status: 400, body: { message: `Invalid header "Authorization: Bot ${TOKEN}" (Bot ${TOKEN})`, code: 0 } }),
    );
    expectOneSentence(result, /^Could not connect to Discord at .*Authorization: Bot \[redacted\]" \(Bot \[redacted\]\)\); check the network connection and DISCORD_API_BASE\.$/);
  });
});

describe.concurrent('intents Discord refuses', () => {
  it('gateway close 4014 (disallowed intents): names the intent, where to enable it, and how to run without it', async () => {
    const result = await startAgainst((server) => server.refuseNextIdentify(4014));
    expectOneSentence(result, /^Discord refused the gateway intents \(close code 4014, disallowed intents\): .*Message Content.*Privileged Gateway Intents\), or set MESSAGE_CONTENT=off in \.env .*\)\.$/);
  });
});

describe.concurrent('a broken knowledge file (KNOWLEDGE_FILE)', () => {
  it('a quote missing from the article: names the file, the entry, and the command that lists every problem', async () => {
    const file = knowledgeCopy('misquoted', (json) => {
      json.entries[0]!.quote = 'To zdanie nie pochodzi z artykułu.';
    });
    const result = await runScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: TOKEN, KNOWLEDGE_FILE: file }));
    expectOneSentence(result, /^The knowledge file \S+bpo\.json cannot be used \(.*bpo-definition.*\): fix the file or point KNOWLEDGE_FILE at a valid one, then run "npm run kb:check -- \S+bpo\.json" to confirm\.$/);
  });

  it('a path that does not exist', async () => {
    const result = await runScript('dist/main.js', scriptEnv({ DISCORD_TOKEN: TOKEN, KNOWLEDGE_FILE: join(scratch, 'missing.json') }));
    expectOneSentence(result, /^The knowledge file \S+missing\.json cannot be used \(file not found\): fix the file or point KNOWLEDGE_FILE at a valid one/);
  });
});

/** A copy of the built project (dist/, knowledge/, package.json; node_modules linked) with `env` as its .env. */
function projectWithEnv(name: string, env: string): string {
  const dir = join(scratch, name);
  for (const part of ['dist', 'knowledge', 'package.json']) cpSync(part, join(dir, part), { recursive: true });
  symlinkSync(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, '.env'), env);
  return dir;
}

describe.concurrent('.env', () => {
  it('is read from the project, wherever the command is run from: a bad value there names the variable and the fix', async () => {
    const project = projectWithEnv('env-value', `${readFileSync('.env.example', 'utf8')}\nDISCORD_TOKEN=${TOKEN}\nDISCORD_API_BASE=discord.com/api\n`);
    const elsewhere = mkdtempSync(join(tmpdir(), 'bpo-elsewhere-'));
    // Only PATH and HOME: blank variables would take precedence over the file.
    const result = await runCommand(process.execPath, [join(project, 'dist/main.js')], { PATH: process.env.PATH, HOME: process.env.HOME }, elsewhere);
    expectOneSentence(result, /^DISCORD_API_BASE must be an http\(s\) URL of a Discord-compatible API without the version, .+\.$/);
  });

  it('a line without "=" is named by its number and variable, never its value', async () => {
    const project = projectWithEnv('env-line', `# settings\nLOG_LEVEL=info\nDISCORD_TOKEN ${TOKEN}\n`);
    const result = await runCommand(process.execPath, [join(project, 'dist/main.js')], { PATH: process.env.PATH, HOME: process.env.HOME }, project);
    expectOneSentence(result, /^\S+\.env line 3 starts with DISCORD_TOKEN but has no "=": write it as DISCORD_TOKEN=value\.$/);
  });
});

describe('the sentences themselves', () => {
  it('a knowledge file that is not JSON, with the shipped file: no KNOWLEDGE_FILE advice', () => {
    const error = new KnowledgeBaseError('knowledge/bpo.json', ['not valid JSON: Unexpected end of JSON input']);
    expect(describeKnowledgeBaseError(error, false)).toBe(
      'The knowledge file knowledge/bpo.json cannot be used (not valid JSON: Unexpected end of JSON input): fix the file, then run "npm run kb:check" to confirm.',
    );
  });

  it('several knowledge problems: the first one, and how many more', () => {
    const error = new KnowledgeBaseError('kb.json', ['entries[0].id: required', 'entries[1].quote: empty', 'entries[2].quote: empty']);
    expect(describeKnowledgeBaseError(error, true)).toMatch(/^The knowledge file kb\.json cannot be used \(entries\[0\]\.id: required, and 2 more problems\): /);
  });

  it('other gateway refusals name the close code', () => {
    expect(explainLoginError(new GatewayRefusedError(4013, 'Discord closed the gateway connection with code 4013 (InvalidIntents)'), undefined)).toMatch(
      /^Discord rejected the gateway intents as invalid \(close code 4013\): /,
    );
    expect(explainLoginError(new GatewayRefusedError(4011, 'Discord closed the gateway connection with code 4011 (ShardingRequired)'), undefined)).toBe(
      'Discord closed the gateway connection with code 4011 (ShardingRequired), so the bot cannot connect: look the code up under "Gateway Close Event Codes" in Discord\'s developer documentation.',
    );
  });

  it('network trouble quotes the cause and points at DISCORD_API_BASE when it is set', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(explainLoginError(error, 'http://127.0.0.1:9/api')).toBe(
      'Could not connect to Discord at http://127.0.0.1:9/api (connect ECONNREFUSED 127.0.0.1:9); check the network connection and DISCORD_API_BASE.',
    );
  });
});

describe('a gateway that keeps closing the connection before READY', () => {
  it('logs each close with its code, and the one-sentence failure names the last code', async () => {
    const server = await startDiscordServer();
    const { lines, logger } = captureLogger('info');
    try {
      // As an independent Discord-compatible server did: 4002 (decode error) on every IDENTIFY.
      for (let i = 0; i < 50; i++) server.refuseNextIdentify(4002, 'Error while decoding payload.');
      const failure = await startBot(
        { token: TOKEN, apiBase: server.apiBase, rateLimit: DEFAULT_RATE_LIMIT, redisUrl: undefined },
        { knowledge: fixedKnowledge(testAnswerer()), logger, loginTimeoutMs: 2500 },
      ).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(LoginTimeoutError);
      const closes = lines.filter((line) => line.msg === 'gateway connection closed');
      expect(closes.length).toBeGreaterThanOrEqual(1);
      expect(closes[0]).toMatchObject({ level: 40, code: 4002, beforeReady: true });
      expect(explainLoginError(failure, server.apiBase)).toMatch(
        /^Could not connect to Discord at .* \(the gateway did not get the bot ready within 3 s; it last closed the connection with code 4002 \(DecodeError\)\); check the network connection and DISCORD_API_BASE\.$/,
      );
    } finally {
      await server.close();
    }
  });
});

describe('a gateway that never answers', () => {
  it('stops start-up after the login timeout with a sentence about the connection, instead of waiting forever', async () => {
    const server = await startDiscordServer();
    try {
      server.hangGateway();
      const startedAt = performance.now();
      const failure = await startBot(
        { token: TOKEN, apiBase: server.apiBase, rateLimit: DEFAULT_RATE_LIMIT, redisUrl: undefined },
        { knowledge: fixedKnowledge(testAnswerer()), logger: createLogger({ level: 'silent' }), loginTimeoutMs: 1500 },
      ).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(LoginTimeoutError);
      expect(performance.now() - startedAt).toBeLessThan(5000);
      expect(explainLoginError(failure, server.apiBase)).toMatch(/^Could not connect to Discord at .* \(the gateway did not get the bot ready within 2 s\); check the network connection and DISCORD_API_BASE\.$/);
    } finally {
      await server.close();
    }
  });
});
