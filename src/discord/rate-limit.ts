/**
 * A per-user question limit: at most `max` questions in any `windowMs` (a sliding window). Over the
 * limit a user is told once per window when to come back and is otherwise ignored, so one person
 * cannot flood a channel or use up the bot's request budget with Discord. Pure and synchronous; the
 * clock is injectable so tests need no timers.
 */

export interface RateLimitOptions {
  /** Questions allowed per user within one window. */
  max: number;
  windowMs: number;
  /** Milliseconds; Date.now by default. */
  now?: () => number;
  /**
   * Users remembered at most. Idle users are forgotten anyway; the cap only matters when very many
   * different users ask within one window, and then the longest-quiet user is forgotten first.
   */
  maxUsers?: number;
}

export type RateDecision =
  | { allowed: true }
  /**
   * `retryInMs`: until the oldest counted question leaves the window and one may be asked again.
   * `notify`: tell the user (the first refusal in a window); otherwise stay silent.
   */
  | { allowed: false; retryInMs: number; notify: boolean };

interface UserRecord {
  /** When the user's allowed questions were asked, oldest first; at most `max`, all within the window. */
  asked: number[];
  /** When the user was last told about the limit. */
  notifiedAt: number | undefined;
}

export const DEFAULT_MAX_TRACKED_USERS = 10_000;

export class RateLimiter {
  readonly max: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly maxUsers: number;
  private readonly users = new Map<string, UserRecord>();
  private lastSweep: number;

  constructor({ max, windowMs, now = Date.now, maxUsers = DEFAULT_MAX_TRACKED_USERS }: RateLimitOptions) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a whole number of at least 1, got ${max}`);
    if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
    if (!Number.isInteger(maxUsers) || maxUsers < 1) throw new RangeError(`maxUsers must be a whole number of at least 1, got ${maxUsers}`);
    this.max = max;
    this.windowMs = windowMs;
    this.now = now;
    this.maxUsers = maxUsers;
    this.lastSweep = now();
  }

  /** Counts a question from `userId` if it is within the limit, and says what to do with it. */
  check(userId: string): RateDecision {
    const now = this.now();
    this.sweepIfDue(now);
    const record = this.users.get(userId) ?? { asked: [], notifiedAt: undefined };
    record.asked = record.asked.filter((at) => at > now - this.windowMs);

    let decision: RateDecision;
    if (record.asked.length < this.max) {
      record.asked.push(now);
      decision = { allowed: true };
    } else {
      const notify = record.notifiedAt === undefined || now >= record.notifiedAt + this.windowMs;
      if (notify) record.notifiedAt = now;
      decision = { allowed: false, retryInMs: record.asked[0]! + this.windowMs - now, notify };
    }
    this.remember(userId, record);
    return decision;
  }

  /** How many users are remembered right now; for tests and diagnostics. */
  get trackedUsers(): number {
    return this.users.size;
  }

  private remember(userId: string, record: UserRecord): void {
    // Re-inserting keeps the map ordered from the longest-quiet user to the latest one.
    this.users.delete(userId);
    if (this.users.size >= this.maxUsers) {
      this.sweep(this.now());
      // Still full: forgetting someone only resets their count, which is better than unbounded memory.
      for (const oldest of this.users.keys()) {
        if (this.users.size < this.maxUsers) break;
        this.users.delete(oldest);
      }
    }
    this.users.set(userId, record);
  }

  /** Once per window, forget users with nothing left to remember: no recent question, no recent notice. */
  private sweepIfDue(now: number): void {
    if (now - this.lastSweep >= this.windowMs) this.sweep(now);
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [userId, record] of this.users) {
      const lastAsked = record.asked.at(-1);
      const quiet = (lastAsked === undefined || lastAsked <= now - this.windowMs) && (record.notifiedAt === undefined || now >= record.notifiedAt + this.windowMs);
      if (quiet) this.users.delete(userId);
    }
  }
}
