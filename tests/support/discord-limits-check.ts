/**
 * Every rule a message the bot sends must meet for Discord to accept it and for it to ping no
 * one, as one check that lists what is wrong (an empty list when nothing is).
 */
import type { APIEmbed } from 'discord-api-types/v10';
import type { DiscordMessage } from '../../src/responder/render-discord.ts';
import { RAW_MENTION } from './nasty-strings.ts';

interface Button {
  type: number;
  label?: string;
  custom_id?: string;
}

const within = (value: string | undefined, min: number, max: number) => value === undefined || (value.length >= min && value.length <= max);

function embedProblems(embed: APIEmbed, at: string): string[] {
  const problems: string[] = [];
  if (!within(embed.title, 1, 256)) problems.push(`${at}.title has ${embed.title?.length} characters`);
  if (!within(embed.description, 1, 4096)) problems.push(`${at}.description has ${embed.description?.length} characters`);
  const fields = embed.fields ?? [];
  if (fields.length > 25) problems.push(`${at} has ${fields.length} fields`);
  fields.forEach((field, i) => {
    if (!within(field.name, 1, 256)) problems.push(`${at}.fields[${i}].name has ${field.name.length} characters`);
    if (!within(field.value, 1, 1024)) problems.push(`${at}.fields[${i}].value has ${field.value.length} characters`);
  });
  if (!within(embed.footer?.text, 1, 2048)) problems.push(`${at}.footer has ${embed.footer?.text.length} characters`);
  const total = (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text ?? '').length + fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  if (total > 6000) problems.push(`${at} has ${total} characters in all`);
  return problems;
}

/** The buttons of a message, row by row. */
export function buttonRows(message: DiscordMessage): Button[][] {
  return (message.components ?? []).map((row) => (row as { components: Button[] }).components);
}

/** All the text a reader sees: content, embed texts and button labels. */
export function visibleTexts(message: DiscordMessage): string[] {
  const texts: string[] = [];
  if (message.content !== undefined) texts.push(message.content);
  for (const embed of message.embeds ?? []) {
    texts.push(embed.title ?? '', embed.description ?? '', embed.footer?.text ?? '');
    for (const field of embed.fields ?? []) texts.push(field.name, field.value);
  }
  for (const row of buttonRows(message)) for (const button of row) texts.push(button.label ?? '');
  return texts;
}

export function discordProblems(message: DiscordMessage): string[] {
  const problems: string[] = [];
  const mentions = message.allowed_mentions as unknown;
  if (JSON.stringify(mentions) !== JSON.stringify({ parse: [], replied_user: false })) problems.push(`allowed_mentions is ${JSON.stringify(mentions)}`);
  if (message.content !== undefined && message.content.length > 2000) problems.push(`content has ${message.content.length} characters`);
  const embeds = message.embeds ?? [];
  if (embeds.length > 10) problems.push(`${embeds.length} embeds`);
  embeds.forEach((embed, i) => problems.push(...embedProblems(embed, `embeds[${i}]`)));
  const rows = buttonRows(message);
  if (rows.length > 5) problems.push(`${rows.length} component rows`);
  const ids = new Set<string>();
  rows.forEach((row, i) => {
    if (row.length < 1 || row.length > 5) problems.push(`row ${i} has ${row.length} buttons`);
    for (const button of row) {
      if (!within(button.label, 1, 80)) problems.push(`button label "${button.label}" has ${button.label?.length} characters`);
      if (!within(button.custom_id, 1, 100) || button.custom_id === undefined) problems.push(`custom_id "${button.custom_id}" is not 1-100 characters`);
      // Discord rejects a message with two components of the same custom id.
      if (button.custom_id !== undefined && ids.has(button.custom_id)) problems.push(`custom_id "${button.custom_id}" appears twice`);
      if (button.custom_id !== undefined) ids.add(button.custom_id);
    }
  });
  const hasText = (message.content ?? '').trim() !== '' || embeds.length > 0 || rows.length > 0;
  if (!hasText) problems.push('the message is empty');
  for (const text of visibleTexts(message)) {
    const raw = RAW_MENTION.exec(text);
    if (raw) problems.push(`raw mention "${raw[0]}" in "${text.slice(Math.max(0, raw.index - 20), raw.index + 30)}"`);
  }
  return problems;
}
