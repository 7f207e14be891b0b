import type SQLite from 'better-sqlite3';
import type { CompiledQuery, QueryResult } from 'kysely';
import type { RunQuery } from '../store/atomic.ts';
import type { DriverOutcomes } from '../store/unavailable.ts';

/** One statement on the connection, with the result Kysely's SQLite driver would give. */
export function runOn(sqlite: SQLite.Database, query: CompiledQuery): QueryResult<unknown> {
  const statement = sqlite.prepare(query.sql);
  const parameters = query.parameters as unknown[];
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}

export interface DirectQueriesOptions extends DriverOutcomes {
  /** Runs a statement through Kysely, when a transaction of Kysely's own is open on the connection. */
  fallback: RunQuery;
}

/**
 * The hot paths' single statements (a page's site and thread, a ban, a site's webhooks, a comment by id) run on the
 * connection at once. Through Kysely each one also waits its turn for the connection, through the outage guard and
 * a few promises: about 20 µs a statement here, as much as the read itself. A statement runs synchronously, so it
 * cannot interleave with another; while an import holds a Kysely transaction open, it waits for it through Kysely.
 */
export function directQueries(sqlite: SQLite.Database, options: DirectQueriesOptions): RunQuery {
  return <R>(query: CompiledQuery<R>) => {
    if (sqlite.inTransaction) return options.fallback(query);
    try {
      const result = runOn(sqlite, query) as QueryResult<R>;
      options.answered();
      return Promise.resolve(result);
    } catch (error) {
      return Promise.reject(options.failure(error));
    }
  };
}
