/**
 * A server's own entry: a question its admins answered for their community (when the next meetup
 * is, which channel has job offers). It answers in that server only, beside the article's entries,
 * and is shown as the server's knowledge, with its date and without any user id.
 */
export interface ServerEntry {
  /** Short and stable within the server (8 characters of [a-z0-9]), so that it fits a custom id. */
  readonly id: string;
  readonly guildId: string;
  readonly question: string;
  /** Other ways to ask the same, one per line in the form; may be empty. */
  readonly phrasings: readonly string[];
  readonly answer: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What an admin writes in the form: an entry before it is stored. */
export interface ServerEntryDraft {
  readonly question: string;
  readonly phrasings: readonly string[];
  readonly answer: string;
}

export const SERVER_ENTRY_LIMITS = {
  /** Entries per server. */
  entries: 500,
  questionLength: 200,
  phrasings: 20,
  phrasingLength: 200,
  answerLength: 1500,
} as const;
