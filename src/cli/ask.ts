import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { answer, type Answerer } from '../answering/answer.ts';
import { LANGS, type Lang } from '../knowledge/schema.ts';
import { renderJson } from '../responder/render-json.ts';
import { renderText } from '../responder/render-text.ts';
import { toReply } from '../responder/reply.ts';
import { loadAnswererOrExit } from './startup.ts';

const USAGE = `Usage: npm run --silent ask -- [--json] [--lang pl|en] "Co to jest BPO?"
  With --json and no question, reads one question per line from standard input
  and prints one JSON object per line, in order.`;

function main(): void {
  // `ask … | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, lang: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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
  const answerer = loadAnswererOrExit();
  const print = (text: string) => process.stdout.write(`${values.json ? JSON.stringify(formatJson(text, answerer, lang)) : formatText(text, answerer, lang)}\n`);
  if (question !== '') {
    print(question);
    return;
  }
  // Batch mode: one question per line, answered in order; blank lines are not questions.
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() !== '') print(line);
  });
}

function formatJson(question: string, answerer: Answerer, lang: Lang | undefined) {
  const result = answer(question, answerer, { lang });
  return renderJson(result, toReply(result, answerer.kb));
}

function formatText(question: string, answerer: Answerer, lang: Lang | undefined): string {
  return `${renderText(toReply(answer(question, answerer, { lang }), answerer.kb))}\n`;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

main();
