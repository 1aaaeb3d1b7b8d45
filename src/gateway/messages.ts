import { cachedAnswer } from '../bot/answer-cache.ts';
import { conversationAfter } from '../answering/answer.ts';
import { reportAnswered, votesEnabled, type BotContext } from '../bot/context.ts';
import { conversationOfAnswer, type DmConversations } from '../bot/conversations.ts';
import { admitQuestion } from '../bot/limits.ts';
import { answerQuestion, helpAnswer, overloadNotice, questionLanguage, readAsked, type Answered, type Via } from '../bot/replies.ts';
import type { Answerer, ReadQuestion } from '../answering/answer.ts';
import type { Lang } from '../knowledge/schema.ts';
import { newAnswerRef, withVoteButtons } from '../feedback/vote-buttons.ts';
import type { DiscordMessage } from '../responder/render-discord.ts';
import type { IncomingMessage } from './message-payload.ts';
import type { MessageQuestion } from './message-question.ts';
import type { RenderReply, ReplyOutcome, ReplySender, ReplyTarget } from './message-reply.ts';
import type { Outbox, OutgoingReply } from './outbox.ts';

/** What the message path sends through: the bot's reply queue and the REST sender behind it. */
export interface MessageIO {
  /** The bot's own user id, from READY. */
  botId: string;
  outbox: Outbox;
  replies: ReplySender;
  /** The last answer in each DM, which a DM without a reply goes on from. */
  conversations: DmConversations;
}

/**
 * A DM to the bot, or a server message that mentions it or replies to it: answered in the same
 * channel, as a reply to the question in servers, with one request. A reply to one of the bot's
 * answers, and a DM after one, is read in that answer's light. Everything else is ignored without a
 * single request.
 */
export async function handleMessage(message: IncomingMessage, outcome: Exclude<MessageQuestion, { kind: 'ignore' }>, ctx: BotContext, io: MessageIO): Promise<void> {
  const startedAt = performance.now();

  const via = viaOf(message, io.botId);
  // The answer a reply replies to carries its own context; a DM otherwise goes on from the last answer.
  const repliedTo = message.repliesTo?.authorId === io.botId ? conversationOfAnswer(message.repliesTo.customIds) : undefined;
  const after = repliedTo ?? (message.guildId === null ? io.conversations.get(message.channelId) : undefined);
  const asker = { via, userId: message.authorId, guildId: message.guildId };
  const where = { ...asker, channelId: message.channelId };
  if (io.replies.knownRefused(message.channelId)) {
    ctx.logger.warn(where, 'cannot answer: Discord refused the bot\'s last reply in this channel');
    return;
  }
  const target: ReplyTarget = {
    channelId: message.channelId,
    guildId: message.guildId,
    ...(via === 'dm' ? {} : { replyTo: message.id }),
    context: { ...where, messageId: message.id },
  };

  // The question's own language decides here (an empty mention gets the help in Polish). It is
  // worked out only after the limit, so a refused flood costs no reading. An answered question is
  // read once, for its language and its answer (again only if the knowledge base was reloaded in
  // between); a notice owed instead of an answer reads no more than the language.
  let read: { answerer: Answerer; question: ReadQuestion } | undefined;
  const readOnce = (text: string, answerer: Answerer): ReadQuestion => {
    if (read?.answerer !== answerer) read = { answerer, question: readAsked(text, answerer, after) };
    return read.question;
  };
  let detected: Lang | undefined;
  const lang = () => (detected ??= outcome.kind !== 'question' ? (after?.lang ?? 'pl') : (read?.question.lang ?? questionLanguage(outcome.text, ctx.knowledge.current(), after)));
  const admission = await admitQuestion(ctx.limits.questions, asker, ctx.logger, { alwaysNotify: false, lang });
  // Over the limit: one notice per window, then silence, so a flood of mentions gets no flood of replies.
  if (!admission.admitted) {
    const notice = admission.notice;
    if (notice) await queue(io, { ...target, context: { ...target.context, reply: 'notice' } }, () => notice, { notice: true });
    return;
  }

  // The server's own best entry, looked up now (its index may have to be loaded) and ranked with
  // the article's answer when the reply's turn comes.
  const server = message.guildId && outcome.kind === 'question' && ctx.serverKnowledge ? await ctx.serverKnowledge.match(message.guildId, outcome.text) : undefined;
  // Answered when its turn comes, so a question dropped from a full queue costs no reading; a
  // question asked before in this form is answered from the cache.
  let answered: Answered | undefined;
  let answerRef: string | undefined;
  const render: RenderReply = ({ canEmbed }) => {
    const answerer = ctx.knowledge.current();
    const key = `${canEmbed ? 'embed' : 'text'}:${after ? `after:${after.entryId}:${after.lang}:` : ''}${outcome.kind === 'question' ? `q:${outcome.text}` : 'help'}`;
    const fresh = () => {
      if (outcome.kind !== 'question') return helpAnswer(answerer, lang(), { canEmbed });
      const question = readOnce(outcome.text, answerer);
      return answerQuestion(question, answerer, lang(), { canEmbed, after, server });
    };
    // The cache is shared by every server: a question one server's own entry matched is not cached.
    const reply = server ? fresh() : cachedAnswer(answerer, key, fresh);
    answered = reply;
    // Every answer carries 👍 and 👎 when votes can be stored; the cached reply itself stays shared and unchanged.
    if (reply.result.kind !== 'answer' || !votesEnabled(ctx)) return reply.message;
    answerRef ??= newAnswerRef();
    return withVoteButtons(reply.message, reply.result.entry.id, answerRef);
  };
  // Shed from a full queue, the answer leaves its channel owed one "ask again" notice instead.
  const whenShed = () => ({ target: { ...target, context: { ...target.context, reply: 'overloaded' } }, message: overloadNotice(lang()) });
  const sent = await queue(io, { ...target, context: { ...target.context, reply: 'answer' } }, render, { whenShed });
  if (sent && answered) {
    const next = conversationAfter(answered.result);
    if (next && message.guildId === null) io.conversations.set(message.channelId, next);
    reportAnswered(ctx, {
      transport: 'gateway',
      ...asker,
      result: answered.result,
      latencyMs: performance.now() - startedAt,
      ...(answerRef ? { answerRef } : {}),
    });
  }
}

/** A DM, a written mention in a server, or a reply to the bot there without one. */
export function viaOf(message: IncomingMessage, botId: string): Via {
  if (message.guildId === null) return 'dm';
  return message.repliesTo?.authorId === botId && !message.content.includes(`<@${botId}>`) && !message.content.includes(`<@!${botId}>`) ? 'reply' : 'mention';
}

interface QueueOptions {
  notice?: boolean;
  whenShed?: () => { target: ReplyTarget; message: DiscordMessage };
}

/** Queues one reply; true once Discord accepted it, false when shed from the queue or refused. */
async function queue(io: MessageIO, target: ReplyTarget, render: RenderReply | (() => DiscordMessage), { notice = false, whenShed }: QueueOptions = {}): Promise<boolean> {
  const sent = { outcome: 'refused' as ReplyOutcome };
  const result = await io.outbox.submit(outgoing(io, target, render, notice, sent, whenShed));
  return result === 'sent' && sent.outcome === 'sent';
}

function outgoing(
  io: MessageIO,
  target: ReplyTarget,
  render: RenderReply | (() => DiscordMessage),
  notice: boolean,
  sent: { outcome: ReplyOutcome },
  whenShed?: QueueOptions['whenShed'],
): OutgoingReply {
  return {
    channelId: target.channelId,
    context: target.context,
    notice,
    send: async () => {
      sent.outcome = await io.replies.send(target, render);
    },
    ...(whenShed
      ? {
          whenShed: () => {
            const owed = whenShed();
            // The owed notice goes in the channel, not as a reply to one question of many.
            const { replyTo: _replyTo, ...inChannel } = owed.target;
            return outgoing(io, inChannel, () => owed.message, true, { outcome: 'refused' });
          },
        }
      : {}),
  };
}
