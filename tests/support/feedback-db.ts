import Database from 'better-sqlite3';

/** The rows a query returns from a feedback database, read as another process would: read-only, then closed. */
export function readRows<T = Record<string, unknown>>(path: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}
