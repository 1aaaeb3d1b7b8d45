import type { Lang } from '../knowledge/schema.ts';

/**
 * The answer language for a Discord locale ("pl", "en-US", "en-GB", …), or undefined when the
 * bot does not speak it: the caller then falls back to another hint (the question's language, the
 * language a button was made in), and finally to Polish.
 */
export function langFromLocale(locale: string | null | undefined): Lang | undefined {
  if (typeof locale !== 'string') return undefined;
  const primary = locale.toLowerCase().split(/[-_]/)[0];
  if (primary === 'pl') return 'pl';
  if (primary === 'en') return 'en';
  return undefined;
}

/** Narrows a language tag read back from a button's custom id. */
export function asLang(value: string | undefined): Lang | undefined {
  return value === 'pl' || value === 'en' ? value : undefined;
}
