/**
 * What every PostgreSQL store of the bot shares (servers' own knowledge, the feedback): a pool whose
 * schema steps are applied once however many processes start together, and errors that say what to
 * fix without ever showing the URL's password.
 */
import pg from 'pg';

export interface PoolOptions {
  /** Shown in pg_stat_activity, e.g. "bpo-discord-bot feedback". */
  name: string;
  max: number;
  connectionTimeoutMs: number;
  /**
   * The server ends a statement that runs longer (a table locked by someone else), so that a retry
   * does not leave a session behind waiting; the client gives up a little later in case the network
   * itself hangs. None when absent.
   */
  queryTimeoutMs?: number;
  /** Every session read-only: nothing can change the database, whatever a query would do. */
  readOnly?: boolean;
  types?: pg.CustomTypesConfig;
}

/** How much longer than the server's statement timeout the client waits. */
const CLIENT_GRACE_MS = 5000;

export function createPool(url: string, { name, max, connectionTimeoutMs, queryTimeoutMs, readOnly = false, types }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: connectionTimeoutMs,
    application_name: name,
    ...(queryTimeoutMs === undefined ? {} : { statement_timeout: queryTimeoutMs, query_timeout: queryTimeoutMs + CLIENT_GRACE_MS }),
    ...(readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
    ...(types ? { types } : {}),
  });
  // A connection lost while idle is replaced by the next query, which reports any failure itself;
  // without a listener the pool's 'error' event would end the process.
  pool.on('error', () => {});
  return pool;
}

/** How a store speaks of its database in its errors. */
export interface StoreErrors {
  /** Its name in a sentence: "feedback" gives "The feedback database … cannot be used". */
  store: string;
  /** Its tables' prefix, for the fix ("feedback_"). */
  tables: string;
  /** An error of the store's own class. */
  error(message: string, options?: ErrorOptions): Error;
}

export interface Migrations {
  /** The advisory lock the steps are applied under (one per store). */
  lock: bigint;
  /** The table that records which steps are applied, e.g. feedback_migrations. */
  table: string;
  steps: readonly string[];
}

/**
 * A pool on the database at `url` whose schema steps not yet applied are applied. When that fails
 * the pool is ended and the error is the store's own, one sentence with what to fix.
 */
export async function openMigratedPool(url: string, shown: string, errors: StoreErrors, options: PoolOptions, migrations: Migrations): Promise<pg.Pool> {
  const pool = createPool(url, options);
  let newer: number | undefined;
  try {
    newer = await migrate(pool, migrations);
  } catch (error) {
    await pool.end().catch(() => {});
    throw databaseError(errors, shown, 'cannot be used', error, url);
  }
  if (newer === undefined) return pool;
  await pool.end().catch(() => {});
  throw errors.error(`The ${errors.store} tables in ${shown} have schema version ${newer}, newer than this version of the bot knows (${migrations.steps.length}): update the bot.`);
}

/** Applies the steps not applied yet, in one transaction; returns the schema version when a newer bot has migrated further (nothing is applied then). */
async function migrate(pool: pg.Pool, { lock, table, steps }: Migrations): Promise<number | undefined> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Taken before anything is read or created: processes starting at once would otherwise race to
    // create the same tables, and the later ones fail.
    await client.query('SELECT pg_advisory_xact_lock($1)', [lock]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (version integer PRIMARY KEY, applied_at bigint NOT NULL)`);
    const { rows } = await client.query<{ version: number }>(`SELECT COALESCE(MAX(version), 0) AS version FROM ${table}`);
    const version = rows[0]!.version;
    if (version > steps.length) {
      await client.query('ROLLBACK');
      return version;
    }
    for (let step = version; step < steps.length; step++) {
      await client.query(steps[step]!);
      await client.query(`INSERT INTO ${table} (version, applied_at) VALUES ($1, $2)`, [step + 1, Date.now()]);
    }
    await client.query('COMMIT');
    return undefined;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** The URL as it may be shown (see urlWithoutSecrets); one that cannot be parsed is refused without being shown. */
export function shownUrl(url: string, errors: StoreErrors): string {
  const shown = urlWithoutSecrets(url);
  if (shown === undefined) throw errors.error('The PostgreSQL URL (DATABASE_URL) cannot be read: write it as postgres://user:password@host:port/database.');
  return shown;
}

/** "The feedback database … cannot be used (code: message): what to fix.", the cause without the password. */
export function databaseError(errors: StoreErrors, shown: string, what: 'cannot be used' | 'cannot be read', error: unknown, url: string): Error {
  const cause = passwordFree(error, url);
  // A pg pool's timeouts say only "timeout exceeded when trying to connect" and carry no code.
  return errors.error(`The ${errors.store} database ${shown} ${what} (${cause.code ? `${cause.code}: ` : ''}${cause.message}): ${fixFor(cause.code, errors.tables)}.`, { cause });
}

/** The error as it may be logged: its message without the password, its code kept. */
export function passwordFree(error: unknown, url: string): Error & { code: string | undefined } {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(scrubPassword(message, url)), { code: typeof code === 'string' ? code : undefined });
}

/**
 * The URL as it may be shown in an error or a log: the password, and any query parameter that looks
 * like a secret, replaced by ***; undefined when it cannot be parsed (then it is not shown at all:
 * the parser's error carries the whole input, password included).
 */
function urlWithoutSecrets(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.password) parsed.password = '***';
  for (const name of [...parsed.searchParams.keys()]) {
    if (/pass|secret|key|token/i.test(name)) parsed.searchParams.set(name, '***');
  }
  return parsed.toString();
}

/** What to do about a database that cannot be reached or used, by the error's code; `tables` is the store's prefix. */
function fixFor(code: string | undefined, tables: string): string {
  switch (code) {
    case 'ECONNREFUSED':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return 'check that PostgreSQL runs and accepts connections at that host and port';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'check the host name';
    case '28P01':
    case '28000':
      return 'check the user name and password, and pg_hba.conf on the server';
    case '3D000':
      return 'create the database, or fix its name in DATABASE_URL';
    case '42501':
      return `grant the user the right to create tables in the database (or create the ${tables} tables as its owner)`;
    default:
      return 'check DATABASE_URL and that the database accepts this user';
  }
}

/** In case a driver's message ever quotes the password; too short a password would blank out ordinary words, and is not scrubbed. */
function scrubPassword(text: string, url: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return text;
  }
  return password.length >= 4 ? text.split(password).join('***') : text;
}
