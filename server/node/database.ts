import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../store/schema.ts';

export const DEFAULT_DATABASE_URL = 'file:./data/parley.db';

// PostgreSQL sends BIGINT (our epoch-millisecond columns, and every count) as text to protect precision; ours fit
// in a double. Parsed here, where the driver is chosen, so the store gets plain numbers from every engine as
// SQLite and D1 give them, and converts nothing itself.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);

/**
 * Opens the database a `DATABASE_URL` names: `file:PATH` for SQLite (the folder is created), or
 * `postgres://…` for PostgreSQL.
 */
export function openDatabase(url: string = DEFAULT_DATABASE_URL): Kysely<Database> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: Number(process.env.PARLEY_PG_POOL ?? 10) });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
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
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  reusePreparedStatements(sqlite);
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
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
