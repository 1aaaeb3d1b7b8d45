import { relative } from 'node:path';
import { DEFAULT_KNOWLEDGE_FILE, KnowledgeBaseError, loadKnowledgeBase } from '../knowledge/load.ts';
import { hasCurrentModel } from '../reader/load.ts';
import { loadEnvFile } from './env-file.ts';
import { knowledgeFileFrom } from './startup.ts';

/** `npm run kb:check [file]`: the start-up validation of the knowledge base and its corpus, with a summary. */
loadEnvFile();
const file = process.argv[2] ?? knowledgeFileFrom(process.env) ?? DEFAULT_KNOWLEDGE_FILE;
try {
  const kb = loadKnowledgeBase(file);
  const quoted = new Set(kb.entries.flatMap((e) => [e.paragraph, ...(e.moreQuotes ?? []).map((more) => more.paragraph)]));
  const examples = kb.corpus.examples;
  const perEntry = kb.entries.map((entry) => examples.filter((example) => example.entry === entry.id).length);
  const outOfScope = examples.filter((example) => example.entry === null).length;
  const statements = kb.entries.reduce((sum, e) => sum + (e.statements?.length ?? 0), 0);
  const model = kb.files ? relative(process.cwd(), kb.files.model) || kb.files.model : 'none';
  console.log(`Knowledge base OK: ${file}`);
  console.log(`  entries: ${kb.entries.length} (${kb.entries.filter((e) => e.pinned).length} main topics), ${statements} yes/no statements`);
  console.log(`  quotes: all verbatim in the article; paragraphs quoted: ${[...quoted].sort().join(', ')} of ${kb.article.paragraphs.length}`);
  console.log(`  related links: ${kb.entries.reduce((sum, e) => sum + e.related.length, 0)}, all to existing entries`);
  console.log(`  corpus: ${examples.length - outOfScope} examples in scope (${Math.min(...perEntry)} to ${Math.max(...perEntry)} per entry), ${outOfScope} out of scope, from ${kb.corpus.briefs.length} briefs`);
  console.log(`  model: ${model}, ${hasCurrentModel(kb) ? 'current' : 'missing or older than the knowledge base (npm run kb:train builds it; any start trains it)'}`);
} catch (error) {
  if (!(error instanceof KnowledgeBaseError)) throw error;
  console.error(error.message);
  process.exit(1);
}
