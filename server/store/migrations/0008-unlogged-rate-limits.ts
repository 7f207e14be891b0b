import { type Migration, PostgresAdapter, sql } from 'kysely';
import type { AnyDb } from './any-db.ts';

/**
 * Rate-limit counts on PostgreSQL go unlogged: they are written on every post, edit and vote, and they are worth
 * nothing after a crash (a minute's window at most), so they need no write-ahead log and no flush to disk at
 * commit. PostgreSQL empties an unlogged table after a crash and keeps it off replicas; a count starting over then
 * is the same as a new window. The other engines have no such thing and keep the table as it is.
 */
export const unloggedRateLimits: Migration = {
  async up(db: AnyDb) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`alter table rate_limits set unlogged`.execute(db);
  },
};
