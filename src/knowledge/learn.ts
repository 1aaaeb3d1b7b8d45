/**
 * Adds an accepted suggestion to an entry's alternate questions by editing the file's text, not by
 * re-serializing it: formatting, key order and every other line stay as they are, so `git diff`
 * shows the one line added.
 */
import { findNodeAtLocation, parseTree, type Node, type ParseError } from 'jsonc-parser';
import { foldText } from '../search/normalize.ts';
import type { Lang } from './schema.ts';

/** Why a phrasing cannot be added, as one sentence. */
export class LearnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LearnError';
  }
}

export interface Phrasing {
  entryId: string;
  question: string;
  lang: Lang;
}

const LANGUAGE_NAMES: Record<Lang, string> = { pl: 'Polish', en: 'English' };
/** The schema's cap on a phrasing, checked here first for a plainer sentence. */
const MAX_PHRASING = 300;

/**
 * The knowledge file's text with `question` added to the entry's phrasings in `lang`, as the
 * last-but-one item of the list: appending it would also change the line before it (for the comma).
 * Refuses an unknown entry, an empty or multi-line question, and a question the knowledge base
 * already has as a title or phrasing of any entry (compared as the search folds text).
 */
export function addPhrasing(text: string, { entryId, question, lang }: Phrasing, shown: string): string {
  const wanted = question.trim();
  if (wanted === '') throw new LearnError('The question is empty: pass the phrasing to add with --question "…".');
  if (/[\r\n]/.test(wanted)) throw new LearnError('The question spans several lines: pass it as one line.');
  if (foldText(wanted) === '') throw new LearnError('The question has no words, only punctuation or symbols: pass a question people would ask.');
  if (wanted.length > MAX_PHRASING) throw new LearnError(`The question has ${wanted.length} characters, more than the ${MAX_PHRASING} a phrasing may have: shorten it.`);

  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (!tree || errors.length > 0) throw new LearnError(`${shown} is not valid JSON: fix it first ("npm run kb:check" shows where).`);
  const entries = findNodeAtLocation(tree, ['entries']);
  const index = entries?.children?.findIndex((entry) => valueAt(entry, ['id']) === entryId) ?? -1;
  if (!entries || index < 0) throw new LearnError(`There is no entry "${entryId}" in ${shown}: use the id of an existing entry, as the report prints it.`);

  const existing = findExisting(entries, wanted);
  if (existing) throw new LearnError(`"${wanted}" is already ${existing} in ${shown}: there is nothing to add.`);

  const list = findNodeAtLocation(entries.children![index]!, ['questions', lang]);
  const last = list?.type === 'array' ? list.children?.at(-1) : undefined;
  if (!last) throw new LearnError(`Entry "${entryId}" in ${shown} has no list of ${LANGUAGE_NAMES[lang]} questions to add to: fix the entry first.`);

  const literal = JSON.stringify(wanted);
  const lineStart = text.lastIndexOf('\n', last.offset - 1) + 1;
  const indent = text.slice(lineStart, last.offset);
  // One item per line: a new line with the same indentation. Written inline: within that line.
  if (/^[ \t]*$/.test(indent)) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    return `${text.slice(0, lineStart)}${indent}${literal},${eol}${text.slice(lineStart)}`;
  }
  return `${text.slice(0, last.offset)}${literal}, ${text.slice(last.offset)}`;
}

/** Where the knowledge base already has this question, e.g. 'a Polish phrasing of entry "back-office"'. */
function findExisting(entries: Node, question: string): string | undefined {
  const folded = foldText(question);
  for (const entry of entries.children ?? []) {
    const id = String(valueAt(entry, ['id']));
    for (const lang of ['pl', 'en'] as const) {
      if (foldText(String(valueAt(entry, ['title', lang]) ?? '')) === folded) return `the ${LANGUAGE_NAMES[lang]} title of entry "${id}"`;
      const phrasings = findNodeAtLocation(entry, ['questions', lang])?.children ?? [];
      if (phrasings.some((node) => typeof node.value === 'string' && foldText(node.value) === folded)) return `a ${LANGUAGE_NAMES[lang]} phrasing of entry "${id}"`;
    }
  }
  return undefined;
}

function valueAt(node: Node, path: string[]): unknown {
  return findNodeAtLocation(node, path)?.value;
}
