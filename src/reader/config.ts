import type { TrainingOptions } from './train.ts';

/**
 * The shape shared by the heads: fastText's defaults for short texts, trained briefly at a high
 * rate. Each head keeps only its longest feature vectors (`maxRows`), which keeps the model at a
 * few megabytes with no measurable loss on the development sets.
 */
const HEAD: TrainingOptions = { dim: 16, epochs: 15, learningRate: 1, seed: 1, minn: 3, maxn: 5, wordNgrams: 2 };

/**
 * How the reader is trained, in one frozen object. Every value is part of a model's digest, so a
 * change here makes the model stale and the next start retrains it. `format` is bumped whenever the
 * features or the training change in code.
 */
export const READER_CONFIG = Object.freeze({
  format: 19,
  /**
   * Which entry (or small talk, thanks, or none) a message asks for. 24 numbers a vector rather
   * than 16: in cross-validation by brief, 0.3 points more in scope answered and 0.3 more declined.
   * 12 passes rather than 15, as the asks head, with the follow head at 10: as good and a fifth
   * quicker to train. In cross-validation by brief, 95.88% in scope and 93.64% declined against
   * 95.94% and 93.39%, 20,738 yes/no questions right first and 489 the opposite against 20,711
   * and 496; follow-ups 88.98% answered and 92.21% declined against 89.12% and 92.15%.
   */
  topic: Object.freeze<TrainingOptions>({ ...HEAD, dim: 24, epochs: 12, maxRows: 40_000 }),
  /**
   * Whether it is a yes/no question the article settles; 12 passes, as the topic head. With
   * ordered word pairs up to four apart ("X czy Y?" is a choice, not a yes/no question), in
   * cross-validation by brief 93.6% of open questions are read as open against 91.1%, and 91.9%
   * of yes/no questions as yes/no against 91.5%.
   * 40,000 rows rather than 15,000: the rarer words keep their say, so a yes/no question typed
   * without a question mark is still one ("czy back office mozna robic poza siedziba firmy"). In
   * cross-validation by brief, with the bar raised to match (ANSWER_CONFIG.yesOrNo), 73.4% of
   * yes/no questions got their verdict first against 72.6%, with 422 the opposite against 418.
   */
  asks: Object.freeze<TrainingOptions>({ ...HEAD, seed: 2, epochs: 12, maxRows: 40_000, pairReach: 4 }),
  /**
   * Whether the claim of such a question holds, per entry. Its features are read twice (in general
   * and of one entry), so it keeps more of them: in cross-validation by brief, 87,000 rows against
   * 40,000 gave 0.8 points more yes/no questions their right verdict first and 10 fewer opposite
   * ones. Ordered word pairs up to four apart tell swapped roles apart: in cross-validation by
   * brief, 72.7% of yes/no questions got the right verdict first and 405 the opposite, against 71.6%
   * and 440 without them (with the 98% bar against 98.5%).
   */
  truth: Object.freeze<TrainingOptions>({ ...HEAD, seed: 3, maxRows: 87_000, pairReach: 4 }),
  /**
   * Which entry a follow-up asks for, read in the light of the entry just answered; 24 numbers a
   * vector: 0.6 points more follow-ups answered in cross-validation. Its features are read twice
   * (alone and after one entry), so it keeps more of them: in cross-validation by follow-up brief,
   * 80,000 rows against 40,000 answered 86.2% of follow-ups against 85.7% and declined 92.5% against
   * 92.1% (120,000: 86.4% and 92.7%, for twice the memory again). 10 passes rather than 15: the
   * longest head to train (22 s of one thread at 32,000 follow-ups and 10 passes), with the same
   * results in cross-validation by follow-up brief (at 12: 88.70% answered and 92.48% declined,
   * against 88.78% and 92.22% at 15; at 10, see the topic head).
   */
  follow: Object.freeze<TrainingOptions>({ ...HEAD, dim: 24, epochs: 10, seed: 5, maxRows: 80_000 }),
  /** Polish or English, for messages typed without Polish letters: small, since a few letters tell. Same features as the topic's, read once for both. */
  lang: Object.freeze<TrainingOptions>({ ...HEAD, dim: 8, epochs: 5, seed: 4, maxRows: 20_000 }),
});
