import { createInterface } from 'node:readline';
import { answer, conversationAfter, type Answerer, type AnswerResult, type Conversation } from '../answering/answer.ts';
import type { KnowledgeSource } from '../bot/context.ts';
import type { Feedback } from '../feedback/recorder.ts';
import type { LiveKnowledge, ReloadEvent } from '../knowledge/live.ts';
import type { Lang } from '../knowledge/schema.ts';
import { renderText } from '../responder/render-text.ts';
import { MESSAGES } from '../responder/messages.ts';
import { toReply, type Reply } from '../responder/reply.ts';

const EXIT_WORDS = new Set(['exit', 'quit', 'koniec', 'wyjdz', 'wyjdź', ':q']);
/** A line ending in a backslash goes on on the next line: one question over several lines. */
const CONTINUED = /\\\s*$/;

/** What the terminal says of itself: help and greetings here are about the terminal, not about Discord. */
const TERMINAL_HELP: Record<Lang, string> = {
  pl: 'Zadaj pytanie o BPO, jedno w wierszu (kilka wklejonych wierszy to kilka pytań; wiersz zakończony „\\” ciągnie się w następnym). Każda odpowiedź cytuje zdanie artykułu, na którym się opiera. „exit” albo Ctrl+D kończy. Przykładowe tematy:',
  en: 'Ask a question about BPO, one per line (several pasted lines are several questions; a line ending in "\\" goes on on the next). Every answer quotes the sentence of the article it rests on. "exit" or Ctrl+D ends. Some topics:',
};

export interface ChatOptions {
  /** Where the chat's questions are recorded, as the bot records Discord's (`npm run report` shows them). */
  feedback?: Feedback;
  /** Who asks, as the recorder hashes it (never stored as is). */
  asker?: string;
}

/**
 * An interactive prompt over the same pipeline as the Discord bot. Every line is a question,
 * typed or pasted, answered in order; a line ending in a backslash continues on the next. Resolves
 * when the user leaves. With a live source, a reload of the knowledge base is announced above the
 * prompt, and each question is answered from the base current when it was asked.
 */
export function runChat(
  source: KnowledgeSource & Partial<Pick<LiveKnowledge<Answerer>, 'subscribe'>>,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  { feedback, asker = 'terminal' }: ChatOptions = {},
): Promise<void> {
  const prompt = createInterface({ input, output, terminal: true, prompt: '? ' });
  output.write(`Zapytaj o BPO (np. „Co to jest BPO?”). Ask in English too. "help" explains, "exit" or Ctrl+D ends.\n\n`);
  const unsubscribe = source.subscribe?.((event) => {
    output.write(`\r\n${describeReload(event)}\n`);
    prompt.prompt(true);
  });
  let continued = '';
  // The chat is one conversation: each question is read in the light of the last answer.
  let after: Conversation | undefined;
  prompt.on('line', (line) => {
    if (CONTINUED.test(line)) {
      continued += `${line.replace(CONTINUED, '')}\n`;
      prompt.setPrompt('… ');
      prompt.prompt();
      return;
    }
    const question = `${continued}${line}`.trim();
    continued = '';
    prompt.setPrompt('? ');
    if (EXIT_WORDS.has(question.toLowerCase())) {
      prompt.close();
      return;
    }
    if (question !== '') {
      const answerer = source.current();
      const result = answer(question, answerer, after ? { after } : {});
      after = conversationAfter(result) ?? after;
      feedback?.recordQuestion({ via: 'terminal', userId: asker, result });
      output.write(`\n${renderText(forTheTerminal(toReply(result, answerer.kb), result))}\n\n`);
    }
    prompt.prompt();
  });
  prompt.prompt();
  return new Promise((resolve) => {
    prompt.on('close', () => {
      unsubscribe?.();
      resolve();
    });
  });
}

/** Help and greetings say how to ask here, in the terminal, rather than on Discord; thanks are thanked back as anywhere. */
function forTheTerminal(reply: Reply, result: AnswerResult): Reply {
  return result.kind === 'small-talk' && result.intent !== 'thanks' ? { ...reply, title: MESSAGES[reply.lang].helpTitle, body: TERMINAL_HELP[reply.lang] } : reply;
}

export function describeReload(event: ReloadEvent): string {
  return event.kind === 'reloaded'
    ? `(Knowledge base reloaded from ${event.file}: ${event.entries} entries.)`
    : `(${event.file} changed but cannot be used: ${event.problems[0] ?? 'unknown problem'}${event.problems.length > 1 ? `, and ${event.problems.length - 1} more` : ''}. Still answering from the last good version; "npm run kb:check" lists every problem.)`;
}
