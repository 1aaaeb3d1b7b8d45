/**
 * Server knowledge as the bot uses it: the store (SQLite or PostgreSQL) for what admins write, the
 * per-server search indexes for answering, and a watch on the store's changes so that an entry
 * added through another process (a shard elsewhere, an HTTP replica) answers here within a second.
 */
import type { Logger } from '../log.ts';
import type { ServerEntry, ServerEntryDraft } from './entry.ts';
import { createServerIndexes, type ServerMatch } from './search-index.ts';
import type { ServerKnowledgeStore } from './store.ts';

export interface ServerKnowledge {
  readonly storage: ServerKnowledgeStore['kind'];
  /** The server's best entry for the question, if one matches; undefined too when the store is unreachable (logged). */
  match(guildId: string, question: string): Promise<ServerMatch | undefined>;
  list(guildId: string): Promise<ServerEntry[]>;
  /** `adminId` is hashed before it reaches the store's audit. Refusals are StoreRefusal. */
  add(guildId: string, draft: ServerEntryDraft, adminId: string): Promise<ServerEntry>;
  edit(guildId: string, id: string, draft: ServerEntryDraft, adminId: string): Promise<ServerEntry | undefined>;
  /** False when the id is unknown in that server. */
  remove(guildId: string, id: string, adminId: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface ServerKnowledgeOptions {
  store: ServerKnowledgeStore;
  /** The keyed hash user ids are stored under (the feedback database's). */
  hashUser: (userId: string) => Buffer;
  logger: Logger;
  /** How often other processes' changes are looked for. */
  watchEveryMs?: number;
}

export const DEFAULT_WATCH_EVERY_MS = 500;

export async function startServerKnowledge({ store, hashUser, logger, watchEveryMs = DEFAULT_WATCH_EVERY_MS }: ServerKnowledgeOptions): Promise<ServerKnowledge> {
  const indexes = createServerIndexes({ load: (guildId) => store.list(guildId) });
  let cursor = await store.latestCursor();
  let watching = false;
  let unreachableLogged = false;

  const watch = async () => {
    if (watching) return;
    watching = true;
    try {
      const changes = await store.changesSince(cursor);
      cursor = changes.cursor;
      for (const guildId of changes.guildIds) indexes.invalidate(guildId);
      if (unreachableLogged) logger.info({ storage: store.kind }, 'server knowledge: store reachable again');
      unreachableLogged = false;
    } catch (error) {
      if (!unreachableLogged) logger.warn({ err: error, storage: store.kind }, 'server knowledge: cannot read changes; answering from what is loaded');
      unreachableLogged = true;
    } finally {
      watching = false;
    }
  };
  const timer = setInterval(() => void watch(), watchEveryMs);
  timer.unref();

  // A change made here answers at once, without waiting for the watch.
  const changed = <T>(guildId: string, result: T): T => {
    indexes.invalidate(guildId);
    return result;
  };

  return {
    storage: store.kind,
    async match(guildId, question) {
      try {
        return await indexes.search(guildId, question);
      } catch (error) {
        logger.warn({ err: error, guildId, storage: store.kind }, 'server knowledge: cannot search; answering from the article alone');
        return undefined;
      }
    },
    list: (guildId) => store.list(guildId),
    async add(guildId, draft, adminId) {
      return changed(guildId, await store.add(guildId, draft, hashUser(adminId)));
    },
    async edit(guildId, id, draft, adminId) {
      return changed(guildId, await store.edit(guildId, id, draft, hashUser(adminId)));
    },
    async remove(guildId, id, adminId) {
      return changed(guildId, await store.remove(guildId, id, hashUser(adminId)));
    },
    async close() {
      clearInterval(timer);
      await store.close();
    },
  };
}
