import { createInterface } from 'node:readline/promises';
import { answer, type Answerer } from '../answering/answer.ts';
import type { KnowledgeSource } from '../bot/context.ts';
import type { LiveKnowledge, ReloadEvent } from '../knowledge/live.ts';
import { renderText } from '../responder/render-text.ts';
import { toReply } from '../responder/reply.ts';

const EXIT_WORDS = new Set(['exit', 'quit', 'koniec', 'wyjdz', 'wyjdź', ':q']);

/**
 * An interactive prompt over the same pipeline as the Discord bot. Resolves when the user leaves.
 * With a live source, a reload of the knowledge base is announced above the prompt, and each
 * question is answered from the base current when it was asked.
 */
export async function runChat(
  source: KnowledgeSource & Partial<Pick<LiveKnowledge<Answerer>, 'subscribe'>>,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<void> {
  const prompt = createInterface({ input, output, terminal: true });
  output.write('Zapytaj o BPO (np. „Co to jest BPO?”). Ask in English too. "exit" or Ctrl+D ends.\n\n');
  const unsubscribe = source.subscribe?.((event) => {
    output.write(`\r\n${describeReload(event)}\n`);
    prompt.prompt(true);
  });
  try {
    for (;;) {
      let line: string;
      try {
        line = await prompt.question('? ');
      } catch {
        break; // Ctrl+D / Ctrl+C closed the prompt
      }
      const question = line.trim();
      if (EXIT_WORDS.has(question.toLowerCase())) break;
      if (question === '') continue;
      const answerer = source.current();
      output.write(`\n${renderText(toReply(answer(question, answerer), answerer.kb))}\n\n`);
    }
  } finally {
    unsubscribe?.();
    prompt.close();
  }
}

export function describeReload(event: ReloadEvent): string {
  return event.kind === 'reloaded'
    ? `(Knowledge base reloaded from ${event.file}: ${event.entries} entries.)`
    : `(${event.file} changed but cannot be used: ${event.problems[0] ?? 'unknown problem'}${event.problems.length > 1 ? `, and ${event.problems.length - 1} more` : ''}. Still answering from the last good version; "npm run kb:check" lists every problem.)`;
}
