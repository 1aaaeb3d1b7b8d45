import type { Config } from '../config.ts';
import { resolveSecret, userHasher } from '../feedback/user-hash.ts';
import type { Logger } from '../log.ts';
import { displayUrl } from '../redact.ts';
import { openPostgresServerKnowledge } from './postgres-store.ts';
import { startServerKnowledge, type ServerKnowledge } from './service.ts';
import { openSqliteServerKnowledge } from './sqlite-store.ts';

/**
 * Servers' own knowledge on PostgreSQL (DATABASE_URL), shared by every process, or in the SQLite file
 * FEEDBACK_DB. A database that cannot be opened is logged, and the bot answers from the article alone
 * (the command then says server knowledge is off), as with feedback.
 */
export async function openServerKnowledge(
  config: Pick<Config, 'databaseUrl' | 'feedback'>,
  logger: Logger,
  { feedbackOpened }: { feedbackOpened: boolean },
): Promise<ServerKnowledge | undefined> {
  const path = config.feedback?.path ?? null;
  if (!config.databaseUrl && !path) {
    logger.info('server knowledge: off (FEEDBACK_DB=off and no DATABASE_URL)');
    return undefined;
  }
  // The same file the feedback store could not open (already logged as an error): not tried twice.
  if (!config.databaseUrl && !feedbackOpened) {
    logger.info('server knowledge: off until a restart (its database is FEEDBACK_DB, which cannot be opened)');
    return undefined;
  }
  const where = config.databaseUrl ? displayUrl(config.databaseUrl) : path!;
  try {
    const store = config.databaseUrl ? await openPostgresServerKnowledge(config.databaseUrl) : openSqliteServerKnowledge(path!);
    // Admins are hashed with the feedback database's key: FEEDBACK_SECRET (required with DATABASE_URL), or the key beside the file.
    const secret = config.feedback?.secret ?? resolveSecret(undefined, path!).secret;
    const knowledge = await startServerKnowledge({ store, hashUser: userHasher(secret), logger });
    logger.info({ storage: store.kind, database: where }, 'server knowledge: ready');
    return knowledge;
  } catch (error) {
    logger.error({ err: error, database: where }, 'server knowledge: cannot open its database; answering from the article alone');
    return undefined;
  }
}
