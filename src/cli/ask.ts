import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { userInfo } from 'node:os';
import { answer, conversationAfter, type Conversation } from '../answering/answer.ts';
import { createLogger } from '../log.ts';
import { LANGS, type Lang } from '../knowledge/schema.ts';
import { renderJson } from '../responder/render-json.ts';
import { renderText } from '../responder/render-text.ts';
import { toReply } from '../responder/reply.ts';
import { loadEnvFile } from './env-file.ts';
import { loadConfigOrExit } from './exit.ts';
import { knowledgeFileFrom, loadAnswererOrExit, openFeedbackOrExit } from './startup.ts';

const USAGE = `Usage: npm run --silent ask -- [--json] [--lang pl|en] [--record] [--conversation] "Co to jest BPO?"
  With no question, reads one question per line from standard input and prints
  one answer (with --json, one JSON object) per line, in order. With
  --conversation, each line is read in the light of the answers before it, and a
  blank line starts a new conversation. Answers from KNOWLEDGE_FILE (else
  knowledge/bpo.json); --record stores the questions in FEEDBACK_DB, as the bot
  does, for npm run report.`;

async function main(): Promise<void> {
  // `ask … | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        lang: { type: 'string' },
        record: { type: 'boolean', default: false },
        conversation: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.lang !== undefined && !LANGS.includes(values.lang as Lang)) fail(`--lang must be one of: ${LANGS.join(', ')}\n${USAGE}`);
  const lang = values.lang as Lang | undefined;
  const question = positionals.join(' ').trim();

  if (question === '' && process.stdin.isTTY) fail(USAGE);
  loadEnvFile();
  const answerer = loadAnswererOrExit(knowledgeFileFrom(process.env));
  const feedback = values.record ? await openFeedbackOrExit(loadConfigOrExit(process.env), createLogger({ level: 'silent' })) : undefined;
  // With --conversation, the last answer of the conversation so far.
  let after: Conversation | undefined;
  const print = (text: string) => {
    const result = answer(text, answerer, { lang, ...(after ? { after } : {}) });
    if (values.conversation) after = conversationAfter(result) ?? after;
    feedback?.recordQuestion({ via: 'terminal', userId: `terminal:${userInfo().username}`, result });
    const reply = toReply(result, answerer.kb);
    process.stdout.write(`${values.json ? JSON.stringify(renderJson(result, reply)) : `${renderText(reply)}\n`}\n`);
  };
  const done = async () => {
    await feedback?.settled();
    await feedback?.close();
  };
  if (question !== '') {
    print(question);
    await done();
    return;
  }
  // Batch mode: one question per line, answered in order; a blank line is no question, and in a
  // conversation it starts a new one.
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() !== '') print(line);
    else after = undefined;
  });
  lines.on('close', () => void done());
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

await main();
