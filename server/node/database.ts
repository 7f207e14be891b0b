import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import {
  registerDirectQueries,
  registerGroupedWrites,
  registerNextTurn,
  transactionally,
} from '../store/atomic.ts';
import { registerChangeStamp } from '../store/change-stamp.ts';
import type { Database } from '../store/schema.ts';
import { driverOutcomes, guardDialect, type OutageLog, outageLog } from '../store/unavailable.ts';
import { pgUnavailable, sqliteUnavailable } from './database-errors.ts';
import { directQueries } from './direct-queries.ts';
import { groupedCommits } from './grouped-commits.ts';
import { prepareByName } from './pg-prepared.ts';
import { checkpointInBackground } from './wal-checkpointer.ts';

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
export function openDatabase(
  url: string = DEFAULT_DATABASE_URL,
  outages = outageLog(),
  { backgroundCheckpoints = false }: { backgroundCheckpoints?: boolean } = {},
): Kysely<Database> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const dialect = new PostgresDialect({ pool: openPool(url, outages) });
    const db = new Kysely<Database>({ dialect: guardDialect(dialect, pgUnavailable, outages) });
    registerNextTurn(db, setImmediate);
    return db;
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
  if (backgroundCheckpoints && !sqlite.memory) checkpointWhileServing(sqlite);
  const stamp = sqliteChangeStamp(sqlite);
  reusePreparedStatements(sqlite);
  const dialect = new SqliteDialect({ database: sqlite });
  const db = new Kysely<Database>({ dialect: guardDialect(dialect, sqliteUnavailable, outages) });
  registerChangeStamp(db, stamp);
  const outcomes = driverOutcomes(sqliteUnavailable, outages);
  registerGroupedWrites(db, groupedCommits(sqlite, { ...outcomes, fallback: transactionally(db) }));
  registerDirectQueries(
    db,
    directQueries(sqlite, { ...outcomes, fallback: (query) => db.executeQuery(query) }),
  );
  return db;
}

/**
 * A pool that never takes the process down and never keeps a request waiting long: a connection that breaks while
 * idle or between two queries emits `error`, which with no listener would end the process; connecting, waiting for
 * a free connection and every statement are bounded, so an unreachable database answers 503 within seconds.
 */
function openPool(url: string, outages: OutageLog): pg.Pool {
  const queryTimeout = setting('PARLEY_PG_QUERY_TIMEOUT_MS', 5000);
  const prepare = process.env.PARLEY_PG_PREPARE !== '0';
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
  pool.on('connect', (client) => {
    client.on('error', lost);
    if (prepare) prepareByName(client);
  });
  return pool;
}

/** A server's connection: checkpoints run on a worker thread, which ends when the connection closes. */
function checkpointWhileServing(sqlite: SQLite.Database) {
  const checkpoints = checkpointInBackground(sqlite, {
    onFailure: (reason) =>
      console.error(`[parley] SQLite checkpoints are back on the serving thread alone: ${reason}`),
  });
  const close = sqlite.close.bind(sqlite);
  sqlite.close = () => {
    checkpoints.stop();
    return close();
  };
}

/** Rows written so far by each SQLite connection this process has open, read without a table (~0.1 µs each). */
const connectionsHere = new Map<SQLite.Database, () => number>();

/** How long commits by other processes may go unnoticed by the change stamp. */
export const OTHER_PROCESSES_SEEN_WITHIN_MS = 1;

/**
 * What moves whenever the file may have changed. Writes in this process, whichever connection made them (another
 * instance in the same process, as tests run them), count at once: the sum of `total_changes()` of every open
 * connection, which also counts writes later rolled back. Commits by other processes (a second server, the CLI)
 * move `data_version`, which needs a read transaction and its lock on the shared memory (measured: 7% of a cached
 * page read under load); it is asked at most once per OTHER_PROCESSES_SEEN_WITHIN_MS, so another process's commit
 * shows within that bound, sooner than its writer could tell a reader about it. Any failure means "cannot tell",
 * and the store asks the database, which reports the failure as it should.
 */
function sqliteChangeStamp(sqlite: SQLite.Database) {
  const own = sqlite.prepare('select total_changes()').pluck();
  const others = sqlite.prepare('pragma data_version').pluck();
  connectionsHere.set(sqlite, () => own.get() as number);
  let othersSeen = 0;
  let askedAt = Number.NEGATIVE_INFINITY;
  return () => {
    try {
      const now = performance.now();
      if (now - askedAt >= OTHER_PROCESSES_SEEN_WITHIN_MS) {
        othersSeen = others.get() as number;
        askedAt = now;
      }
      let here = 0;
      for (const [connection, written] of connectionsHere) {
        if (connection.open) here += written();
        else connectionsHere.delete(connection);
      }
      return `${here}.${othersSeen}`;
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
