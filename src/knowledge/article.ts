/** The source article, kept verbatim: every quote the bot shows must be an exact substring of it. */
export interface Article {
  title: string;
  source: string;
  url: string;
  text: string;
  /** Blocks of text separated by blank lines; paragraph n is paragraphs[n - 1]. */
  paragraphs: string[];
}

export function splitParagraphs(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((block) => block.trim())
    .filter((block) => block !== '');
}
