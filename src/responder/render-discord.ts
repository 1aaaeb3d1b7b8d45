import type { APIActionRowComponent, APIButtonComponent, APIEmbed, APIMessageTopLevelComponent } from 'discord-api-types/v10';
import { DISCORD_LIMITS as L, escapeUserText, truncate } from './discord-limits.ts';
import type { Topic } from '../answering/suggest.ts';
import type { Lang } from '../knowledge/schema.ts';
import { formatDay, MESSAGES } from './messages.ts';
import type { Reply } from './reply.ts';

/** What a Discord message needs, in the API's own field names; the Discord layer sends it as is. */
export interface DiscordMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  /** Always "ping no one": nothing the user typed can reach @everyone, a role or a user. */
  allowed_mentions: { parse: []; replied_user: false };
}

export const NO_MENTIONS = Object.freeze({ parse: [] as [], replied_user: false as const });

const TOPIC_BUTTON_PREFIX = 'topic';
const BRAND_COLOR = 0x2f6fdd;
const MAX_TOPIC_BUTTONS = 3;

/**
 * A button's custom id: the entry and the language to answer in, e.g. "topic:back-office:pl". On an
 * answer it also names the entry answered ("topic:front-office:pl:back-office"): the message then
 * carries its own context, so a reply to it is read in its light by any process, after a restart too.
 */
export function topicButtonId(entryId: string, lang: string, answeredId?: string): string {
  const id = `${TOPIC_BUTTON_PREFIX}:${entryId}:${lang}`;
  const withAnswered = answeredId ? `${id}:${answeredId}` : id;
  return withAnswered.length <= L.customId ? withAnswered : truncate(id, L.customId);
}

export function parseTopicButtonId(customId: string): { entryId: string; lang: string; answeredId?: string } | undefined {
  const match = /^topic:([a-z0-9-]+):([a-z]{2})(?::([a-z0-9-]+))?$/.exec(customId);
  if (!match) return undefined;
  return { entryId: match[1]!, lang: match[2]!, ...(match[3] ? { answeredId: match[3] } : {}) };
}

/** The reply as an embed with topic buttons: the normal form. */
export function renderDiscordEmbed(reply: Reply, question?: string): DiscordMessage {
  const text = MESSAGES[reply.lang];
  const embed: APIEmbed = {
    title: truncate(reply.title, L.embedTitle),
    description: truncate(describe(reply, question), L.embedDescription),
    color: BRAND_COLOR,
  };
  if (reply.attribution) embed.fields = [{ name: text.source, value: sourceField(reply) }];
  if (reply.serverEntry) embed.fields = [{ name: text.serverKnowledge, value: serverNote(reply) }];
  if ((reply.attribution || reply.serverEntry) && reply.confidence !== null) embed.footer = { text: truncate(text.confidence(Math.round(reply.confidence * 100)), L.footer) };
  const components = topicButtons(reply);
  return { embeds: [embed], ...(components.length > 0 ? { components } : {}), allowed_mentions: { ...NO_MENTIONS } };
}

/** The same reply as plain text, for channels where the bot may not embed links. */
export function renderDiscordText(reply: Reply, question?: string): DiscordMessage {
  // The source is kept whole (its quote shortened if it is huge); the answer is cut first.
  const source = reply.attribution ? sourceBlock(reply, SOURCE_BUDGET) : reply.serverEntry ? `*${serverNote(reply)}*` : '';
  const headBudget = L.content - (source ? source.length + 2 : 0);
  const head = truncate(`**${truncate(reply.title, L.embedTitle)}**\n${describe(reply, question)}`, headBudget);
  const content = truncate(source ? `${head}\n\n${source}` : head, L.content);
  const components = topicButtons(reply);
  return { content, ...(components.length > 0 ? { components } : {}), allowed_mentions: { ...NO_MENTIONS } };
}

/** Room for the quote and its credit: half a message at most, so the answer always has room too. */
const SOURCE_BUDGET = 1000;

function describe(reply: Reply, question?: string): string {
  const lines = [reply.body];
  if (reply.kind === 'not-found' && question) lines.unshift(`„${escapeUserText(truncate(question.replace(/\s+/g, ' ').trim(), 100))}”`);
  const topics = reply.kind === 'answer' ? [] : reply.suggestions;
  if (topics.length > 0) lines.push(topics.map((topic) => `• ${topic.title}`).join('\n'));
  if (reply.attribution?.translated) lines.push(`*${MESSAGES[reply.lang].translated}*`);
  return lines.join('\n');
}

/** Where a server's own answer comes from, in place of the article's quote: the server's admins, and when. */
function serverNote(reply: Reply): string {
  return MESSAGES[reply.lang].serverKnowledgeNote(formatDay(reply.lang, reply.serverEntry!.updatedAt));
}

function sourceField(reply: Reply): string {
  return sourceBlock(reply, L.fieldValue);
}

/** "> quote" lines and "— credit" within `max` characters: the credit stays whole, the quotes are shortened. */
function sourceBlock(reply: Reply, max: number): string {
  const a = reply.attribution!;
  const credit = truncate(`— ${MESSAGES[reply.lang].accordingTo(a.articleTitle, a.quotes.map((q) => q.paragraph), a.source)}`, max / 2);
  // The room left is shared out shortest quote first: a short one leaves what it does not need to
  // the longer ones, so quotes that fit together all stay whole. Each line also takes "> " and a break.
  const texts = a.quotes.map((q) => q.quote.replace(/\s*\n\s*/g, ' '));
  const room = new Array<number>(texts.length);
  let left = max - credit.length;
  [...texts.keys()].sort((i, j) => texts[i]!.length - texts[j]!.length).forEach((index, position) => {
    const share = Math.floor(left / (texts.length - position)) - 3;
    room[index] = Math.min(texts[index]!.length, share);
    left -= room[index]! + 3;
  });
  const quotes = texts.map((text, i) => `> ${truncate(text, room[i]!)}`);
  return truncate(`${quotes.join('\n')}\n${credit}`, max);
}

function topicButtons(reply: Reply): APIActionRowComponent<APIButtonComponent>[] {
  const topics = (reply.kind === 'answer' ? reply.related : reply.suggestions).slice(0, MAX_TOPIC_BUTTONS);
  if (topics.length === 0) return [];
  return [
    {
      type: 1,
      components: topics.map((topic) => ({
        type: 2,
        style: 2,
        label: truncate(topic.title, L.buttonLabel),
        custom_id: topicButtonId(topic.id, reply.lang, reply.kind === 'answer' ? (reply.entryId ?? undefined) : undefined),
      })),
    },
  ];
}

/** Every topic the bot knows, listed in an embed, with buttons for the main ones (at most 5 rows of 5). */
export function renderDiscordTopicList(topics: Topic[], mainTopics: Topic[], lang: Lang): DiscordMessage {
  const text = MESSAGES[lang];
  const list = topics.map((topic) => `• ${topic.title}`).join('\n');
  const embed: APIEmbed = {
    title: truncate(text.topicsTitle, L.embedTitle),
    description: truncate(`${text.topicsIntro}\n\n${list}`, L.embedDescription),
    color: BRAND_COLOR,
  };
  const buttons: APIButtonComponent[] = mainTopics.slice(0, L.buttonsPerRow * 5).map((topic) => ({
    type: 2,
    style: 2,
    label: truncate(topic.title, L.buttonLabel),
    custom_id: topicButtonId(topic.id, lang),
  }));
  const components: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < buttons.length; i += L.buttonsPerRow) components.push({ type: 1, components: buttons.slice(i, i + L.buttonsPerRow) });
  return { embeds: [embed], ...(components.length > 0 ? { components } : {}), allowed_mentions: { ...NO_MENTIONS } };
}

/** A short notice in the reader's language (errors), with no buttons. */
export function renderDiscordNotice(notice: string): DiscordMessage {
  return { content: truncate(notice, L.content), allowed_mentions: { ...NO_MENTIONS } };
}
