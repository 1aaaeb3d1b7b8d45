import { formatDay, MESSAGES } from './messages.ts';
import type { Reply } from './reply.ts';

/** Plain text for the terminal: title, answer, quoted source, then topics to ask about next. */
export function renderText(reply: Reply): string {
  const text = MESSAGES[reply.lang];
  const lines = [reply.title, '', reply.body];
  const topics = reply.kind === 'answer' ? reply.related : reply.suggestions;
  if (reply.kind !== 'answer' && reply.kind !== 'server-answer' && topics.length > 0) lines.push(...topics.map((topic) => `  • ${topic.title}`));
  if (reply.attribution) {
    const a = reply.attribution;
    const paragraphs = a.quotes.map((q) => q.paragraph);
    if (a.quotes.length === 1) lines.push('', `${text.source}: „${a.quote}”`);
    else lines.push('', `${text.source}:`, ...a.quotes.map((q) => `  „${q.quote}”`));
    lines.push(`  — ${text.accordingTo(a.articleTitle, paragraphs, a.source)}`);
    if (a.translated) lines.push(`  (${text.translated})`);
  }
  if (reply.serverEntry) lines.push('', `${text.serverKnowledge}: ${text.serverKnowledgeNote(formatDay(reply.lang, reply.serverEntry.updatedAt))}`);
  if (reply.kind === 'answer' && topics.length > 0) lines.push('', `${text.related}: ${topics.map((t) => t.title).join(' · ')}`);
  if (reply.confidence !== null) lines.push(text.confidence(Math.round(reply.confidence * 100)));
  return lines.join('\n');
}
