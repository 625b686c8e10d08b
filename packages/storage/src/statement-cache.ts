import type SqliteDatabase from 'better-sqlite3';

type Statement = SqliteDatabase.Statement;

/** The part of a better-sqlite3 Database that Kysely's SqliteDialect uses, with prepared statements reused. */
export interface StatementCache {
  prepare(sql: string): Statement;
  close(): void;
  /** Statements held now (at most `max`). */
  readonly size: number;
}

export interface StatementCacheOptions {
  /** Most statements kept, least recently used dropped first (default 500). */
  max?: number;
  /** Rewrites a statement's text before it is prepared (and cached under the original text). */
  rewrite?: (sql: string) => string;
}

/**
 * Wraps a better-sqlite3 connection so that `prepare` returns the statement it prepared before for
 * the same SQL text, instead of compiling it again: Kysely's SQLite dialect prepares every query it
 * runs, and compiling costs more than running most of them. SQLite re-prepares a cached statement
 * by itself after a schema change, so a cached statement answers exactly as a fresh one would.
 *
 * A statement is busy while an iterator over its rows is open (a streamed select, a query run from
 * inside another's iteration); a second use then gets a fresh statement, which takes the cached
 * one's place, so an iterator that was abandoned without being closed costs no more than a miss.
 * The statements are handed out in their default modes and must be left in them (no raw(), pluck(),
 * expand() or safeIntegers() on a cached statement).
 */
export function cacheStatements(raw: SqliteDatabase.Database, opts: StatementCacheOptions = {}): StatementCache {
  const max = opts.max ?? 500;
  if (!(max >= 1)) throw new Error(`statement cache size must be at least 1 (got ${max})`);
  const rewrite = opts.rewrite;
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first.
  const cache = new Map<string, Statement>();
  const fresh = (sql: string): Statement => {
    const stmt = raw.prepare(rewrite ? rewrite(sql) : sql);
    if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    cache.set(sql, stmt);
    return stmt;
  };
  return {
    prepare(sql: string): Statement {
      const hit = cache.get(sql);
      if (hit === undefined) return fresh(sql);
      cache.delete(sql);
      if (hit.busy) return fresh(sql);
      cache.set(sql, hit);
      return hit;
    },
    close(): void {
      cache.clear();
      raw.close();
    },
    get size() { return cache.size; },
  };
}
