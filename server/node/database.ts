import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { registerChangeStamp } from '../store/change-stamp.ts';
import type { Database } from '../store/schema.ts';
import { guardDialect, type OutageLog, outageLog } from '../store/unavailable.ts';
import { pgUnavailable, sqliteUnavailable } from './database-errors.ts';

export const DEFAULT_DATABASE_URL = 'file:./data/parley.db';

const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

// PostgreSQL sends BIGINT (our epoch-millisecond columns, and every count) as text to protect precision; ours fit
// in a double. Parsed here, where the driver is chosen, so the store gets plain numbers from every engine as
// SQLite and D1 give them, and converts nothing itself.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);

/**
 * Opens the database a `DATABASE_URL` names: `file:PATH` for SQLite (the folder is created), or
 * `postgres://…` for PostgreSQL. Errors that mean the database cannot be reached right now come out of every query
 * as `StoreUnavailableError`, and `outages` hears once when it goes away and once when it is back.
 */
export function openDatabase(url: string = DEFAULT_DATABASE_URL, outages = outageLog()): Kysely<Database> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const dialect = new PostgresDialect({ pool: openPool(url, outages) });
    return new Kysely<Database>({ dialect: guardDialect(dialect, pgUnavailable, outages) });
  }
  if (!url.startsWith('file:')) {
    throw new Error(`DATABASE_URL must start with file: or postgres://, not "${url.split(':')[0]}:"`);
  }
  const path = url.slice('file:'.length);
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  // WAL with synchronous=NORMAL stays consistent after a crash and saves an fsync per commit.
  sqlite.pragma('synchronous = NORMAL');
  // better-sqlite3 waits for a lock synchronously, holding up every other request meanwhile: keep it short.
  sqlite.pragma(`busy_timeout = ${setting('PARLEY_SQLITE_BUSY_TIMEOUT_MS', 5000)}`);
  sqlite.pragma('foreign_keys = ON');
  const stamp = sqliteChangeStamp(sqlite);
  reusePreparedStatements(sqlite);
  const dialect = new SqliteDialect({ database: sqlite });
  const db = new Kysely<Database>({ dialect: guardDialect(dialect, sqliteUnavailable, outages) });
  registerChangeStamp(db, stamp);
  return db;
}

/**
 * A pool that never takes the process down and never keeps a request waiting long: a connection that breaks while
 * idle or between two queries emits `error`, which with no listener would end the process; connecting, waiting for
 * a free connection and every statement are bounded, so an unreachable database answers 503 within seconds.
 */
function openPool(url: string, outages: OutageLog): pg.Pool {
  const queryTimeout = setting('PARLEY_PG_QUERY_TIMEOUT_MS', 5000);
  const pool = new pg.Pool({
    connectionString: url,
    max: setting('PARLEY_PG_POOL', 10),
    connectionTimeoutMillis: setting('PARLEY_PG_CONNECT_TIMEOUT_MS', 2000),
    statement_timeout: queryTimeout,
    // The client-side bound, for when the server is silent rather than slow; a little after the server's own.
    query_timeout: queryTimeout + 1000,
    keepAlive: true,
  });
  const lost = (error: Error) => outages.down(pgUnavailable(error) ?? error.message);
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  return pool;
}

/**
 * Rows this connection has written since it opened (`total_changes()`, which counts writes later rolled back too)
 * and the count of commits by other connections and processes (`data_version`, which another instance's or the
 * CLI's writes move): while both stay the same, so does every row. ~1 µs in all, against ~13 µs for the
 * lookup of a page's site and thread through Kysely. Any failure means "cannot tell", and the store asks the
 * database, which reports the failure as it should.
 */
function sqliteChangeStamp(sqlite: SQLite.Database) {
  // Two statements: `total_changes()` reads no table (~0.1 µs); joined to the pragma's table it cost ~1 µs more.
  const own = sqlite.prepare('select total_changes()').pluck();
  const others = sqlite.prepare('pragma data_version').pluck();
  return () => {
    try {
      return `${own.get() as number}.${others.get() as number}`;
    } catch {
      return undefined;
    }
  };
}

const STATEMENTS_KEPT = 500;

/**
 * Kysely prepares every query anew, and for the short queries of a page view SQLite's parsing and planning cost
 * about as much as running them. Statements are kept by their SQL (most recently used last) and reused; one busy
 * in a streaming read is left alone and a fresh one prepared.
 */
function reusePreparedStatements(sqlite: SQLite.Database) {
  const prepare = sqlite.prepare.bind(sqlite);
  const kept = new Map<string, SQLite.Statement>();
  sqlite.prepare = ((source: string) => {
    const statement = kept.get(source);
    if (statement && !statement.busy) {
      kept.delete(source);
      kept.set(source, statement);
      return statement;
    }
    const fresh = prepare(source);
    kept.set(source, fresh);
    if (kept.size > STATEMENTS_KEPT) kept.delete(kept.keys().next().value as string);
    return fresh;
  }) as typeof sqlite.prepare;
}
