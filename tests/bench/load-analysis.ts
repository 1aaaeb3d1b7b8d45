/**
 * Turns what the Discord test server recorded during a load phase into outcomes per question:
 * answered, rate-limited with a notice, rate-limited silently, or lost. Pure, so the rules can be
 * read in one place:
 *
 * - A mention is answered with a reply that references it: matched exactly.
 * - A DM reply carries no reference. It is matched within the asker's DM channel: an answer to the
 *   earliest question still waiting that was sent before the reply arrived, preferring one whose
 *   expected answer (from the answering core) has the reply's title; then a notice the same way.
 * - A question without a reply was rate-limited silently when the same user got a notice for a
 *   question sent no later than it and at most one limiter window (plus a second of slack) before
 *   it: "one notice per window, then silence". It was dropped when the bot logged that its reply
 *   queue did not answer it. Any other question without a reply is lost.
 */

export type ReplyKind = 'answer' | 'notice';

export interface SentQuestion {
  /** The message id. */
  id: string;
  userId: string;
  channelId: string;
  dm: boolean;
  /** performance.now() just before the gateway dispatch. */
  sentAt: number;
  /** The embed title the answering core gives this question; undefined for the bare bot. */
  expectedTitle: string | undefined;
}

export interface RecordedReply {
  channelId: string;
  /** performance.now() when the test server had read the request (its `at`). */
  at: number;
  /** message_reference.message_id, when the reply is a reply. */
  reference: string | undefined;
  kind: ReplyKind;
  title: string | undefined;
}

export interface PhaseOutcome {
  questions: number;
  answered: number;
  notices: number;
  silent: number;
  /** Not answered by the bot's bounded reply queue, and logged so. */
  dropped: number;
  lost: number;
  /** Answers whose title differs from the answering core's answer to the question. */
  differing: number;
  /** Second replies to a question already replied to. */
  duplicates: number;
  /** Replies no question could be matched with. */
  unmatched: number;
  /** Dispatch → reply at the REST API, ms. */
  answerLatencies: number[];
  noticeLatencies: number[];
  lostSamples: SentQuestion[];
}

const SILENCE_SLACK_MS = 1000;

export function analysePhase(
  questions: readonly SentQuestion[],
  replies: readonly RecordedReply[],
  options: { dmOwners: ReadonlyMap<string, string>; limiterWindowMs: number; dropped?: ReadonlySet<string> },
): PhaseOutcome {
  const byId = new Map(questions.map((question) => [question.id, question]));
  const outcome = new Map<string, { kind: ReplyKind; at: number }>();
  let duplicates = 0;
  let unmatched = 0;
  let differing = 0;

  const settle = (question: SentQuestion, reply: RecordedReply) => {
    outcome.set(question.id, { kind: reply.kind, at: reply.at });
    if (reply.kind === 'answer' && question.expectedTitle !== undefined && reply.title !== question.expectedTitle) differing += 1;
  };

  const dmReplies = new Map<string, RecordedReply[]>();
  for (const reply of [...replies].sort((a, b) => a.at - b.at)) {
    if (reply.reference !== undefined) {
      const question = byId.get(reply.reference);
      if (!question) unmatched += 1;
      else if (outcome.has(question.id)) duplicates += 1;
      else settle(question, reply);
      continue;
    }
    const owner = options.dmOwners.get(reply.channelId);
    if (owner === undefined) {
      unmatched += 1;
      continue;
    }
    const list = dmReplies.get(owner) ?? [];
    list.push(reply);
    dmReplies.set(owner, list);
  }

  const byUser = new Map<string, SentQuestion[]>();
  for (const question of [...questions].sort((a, b) => a.sentAt - b.sentAt)) {
    const list = byUser.get(question.userId) ?? [];
    list.push(question);
    byUser.set(question.userId, list);
  }

  for (const [userId, userReplies] of dmReplies) {
    const dmQuestions = (byUser.get(userId) ?? []).filter((question) => question.dm);
    for (const kind of ['answer', 'notice'] as const) {
      for (const reply of userReplies.filter((r) => r.kind === kind)) {
        const waiting = dmQuestions.filter((question) => !outcome.has(question.id) && question.sentAt <= reply.at);
        const match = (kind === 'answer' ? waiting.find((question) => question.expectedTitle === reply.title) : undefined) ?? waiting[0];
        if (match) settle(match, reply);
        else if (dmQuestions.length > 0) duplicates += 1;
        else unmatched += 1;
      }
    }
  }

  const result: PhaseOutcome = {
    questions: questions.length,
    answered: 0,
    notices: 0,
    silent: 0,
    dropped: 0,
    lost: 0,
    differing,
    duplicates,
    unmatched,
    answerLatencies: [],
    noticeLatencies: [],
    lostSamples: [],
  };
  for (const question of questions) {
    const got = outcome.get(question.id);
    if (got?.kind === 'answer') {
      result.answered += 1;
      result.answerLatencies.push(got.at - question.sentAt);
    } else if (got?.kind === 'notice') {
      result.notices += 1;
      result.noticeLatencies.push(got.at - question.sentAt);
    } else if (silencedByNotice(question, byUser.get(question.userId) ?? [], outcome, options.limiterWindowMs)) {
      result.silent += 1;
    } else if (options.dropped?.has(question.id)) {
      result.dropped += 1;
    } else {
      result.lost += 1;
      if (result.lostSamples.length < 5) result.lostSamples.push(question);
    }
  }
  return result;
}

function silencedByNotice(
  question: SentQuestion,
  sameUser: readonly SentQuestion[],
  outcome: ReadonlyMap<string, { kind: ReplyKind }>,
  windowMs: number,
): boolean {
  return sameUser.some(
    (other) =>
      outcome.get(other.id)?.kind === 'notice' &&
      other.sentAt <= question.sentAt &&
      question.sentAt - other.sentAt <= windowMs + SILENCE_SLACK_MS,
  );
}
