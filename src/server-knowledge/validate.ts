/**
 * What an admin typed into the form, checked before anything is stored: trimmed, within the limits,
 * and unable to ping anyone when the bot repeats it (the reply disables pings too; this keeps the
 * stored text honest as well).
 */
import type { Lang } from '../knowledge/schema.ts';
import { SERVER_ENTRY_LIMITS as LIMITS, type ServerEntryDraft } from './entry.ts';
import { FAQ_MESSAGES } from './messages.ts';

export interface FormFields {
  question: string;
  phrasings: string;
  answer: string;
}

export type DraftCheck = { ok: true; draft: ServerEntryDraft } | { ok: false; problem: string };

/** @everyone, @here, and user, role and channel mentions in Discord's <@…> form. */
const PING = /@(?:everyone|here)\b|<@[!&]?\d+>/i;
/** Control and invisible formatting characters, except the line breaks an answer may have. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

const cleanLine = (text: string) => text.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
const cleanAnswer = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === '\n' ? c : ' '))
    .replace(/\n{3,}/g, '\n\n')
    .trim();

export function checkDraft(fields: FormFields, lang: Lang): DraftCheck {
  const text = FAQ_MESSAGES[lang];
  const question = cleanLine(fields.question);
  const answer = cleanAnswer(fields.answer);
  const phrasings = [...new Set(fields.phrasings.split(/\r?\n/).map(cleanLine).filter((line) => line !== '' && line.toLowerCase() !== question.toLowerCase()))];
  if (question.length < 3) return { ok: false, problem: text.questionMissing };
  if (question.length > LIMITS.questionLength) return { ok: false, problem: text.tooLong(text.questionField, LIMITS.questionLength) };
  if (answer.length < 1) return { ok: false, problem: text.answerMissing };
  if (answer.length > LIMITS.answerLength) return { ok: false, problem: text.tooLong(text.answerField, LIMITS.answerLength) };
  if (phrasings.length > LIMITS.phrasings) return { ok: false, problem: text.tooManyPhrasings(LIMITS.phrasings) };
  if (phrasings.some((p) => p.length > LIMITS.phrasingLength)) return { ok: false, problem: text.tooLong(text.phrasingsField, LIMITS.phrasingLength) };
  if ([question, answer, ...phrasings].some((part) => PING.test(part))) return { ok: false, problem: text.noPings };
  return { ok: true, draft: { question, phrasings, answer } };
}
