/**
 * Where servers' own entries are kept: one interface, with a SQLite file for a single host and
 * PostgreSQL for processes spread over several. Both keep the same three tables (entries, a change
 * log other processes follow, and an audit trail) and refuse the same things.
 */
import { randomInt } from 'node:crypto';
import { SERVER_ENTRY_LIMITS, type ServerEntry, type ServerEntryDraft } from './entry.ts';

export type AuditAction = 'add' | 'edit' | 'remove';

export interface AuditRow {
  action: AuditAction;
  entryId: string;
  /** The HMAC of the admin's user id, as hex: who did it can be matched, not read. */
  actor: string;
  /** Milliseconds since the epoch. */
  at: number;
}

export interface ServerKnowledgeStore {
  readonly kind: 'sqlite' | 'postgres';
  /** The server's entries, oldest first. */
  list(guildId: string): Promise<ServerEntry[]>;
  /**
   * Adds an entry. Refuses with StoreRefusal('duplicate') when the server already has the same
   * question (see questionKey), and StoreRefusal('full') at SERVER_ENTRY_LIMITS.entries. The count
   * check and the insert are one transaction, so two processes adding at once cannot pass the limit.
   */
  add(guildId: string, draft: ServerEntryDraft, actor: Buffer): Promise<ServerEntry>;
  /** Replaces question, phrasings and answer; undefined when the id is unknown in that server; StoreRefusal('duplicate') when the new question is another entry's. */
  edit(guildId: string, id: string, draft: ServerEntryDraft, actor: Buffer): Promise<ServerEntry | undefined>;
  /** False when the id is unknown in that server. */
  remove(guildId: string, id: string, actor: Buffer): Promise<boolean>;
  /** Servers whose entries changed after `cursor` (0 = from the start), and the cursor to pass next time. Every add/edit/remove makes one change row. */
  changesSince(cursor: number): Promise<{ cursor: number; guildIds: string[] }>;
  /** The latest cursor, without the changes: where a process starting now begins. */
  latestCursor(): Promise<number>;
  /** Audit rows, newest first, at most `limit`. */
  audit(guildId: string, limit?: number): Promise<AuditRow[]>;
  close(): Promise<void>;
}

export interface ServerKnowledgeOptions {
  /** The clock of createdAt, updatedAt and the audit (milliseconds); tests pass their own. */
  now?: () => number;
}

export const DEFAULT_AUDIT_LIMIT = 50;

/** An add or edit the server's admin must change: the message can be shown to them as it is. */
export class StoreRefusal extends Error {
  constructor(readonly reason: 'duplicate' | 'full') {
    super(
      reason === 'duplicate'
        ? 'This server already has an entry with this question.'
        : `This server already has ${SERVER_ENTRY_LIMITS.entries} entries, the most it can have: remove one first.`,
    );
    this.name = 'StoreRefusal';
  }
}

/** The store cannot be opened or used; the message says what to fix. */
export class ServerKnowledgeStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServerKnowledgeStoreError';
  }
}

/**
 * What two questions must share to count as the same one: "Kiedy jest meetup?" and
 * "kiedy  jest MEETUP?" and "Kiédy jest meetup?" are one question to the admins who wrote them.
 * Case is folded after NFKD because decomposition can yield capitals (Ⅻ → XII).
 */
export function questionKey(question: string): string {
  return question
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}+/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const ENTRY_ID_PATTERN = /^[a-z0-9]{8}$/;

/** 8 random characters of [a-z0-9]: short enough for a button's custom id, not guessable from another. */
export function newEntryId(): string {
  let id = '';
  for (let i = 0; i < 8; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** Guards what is written as the actor: an HMAC, never a user id passed by mistake as text. */
export function checkActor(actor: Buffer): Buffer {
  if (!Buffer.isBuffer(actor) || actor.length === 0) throw new TypeError('The actor must be the HMAC of the admin\'s user id (a non-empty Buffer), never the id itself.');
  return actor;
}

export function auditLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_AUDIT_LIMIT;
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : DEFAULT_AUDIT_LIMIT;
}
