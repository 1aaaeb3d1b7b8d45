/**
 * From what a Discord user asked to the message the bot sends back, through the answering core.
 * Pure: no discord.js here, so every reply shape is unit-tested.
 */
import { answer, answerById, pinned, type AnswerResult, type Answerer } from '../../answering/answer.ts';
import type { Lang } from '../../knowledge/schema.ts';
import { MESSAGES } from '../../responder/messages.ts';
import {
  renderDiscordEmbed,
  renderDiscordNotice,
  renderDiscordText,
  renderDiscordTopicList,
  type DiscordMessage,
} from '../../responder/render-discord.ts';
import { toReply } from '../../responder/reply.ts';

/** How the question reached the bot; logged with every answer. */
export type Via = 'slash' | 'dm' | 'mention' | 'button';

export interface RenderOptions {
  /** False where the bot lacks the Embed Links permission: the same reply is then sent as plain text. */
  canEmbed?: boolean;
}

export interface Answered {
  result: AnswerResult;
  message: DiscordMessage;
}

/** Answers free text: a typed question, or a topic id submitted from an autocomplete choice. */
export function answerQuestion(question: string, answerer: Answerer, lang: Lang | undefined, options: RenderOptions = {}): Answered {
  // Autocomplete choices submit an entry id as their value; free text the user typed is searched.
  const result = answerer.kb.byId.has(question.trim())
    ? answerById(question.trim(), answerer, lang ?? 'pl')
    : answer(question, answerer, lang ? { lang } : {});
  return { result, message: render(result, answerer, options) };
}

/** Answers a topic picked from a button. */
export function answerTopic(entryId: string, answerer: Answerer, lang: Lang, options: RenderOptions = {}): Answered {
  const result = answerById(entryId, answerer, lang);
  return { result, message: render(result, answerer, options) };
}

/** How to use the bot, with the main topics as buttons: for /help and for a mention with no question. */
export function helpAnswer(answerer: Answerer, lang: Lang, options: RenderOptions = {}): Answered {
  const result: AnswerResult = { kind: 'small-talk', question: '', lang, intent: 'empty', suggestions: pinned(answerer.kb) };
  return { result, message: render(result, answerer, options) };
}

/** Everything the bot knows: every topic listed, the main ones as buttons. */
export function topicsMessage(answerer: Answerer, lang: Lang): DiscordMessage {
  const all = answerer.kb.entries.map((entry) => ({ id: entry.id, title: entry.title[lang] }));
  const main = pinned(answerer.kb).map((entry) => ({ id: entry.id, title: entry.title[lang] }));
  // Main topics first, then the rest in the article's order.
  const ordered = [...main, ...all.filter((topic) => !main.some((m) => m.id === topic.id))];
  return renderDiscordTopicList(ordered, main, lang);
}

export function errorMessage(lang: Lang): DiscordMessage {
  return renderDiscordNotice(MESSAGES[lang].error);
}

/**
 * Slash-command replies other than an answer (not found, too long, small talk) concern only the
 * person who asked, so they are ephemeral and do not clutter the channel.
 */
export function isPrivateToAsker(result: AnswerResult): boolean {
  return result.kind !== 'answer';
}

/** The fields of the "answered" log line that describe the result. */
export function resultFields(result: AnswerResult): { entryId: string | null; kind: AnswerResult['kind']; score: number | null } {
  return result.kind === 'answer'
    ? { entryId: result.entry.id, kind: result.kind, score: result.confidence }
    : { entryId: null, kind: result.kind, score: null };
}

function render(result: AnswerResult, answerer: Answerer, { canEmbed = true }: RenderOptions): DiscordMessage {
  const reply = toReply(result, answerer.kb);
  // The question is quoted back only when nothing was found ("„…” — not in the article").
  return canEmbed ? renderDiscordEmbed(reply, result.question) : renderDiscordText(reply, result.question);
}
