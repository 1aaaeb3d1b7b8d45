/**
 * The bot's own queue of outgoing DM and mention replies, bounded in what it holds and in how long
 * a question may wait in it.
 *
 * Discord lets a bot make 50 requests per second in all, and discord.js would queue any number of
 * replies behind that limit: under a flood of questions, each within its user's own limit, answers
 * would wait for tens of seconds and the queue would grow without end. Here at most `concurrency`
 * replies are handed to the REST client at a time (at most `perChannel` of them for one channel, so
 * that one busy channel's own rate limit cannot hold up everyone else's answers). The rest wait in
 * order of arrival, at most `capacity` of them: as many as can go out within `maxWaitMs` at the REST
 * client's global rate, so 200 at Discord's 50 requests per second. Past that the oldest waiting
 * notice is dropped (a "you are asking too fast" is worth less than an answer), or with none waiting
 * the oldest answer; and so is one that has waited longer than `maxWaitMs` by the time its turn comes.
 * Dropping is logged per question, and once per episode as a warning.
 *
 * So a question is answered within about `maxWaitMs` of asking, or not at all, and the bot's memory
 * holds at most capacity + concurrency replies, whatever the flood.
 */
import type { Logger } from '../log.ts';

export interface OutboxOptions {
  /** Replies handed to the REST client at once (each waits for Discord, or behind its rate limits there). */
  concurrency: number;
  /** Of those, at most this many for one channel (Discord allows 5 messages per 5 s in a channel). */
  perChannel: number;
  /** Replies waiting their turn; past this the oldest question is not answered. Read at each arrival. */
  capacity: number | (() => number);
  /** A question that has waited this long for its turn is not answered any more. */
  maxWaitMs: number;
}

/** Discord's global limit, which discord.js's REST client keeps to unless told otherwise. */
export const DISCORD_REQUESTS_PER_SECOND = 50;
/** However fast replies can go out, no more than this many wait (a few megabytes). */
export const MAX_WAITING = 5000;

/** About one second of Discord's global budget in flight, and at most five seconds' wait. */
export const DEFAULT_OUTBOX: Readonly<OutboxOptions> = Object.freeze({
  concurrency: 50,
  perChannel: 5,
  capacity: waitingCapacity(DISCORD_REQUESTS_PER_SECOND, { concurrency: 50, maxWaitMs: 5000 }),
  maxWaitMs: 5000,
});

/**
 * How many replies may wait so that the last of them still goes out within `maxWaitMs`, at
 * `requestsPerSecond` and behind the `concurrency` already in flight: 200 at 50 per second.
 */
export function waitingCapacity(requestsPerSecond: number, { concurrency, maxWaitMs }: Pick<OutboxOptions, 'concurrency' | 'maxWaitMs'>): number {
  return Math.min(MAX_WAITING, Math.max(concurrency, Math.floor((requestsPerSecond * maxWaitMs) / 1000) - concurrency));
}

export interface OutgoingReply {
  channelId: string;
  /** Who asked where: the log context if the reply is dropped. */
  context: Record<string, unknown>;
  /** A notice rather than an answer: dropped first when the queue is full. */
  notice?: boolean;
  /** Answers and sends; run once the reply's turn has come. */
  send(): Promise<void>;
}

/** `sent` once `send` has finished; `dropped` when the question was not answered. */
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
}

export class Outbox {
  private readonly queue: Waiting[] = [];
  private readonly runningPerChannel = new Map<string, number>();
  private running = 0;
  private dropping = false;
  private droppedThisEpisode = 0;
  private readonly totals = { maxWaiting: 0, maxRunning: 0, sent: 0, dropped: 0 };

  constructor(
    private readonly options: OutboxOptions,
    private readonly logger: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private capacity(): number {
    const { capacity } = this.options;
    return typeof capacity === 'function' ? capacity() : capacity;
  }

  stats(): OutboxStats {
    return { running: this.running, waiting: this.queue.length, ...this.totals };
  }

  /** Sends `reply` as soon as its turn comes; resolves once it is sent or dropped, rejects if sending fails. */
  submit(reply: OutgoingReply): Promise<OutboxResult> {
    return new Promise<OutboxResult>((settle, fail) => {
      this.queue.push({ reply, enqueuedAt: this.now(), settle, fail });
      if (this.queue.length > this.capacity()) {
        const notice = this.queue.findIndex((waiting) => waiting.reply.notice === true);
        this.drop(this.queue.splice(notice >= 0 ? notice : 0, 1)[0]!, 'too many replies waiting');
      }
      this.totals.maxWaiting = Math.max(this.totals.maxWaiting, this.queue.length);
      this.pump();
    });
  }

  private pump(): void {
    for (let index = 0; index < this.queue.length && this.running < this.options.concurrency; ) {
      const next = this.queue[index]!;
      if (this.now() - next.enqueuedAt > this.options.maxWaitMs) {
        this.queue.splice(index, 1);
        this.drop(next, 'waited too long');
        continue;
      }
      // A channel at its share waits; later replies for other channels go ahead of it.
      if ((this.runningPerChannel.get(next.reply.channelId) ?? 0) >= this.options.perChannel) {
        index += 1;
        continue;
      }
      this.queue.splice(index, 1);
      this.start(next);
    }
    if (this.dropping && this.queue.length === 0) {
      this.dropping = false;
      this.logger.info({ dropped: this.droppedThisEpisode }, 'reply queue drained: answering every question again');
      this.droppedThisEpisode = 0;
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
      this.logger.warn(
        { capacity: this.capacity(), maxWaitMs: this.options.maxWaitMs, running: this.running },
        'reply queue full: not answering the oldest questions until it drains',
      );
    }
    this.logger.info({ ...item.reply.context, reason, waitedMs: Math.round(this.now() - item.enqueuedAt), waiting: this.queue.length }, 'not answering: reply queue full');
    item.settle('dropped');
  }
}
