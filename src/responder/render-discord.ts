import type { APIActionRowComponent, APIButtonComponent, APIEmbed, APIMessageTopLevelComponent } from 'discord-api-types/v10';
import { DISCORD_LIMITS as L, escapeUserText, truncate } from './discord-limits.ts';
import { MESSAGES } from './messages.ts';
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

/** A button's custom id: the entry and the language to answer in, e.g. "topic:back-office:pl". */
export function topicButtonId(entryId: string, lang: string): string {
  return truncate(`${TOPIC_BUTTON_PREFIX}:${entryId}:${lang}`, L.customId);
}

export function parseTopicButtonId(customId: string): { entryId: string; lang: string } | undefined {
  const match = /^topic:([a-z0-9-]+):([a-z]{2})$/.exec(customId);
  return match ? { entryId: match[1]!, lang: match[2]! } : undefined;
}

/** The reply as an embed with topic buttons: the normal form. */
export function renderDiscordEmbed(reply: Reply, question?: string): DiscordMessage {
  const text = MESSAGES[reply.lang];
  const embed: APIEmbed = {
    title: truncate(reply.title, L.embedTitle),
    description: truncate(describe(reply, question), L.embedDescription),
    color: BRAND_COLOR,
  };
  if (reply.attribution) {
    embed.fields = [{ name: text.source, value: sourceField(reply) }];
    if (reply.confidence !== null) embed.footer = { text: truncate(text.confidence(Math.round(reply.confidence * 100)), L.footer) };
  }
  const components = topicButtons(reply);
  return { embeds: [embed], ...(components.length > 0 ? { components } : {}), allowed_mentions: { ...NO_MENTIONS } };
}

/** The same reply as plain text, for channels where the bot may not embed links. */
export function renderDiscordText(reply: Reply, question?: string): DiscordMessage {
  const text = MESSAGES[reply.lang];
  const parts = [`**${reply.title}**`, describe(reply, question)];
  if (reply.attribution) {
    const a = reply.attribution;
    parts.push(`> ${a.quote}\n— ${text.accordingTo(a.articleTitle, a.paragraph, a.source)}`);
  }
  // The source goes last and is kept whole: the answer is cut first if the message is too long.
  const tail = parts.slice(2).join('\n\n');
  const head = truncate(parts.slice(0, 2).join('\n'), L.content - tail.length - 2);
  const content = truncate(tail ? `${head}\n\n${tail}` : head, L.content);
  const components = topicButtons(reply);
  return { content, ...(components.length > 0 ? { components } : {}), allowed_mentions: { ...NO_MENTIONS } };
}

function describe(reply: Reply, question?: string): string {
  const lines = [reply.body];
  if (reply.kind === 'not-found' && question) lines.unshift(`„${escapeUserText(truncate(question.replace(/\s+/g, ' ').trim(), 100))}”`);
  const topics = reply.kind === 'answer' ? [] : reply.suggestions;
  if (topics.length > 0) lines.push(topics.map((topic) => `• ${topic.title}`).join('\n'));
  if (reply.attribution?.translated) lines.push(`*${MESSAGES[reply.lang].translated}*`);
  return lines.join('\n');
}

function sourceField(reply: Reply): string {
  const a = reply.attribution!;
  const credit = `— ${MESSAGES[reply.lang].accordingTo(a.articleTitle, a.paragraph, a.source)}`;
  // Keep the credit whole; shorten the quote if the two would not fit.
  const quote = truncate(a.quote, L.fieldValue - credit.length - 4);
  return truncate(`> ${quote}\n${credit}`, L.fieldValue);
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
        custom_id: topicButtonId(topic.id, reply.lang),
      })),
    },
  ];
}
