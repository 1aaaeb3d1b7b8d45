/**
 * Two-turn dialogues (`tests/fixtures/dialogues/`): a first question, then a follow-up read in the
 * light of its answer. Scored the way `ask --json --conversation` answers them: a follow-up is
 * right when its answer quotes an expected sentence (and a yes/no one does not put the opposite
 * first), a decline when nothing is answered.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { answer, conversationAfter, type Answerer } from '../../src/answering/answer.ts';
import { toReply } from '../../src/responder/reply.ts';
import { covers } from './question-sets.ts';

export const DIALOGUE_SETS = { development: ['development'], 'held-out': ['held-out-1', 'held-out-2', 'held-out-3'] } as const;
export type DialogueSetName = (typeof DIALOGUE_SETS)[keyof typeof DIALOGUE_SETS][number];

const dialogueSchema = z.array(
  z
    .object({
      turns: z.tuple([z.string().min(1), z.string().min(1)]),
      lang: z.enum(['pl', 'en']),
      /** What the follow-up does: ellipsis, pronoun, request, contrast, new-question, thanks, chit-chat, out-of-scope… */
      kind: z.string().min(1),
      /** Sentences an answer to the first turn may quote. */
      first: z.array(z.string().min(1)).min(1),
      /** Sentences an answer to the follow-up may quote; empty when it should be declined. */
      expect: z.array(z.string()),
      yesno: z.enum(['yes', 'no']).optional(),
    })
    .strict(),
);
export type Dialogue = z.infer<typeof dialogueSchema>[number];

export function loadDialogues(name: DialogueSetName): Dialogue[] {
  const file = fileURLToPath(new URL(`../fixtures/dialogues/${name}.json`, import.meta.url));
  return dialogueSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export interface Tally {
  right: number;
  total: number;
}

export interface DialogueScore {
  /** Follow-ups an entry answers, answered from it. */
  followUps: Tally;
  /** Follow-ups nothing answers (thanks, chit-chat, out of scope), declined. */
  declines: Tally;
  /** First turns answered from their entry (the context the follow-up gets). */
  first: Tally;
  byKind: Map<string, Tally>;
  /** The follow-ups that went wrong, for the development set only. */
  misses: { turns: readonly string[]; got: string | null }[];
}

/** `context: false` asks each follow-up on its own, as a bot without conversations would. */
export function scoreDialogues(dialogues: readonly Dialogue[], answerer: Answerer, { context = true } = {}): DialogueScore {
  const score: DialogueScore = { followUps: { right: 0, total: 0 }, declines: { right: 0, total: 0 }, first: { right: 0, total: 0 }, byKind: new Map(), misses: [] };
  const quotesOf = (result: ReturnType<typeof answer>) => (result.kind === 'answer' ? toReply(result, answerer.kb).attribution!.quotes.map((q) => q.quote) : []);
  for (const dialogue of dialogues) {
    const first = answer(dialogue.turns[0], answerer);
    count(score.first, first.kind === 'answer' && covers(quotesOf(first), dialogue.first));
    const after = context ? conversationAfter(first) : undefined;
    const followUp = answer(dialogue.turns[1], answerer, after ? { after } : {});
    let right: boolean;
    if (dialogue.expect.length === 0) right = followUp.kind !== 'answer';
    else {
      right = followUp.kind === 'answer' && covers(quotesOf(followUp), dialogue.expect);
      if (right && dialogue.yesno && followUp.kind === 'answer') right = followUp.verdict === undefined || followUp.verdict === dialogue.yesno;
    }
    count(dialogue.expect.length === 0 ? score.declines : score.followUps, right);
    const kind = score.byKind.get(dialogue.kind) ?? { right: 0, total: 0 };
    score.byKind.set(dialogue.kind, kind);
    count(kind, right);
    if (!right) score.misses.push({ turns: dialogue.turns, got: followUp.kind === 'answer' ? followUp.entry.id : null });
  }
  return score;
}

function count(tally: Tally, right: boolean): void {
  tally.total++;
  if (right) tally.right++;
}
