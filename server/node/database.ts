import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../store/schema.ts';

export const DEFAULT_DATABASE_URL = 'file:./data/parley.db';

// PostgreSQL sends BIGINT (our epoch-millisecond columns) as text to protect precision; ours fit in a double.
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
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}
