/**
 * The bot's own queue of outgoing DM and mention replies, bounded in what it holds.
 *
 * Discord lets a bot make 50 requests per second in all, and 5 messages per 5 seconds in one
 * channel; discord.js keeps to both and would queue any number of replies behind them. Here at most
 * `concurrency` replies are handed to the REST client at a time (at most `perChannel` of them for
 * one channel, so that one busy channel's own rate limit cannot hold up everyone else's answers).
 * The rest wait in order of arrival for as long as Discord's limits require: 200 questions in a few
 * busy channels take about 20 s, and every one is answered.
 *
 * Only memory bounds the queue: past `capacity` waiting, the oldest waiting notice is shed (a "you
 * are asking too fast" is worth less than an answer), or with none waiting the oldest answer. Its
 * asker is not left guessing: the channel is owed one short "too many questions at once, ask again"
 * notice, sent once the queue has room again (one per channel, for at most `capacity` channels).
 * Shedding is logged per question, and once per episode as a warning.
 *
 * So the bot's memory holds at most capacity + concurrency replies and the owed notices, whatever
 * the flood.
 */
import type { Logger } from '../log.ts';

export interface OutboxOptions {
  /** Replies handed to the REST client at once (each waits for Discord, or behind its rate limits there). */
  concurrency: number;
  /** Of those, at most this many for one channel (Discord allows 5 messages per 5 s in a channel). */
  perChannel: number;
  /** Replies waiting their turn: the memory bound, past which the oldest waiting reply is shed. */
  capacity: number;
}

/** Discord's global limit, which discord.js's REST client keeps to unless told otherwise. */
export const DISCORD_REQUESTS_PER_SECOND = 50;
/** Replies that may wait (a few megabytes): 100 s of Discord's global budget. */
export const MAX_WAITING = 5000;

/** About one second of Discord's global budget in flight, and as many waiting as memory allows. */
export const DEFAULT_OUTBOX: Readonly<OutboxOptions> = Object.freeze({ concurrency: 50, perChannel: 5, capacity: MAX_WAITING });

export interface OutgoingReply {
  channelId: string;
  /** Who asked where: the log context if the reply is dropped. */
  context: Record<string, unknown>;
  /** A notice rather than an answer: shed first when the queue is full. */
  notice?: boolean;
  /** Answers and sends; run once the reply's turn has come. */
  send(): Promise<void>;
  /** For an answer: what its channel is owed instead when it is shed ("too many questions at once"). */
  whenShed?: () => OutgoingReply;
}

/** `sent` once `send` has finished; `dropped` when it was shed from a full queue. */
export type OutboxResult = 'sent' | 'dropped';

interface Waiting {
  reply: OutgoingReply;
  enqueuedAt: number;
  settle: (result: OutboxResult) => void;
  fail: (error: unknown) => void;
}

export interface OutboxStats {
  running: number;
  waiting: number;
  /** The most replies ever waiting at once. */
  maxWaiting: number;
  /** The most replies ever running at once. */
  maxRunning: number;
  sent: number;
  dropped: number;
  /** Channels owed a "too many questions at once" notice for an answer that was shed. */
  owed: number;
}

export class Outbox {
  private readonly queue: Waiting[] = [];
  private readonly runningPerChannel = new Map<string, number>();
  private running = 0;
  private dropping = false;
  private droppedThisEpisode = 0;
  private readonly totals = { maxWaiting: 0, maxRunning: 0, sent: 0, dropped: 0 };
  /** Per channel, the notice owed for shed answers, in the order they were shed. */
  private readonly owed = new Map<string, OutgoingReply>();

  constructor(
    private readonly options: OutboxOptions,
    private readonly logger: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  stats(): OutboxStats {
    return { running: this.running, waiting: this.queue.length, ...this.totals, owed: this.owed.size };
  }

  /** Sends `reply` as soon as its turn comes; resolves once it is sent or dropped, rejects if sending fails. */
  submit(reply: OutgoingReply): Promise<OutboxResult> {
    return new Promise<OutboxResult>((settle, fail) => {
      this.queue.push({ reply, enqueuedAt: this.now(), settle, fail });
      if (this.queue.length > this.options.capacity) {
        const notice = this.queue.findIndex((waiting) => waiting.reply.notice === true);
        this.drop(this.queue.splice(notice >= 0 ? notice : 0, 1)[0]!, 'too many replies waiting');
      }
      this.totals.maxWaiting = Math.max(this.totals.maxWaiting, this.queue.length);
      this.pump();
    });
  }

  private pump(): void {
    this.payOwed();
    for (let index = 0; index < this.queue.length && this.running < this.options.concurrency; ) {
      const next = this.queue[index]!;
      // A channel at its share waits; later replies for other channels go ahead of it.
      if ((this.runningPerChannel.get(next.reply.channelId) ?? 0) >= this.options.perChannel) {
        index += 1;
        continue;
      }
      this.queue.splice(index, 1);
      this.start(next);
    }
    if (this.dropping && this.queue.length === 0 && this.owed.size === 0) {
      this.dropping = false;
      this.logger.info({ dropped: this.droppedThisEpisode }, 'reply queue drained: answering every question again');
      this.droppedThisEpisode = 0;
    }
  }

  /** Owed notices join the queue once it is at most half full: the flood is passing, and they go out behind it. */
  private payOwed(): void {
    for (const [channelId, notice] of this.owed) {
      if (this.queue.length >= this.options.capacity / 2) return;
      this.owed.delete(channelId);
      this.queue.push({ reply: notice, enqueuedAt: this.now(), settle: () => undefined, fail: () => undefined });
      this.totals.maxWaiting = Math.max(this.totals.maxWaiting, this.queue.length);
    }
  }

  private start(item: Waiting): void {
    const { channelId } = item.reply;
    this.running += 1;
    this.totals.maxRunning = Math.max(this.totals.maxRunning, this.running);
    this.runningPerChannel.set(channelId, (this.runningPerChannel.get(channelId) ?? 0) + 1);
    const finish = () => {
      this.running -= 1;
      const left = (this.runningPerChannel.get(channelId) ?? 1) - 1;
      if (left === 0) this.runningPerChannel.delete(channelId);
      else this.runningPerChannel.set(channelId, left);
      this.pump();
    };
    let sending: Promise<void>;
    try {
      sending = item.reply.send();
    } catch (error) {
      sending = Promise.reject(error);
    }
    sending.then(
      () => {
        this.totals.sent += 1;
        finish();
        item.settle('sent');
      },
      (error: unknown) => {
        finish();
        item.fail(error);
      },
    );
  }

  private drop(item: Waiting, reason: string): void {
    this.totals.dropped += 1;
    this.droppedThisEpisode += 1;
    if (!this.dropping) {
      this.dropping = true;
      this.logger.warn({ capacity: this.options.capacity, running: this.running }, 'reply queue full: not answering the oldest questions until it drains');
    }
    this.logger.info({ ...item.reply.context, reason, waitedMs: Math.round(this.now() - item.enqueuedAt), waiting: this.queue.length }, 'not answering: reply queue full');
    const { channelId, whenShed } = item.reply;
    if (whenShed && !this.owed.has(channelId) && this.owed.size < this.options.capacity) this.owed.set(channelId, whenShed());
    item.settle('dropped');
  }
}
