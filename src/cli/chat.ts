import { createInterface } from 'node:readline/promises';
import { answer, type Answerer } from '../answering/answer.ts';
import { renderText } from '../responder/render-text.ts';
import { toReply } from '../responder/reply.ts';

const EXIT_WORDS = new Set(['exit', 'quit', 'koniec', 'wyjdz', 'wyjdź', ':q']);

/** An interactive prompt over the same pipeline as the Discord bot. Resolves when the user leaves. */
export async function runChat(answerer: Answerer, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const prompt = createInterface({ input, output, terminal: true });
  output.write('Zapytaj o BPO (np. „Co to jest BPO?”). Ask in English too. "exit" or Ctrl+D ends.\n\n');
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
      output.write(`\n${renderText(toReply(answer(question, answerer), answerer.kb))}\n\n`);
    }
  } finally {
    prompt.close();
  }
}
