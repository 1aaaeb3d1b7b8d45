/**
 * From what a Discord user asked to the message the bot sends back, through the answering core,
 * whichever transport brought the question. Pure: no discord.js or HTTP here, so every reply shape
 * is unit-tested.
 */
import {
  answer,
  answerById,
  knownConversation,
  MAX_QUESTION_LENGTH,
  MAX_SUGGESTIONS,
  pinned,
  rankWithServerEntry,
  readQuestion,
  type AnswerResult,
  type Answerer,
  type Conversation,
  type ReadQuestion,
  type ServerEntryMatch,
} from '../answering/answer.ts';
import { detectLanguage } from '../answering/language.ts';
import type { Lang } from '../knowledge/schema.ts';
import { MESSAGES } from '../responder/messages.ts';
import {
  renderDiscordEmbed,
  renderDiscordNotice,
  renderDiscordText,
  renderDiscordTopicList,
  type DiscordMessage,
} from '../responder/render-discord.ts';
import { serverEntryRef, toReply, type Reply } from '../responder/reply.ts';

/** How the question reached the bot; logged with every answer. */
export type Via = 'slash' | 'context-menu' | 'button' | 'vote' | 'select' | 'modal' | 'autocomplete' | 'dm' | 'mention' | 'reply';

export interface RenderOptions {
  /** False where the bot lacks the Embed Links permission: the same reply is then sent as plain text. */
  canEmbed?: boolean;
}

export interface Answered {
  result: AnswerResult;
  message: DiscordMessage;
}

/**
 * The language of text the bot does not answer, or not yet (an autocomplete's typed prefix, a
 * question over the limit or shed from a full queue, owed a notice), judged on at most its first
 * 300 characters: no more of it is read than that.
 */
export function questionLanguage(text: string, answerer: Answerer, after?: Conversation): Lang {
  return detectLanguage(text.length > MAX_QUESTION_LENGTH ? text.slice(0, MAX_QUESTION_LENGTH) : text, answerer.reader, after?.lang);
}

/**
 * A typed question read once, in the light of the answer it follows (`after`): its language is
 * `lang`, and `answerQuestion` answers it without reading it again.
 */
export function readAsked(text: string, answerer: Answerer, after?: Conversation): ReadQuestion {
  const known = knownConversation(after, answerer.kb);
  return readQuestion(text, answerer.reader, known ? { after: known } : {});
}

/**
 * Answers free text: a typed question (read in the light of the answer it follows, `after`), as
 * text or as `readAsked` read it for this answerer, or a topic id submitted from an autocomplete choice.
 */
export function answerQuestion(
  question: string | ReadQuestion,
  answerer: Answerer,
  lang: Lang | undefined,
  options: RenderOptions & { after?: Conversation | undefined; server?: ServerEntryMatch | undefined } = {},
): Answered {
  const text = typeof question === 'string' ? question : question.raw;
  // Autocomplete choices submit an entry id as their value; free text the user typed is read, and
  // ranked with the server's own best entry where there is one.
  const result = answerer.kb.byId.has(text.trim())
    ? answerById(text.trim(), answerer, lang ?? 'pl')
    : rankWithServerEntry(answer(question, answerer, { ...(lang ? { lang } : {}), ...(options.after ? { after: options.after } : {}) }), options.server);
  return { result, message: render(result, answerer, options) };
}

/**
 * Answers a topic picked from a button. A button from an older knowledge base may name a topic
 * that is gone: that gets a "no longer available" notice with the current main topics, rather
 * than a "not found" that would quote the topic's id back as if the user had typed it.
 */
export function answerTopic(entryId: string, answerer: Answerer, lang: Lang, options: RenderOptions = {}): Answered {
  const result = answerById(entryId, answerer, lang);
  if (result.kind === 'answer') return { result, message: render(result, answerer, options) };
  const text = MESSAGES[lang];
  return { result, message: noticeWithTopics(text.staleTopicTitle, text.staleTopic, answerer, lang, options) };
}

/** For a button, select menu or form of a message this version of the bot did not make. */
export function staleComponentMessage(answerer: Answerer, lang: Lang, options: RenderOptions = {}): DiscordMessage {
  const text = MESSAGES[lang];
  return noticeWithTopics(text.staleComponentTitle, text.staleComponent, answerer, lang, options);
}

/** For a command Discord still offers from an older registration. */
export function unknownCommandMessage(answerer: Answerer, lang: Lang, options: RenderOptions = {}): DiscordMessage {
  const text = MESSAGES[lang];
  return noticeWithTopics(text.unknownCommandTitle, text.unknownCommand, answerer, lang, options);
}

/** Over the question limit: when the user may ask again, in whole seconds (minutes from one minute on). */
export function rateLimitNotice(lang: Lang, retryInMs: number): DiscordMessage {
  const text = MESSAGES[lang];
  const seconds = Math.max(1, Math.ceil(retryInMs / 1000));
  const wait = seconds < 60 ? text.seconds(seconds) : text.minutes(Math.ceil(seconds / 60));
  return renderDiscordNotice(text.rateLimited(wait));
}

/** For a channel whose questions were shed from a full reply queue: ask again. */
export function overloadNotice(lang: Lang): DiscordMessage {
  return renderDiscordNotice(MESSAGES[lang].overloaded);
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
  return result.kind !== 'answer' && result.kind !== 'server-answer';
}

/** The fields of the "answered" log line that describe the result. */
export function resultFields(result: AnswerResult): { entryId: string | null; kind: AnswerResult['kind']; score: number | null } {
  if (result.kind === 'answer') return { entryId: result.entry.id, kind: result.kind, score: result.confidence };
  if (result.kind === 'server-answer') return { entryId: serverEntryRef(result.entry.id), kind: result.kind, score: result.confidence };
  return { entryId: null, kind: result.kind, score: null };
}

function render(result: AnswerResult, answerer: Answerer, { canEmbed = true }: RenderOptions): DiscordMessage {
  const reply = toReply(result, answerer.kb);
  // The question is quoted back only when nothing was found ("„…” — not in the article").
  return canEmbed ? renderDiscordEmbed(reply, result.question) : renderDiscordText(reply, result.question);
}

/** A notice shaped like a not-found reply: the main topics as buttons, so the user has somewhere to go. */
function noticeWithTopics(title: string, body: string, answerer: Answerer, lang: Lang, { canEmbed = true }: RenderOptions): DiscordMessage {
  const suggestions = pinned(answerer.kb)
    .slice(0, MAX_SUGGESTIONS)
    .map((entry) => ({ id: entry.id, title: entry.title[lang] }));
  const reply: Reply = { kind: 'not-found', lang, entryId: null, title, body, attribution: null, related: [], suggestions, confidence: null, serverEntry: null };
  return canEmbed ? renderDiscordEmbed(reply) : renderDiscordText(reply);
}
