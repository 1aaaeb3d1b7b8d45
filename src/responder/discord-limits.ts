/** Discord's message limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = Object.freeze({
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  buttonLabel: 80,
  customId: 100,
  buttonsPerRow: 5,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
});

/**
 * Cuts text to at most `max` UTF-16 units (what JavaScript's `length` and Discord's validation
 * count), marking the cut with "…". It cuts between code points, so no emoji is split in half.
 */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  let kept = '';
  for (const char of text) {
    if (kept.length + char.length > max - 1) break;
    kept += char;
  }
  return `${kept}…`;
}

/** Neutralises Markdown and mentions in text that came from a user, so it shows as typed and pings no one. */
export function escapeUserText(text: string): string {
  return text
    .replace(/[\\*_~`|>#[\]()-]/g, (char) => `\\${char}`)
    .replace(/@/g, '@\u200b')
    .replace(/<(?=[@#:&!a])/g, '<\u200b');
}
