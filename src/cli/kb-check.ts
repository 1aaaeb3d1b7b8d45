import { createAnswerer } from '../answering/answer.ts';
import { DEFAULT_KNOWLEDGE_FILE, KnowledgeBaseError, loadKnowledgeBase } from '../knowledge/load.ts';

/** `npm run kb:check [file]`: the start-up validation of the knowledge base, with a summary. */
const file = process.argv[2] ?? DEFAULT_KNOWLEDGE_FILE;
try {
  const kb = loadKnowledgeBase(file);
  const answerer = createAnswerer(kb);
  const count = (pick: (e: (typeof kb.entries)[number]) => number) => kb.entries.reduce((sum, e) => sum + pick(e), 0);
  const quoted = new Set(kb.entries.map((e) => e.paragraph));
  console.log(`Knowledge base OK: ${file}`);
  console.log(`  entries: ${kb.entries.length} (${kb.entries.filter((e) => e.pinned).length} main topics)`);
  console.log(`  alternate questions: ${count((e) => e.questions.pl.length)} Polish, ${count((e) => e.questions.en.length)} English`);
  console.log(`  keywords: ${count((e) => e.keywords.length)}; indexed words: ${answerer.index.idf.size}`);
  console.log(`  quotes: ${kb.entries.length}, all verbatim in the article; paragraphs quoted: ${[...quoted].sort().join(', ')} of ${kb.article.paragraphs.length}`);
  console.log(`  related links: ${count((e) => e.related.length)}, all to existing entries`);
} catch (error) {
  if (!(error instanceof KnowledgeBaseError)) throw error;
  console.error(error.message);
  process.exit(1);
}
