import type { Message, SendableChannels } from 'discord.js';
import { reportAnswered, type BotContext } from '../bot/context.ts';
import { admitQuestion } from '../bot/limits.ts';
import { answerQuestion, helpAnswer, questionLanguage, type Answered, type Via } from '../bot/replies.ts';
import type { Logger } from '../log.ts';
import type { DiscordMessage } from '../responder/render-discord.ts';
import { messageQuestion } from './message-question.ts';
import { channelAccess } from './permissions.ts';
import { toSendOptions } from './send-options.ts';

/** Typing is cosmetic: a slow typing request must not hold the answer back for long. */
const TYPING_WAIT_MS = 1000;

/**
 * A DM to the bot, or a server message that mentions it: answered in the same channel, as a reply
 * to the question in servers. Everything else is ignored without a single request.
 */
export async function handleMessage(message: Message, ctx: BotContext): Promise<void> {
  const startedAt = performance.now();
  const botId = message.client.user.id;
  const outcome = messageQuestion({
    botId,
    authorId: message.author.id,
    authorIsBot: message.author.bot,
    webhookId: message.webhookId,
    isSystem: message.system,
    isDm: !message.inGuild(),
    // discord.js leaves content null when the payload has none (e.g. a message with only a sticker).
    content: message.content ?? '',
    mentionsBotUser: message.mentions.users.has(botId),
  });
  if (outcome.kind === 'ignore') {
    ctx.logger.trace({ messageId: message.id, reason: outcome.reason }, 'message ignored');
    return;
  }

  const via: Via = message.inGuild() ? 'mention' : 'dm';
  const where = { via, userId: message.author.id, guildId: message.guildId, channelId: message.channelId };
  const channel = message.channel;
  const access = channelAccess(message.inGuild() ? message.channel.permissionsFor(message.client.user) : null, channel.isThread());
  if (!channel.isSendable() || !access.canSend) {
    ctx.logger.warn(where, 'cannot answer: the bot may not send messages in this channel');
    return;
  }

  const send = async (reply: DiscordMessage): Promise<void> => {
    const options = toSendOptions(reply);
    if (via === 'mention' && access.canReply) await message.reply(options);
    else await channel.send(options);
  };

  // The question's own language decides here (an empty mention gets the help in Polish). It is
  // worked out only after the limit: a refused flood costs no language detection.
  const lang = () => (outcome.kind === 'question' ? questionLanguage(outcome.text) : 'pl');
  const admission = await admitQuestion(ctx.limits.questions, { via, userId: message.author.id, guildId: message.guildId }, ctx.logger, { alwaysNotify: false, lang });
  // Over the limit: one notice per window, then silence, so a flood of mentions gets no flood of replies.
  if (!admission.admitted) {
    if (admission.notice) await send(admission.notice);
    return;
  }

  await showTyping(channel, ctx.logger);
  const answerer = ctx.knowledge.current();
  const render = { canEmbed: access.canEmbed };
  const answered: Answered = outcome.kind === 'question' ? answerQuestion(outcome.text, answerer, lang(), render) : helpAnswer(answerer, 'pl', render);
  await send(answered.message);
  reportAnswered(ctx, { transport: 'gateway', via, userId: message.author.id, guildId: message.guildId, result: answered.result, latencyMs: performance.now() - startedAt });
}

/** Shows "Bot is typing…" until the answer arrives; waited for, so it never lands after the answer. */
async function showTyping(channel: SendableChannels, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const typing = channel.sendTyping().catch((error: unknown) => logger.debug({ err: error, channelId: channel.id }, 'typing indicator failed'));
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, TYPING_WAIT_MS);
  });
  await Promise.race([typing, timeout]);
  clearTimeout(timer);
}
