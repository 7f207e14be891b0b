import type SQLite from 'better-sqlite3';
import type { CompiledQuery, QueryResult } from 'kysely';
import type { Atomic } from '../store/atomic.ts';
import type { DriverOutcomes } from '../store/unavailable.ts';
import { runOn } from './direct-queries.ts';

interface Unit {
  queries: readonly CompiledQuery[];
  resolve: (results: Array<QueryResult<unknown>>) => void;
  reject: (error: unknown) => void;
}

export interface GroupedCommitsOptions extends DriverOutcomes {
  /** Runs a unit when a transaction of Kysely's own is open on the connection (an import), after it. */
  fallback: Atomic;
}

/**
 * Units of writes (`Atomic`) for one SQLite connection, committed together: the units asked for while the event
 * loop turns are run at its next check phase in one transaction, each inside its own savepoint, so a unit that
 * fails is rolled back alone and the others commit. Nobody is answered before the commit.
 *
 * Why: a SQLite commit costs by the pages it writes to the log, two writes each, and a comment touches about
 * fifteen (the row, nine indexes, the thread). Concurrent comments on a blog share most of those pages (one
 * thread, neighbouring keys), so a group of eight writes about a fifth of the pages per comment that eight
 * commits write. Statements run on the connection directly, synchronously, so nothing else can run between a
 * group's first statement and its commit.
 */
export function groupedCommits(sqlite: SQLite.Database, options: GroupedCommitsOptions): Atomic {
  let queued: Unit[] = [];
  const control = (source: string) => {
    const statement = sqlite.prepare(source);
    return () => statement.run();
  };
  const begin = control('begin immediate');
  const commit = control('commit');
  const rollback = control('rollback');
  const savepoint = control('savepoint unit');
  const release = control('release unit');
  const undo = control('rollback to unit');

  const run = (query: CompiledQuery) => runOn(sqlite, query);

  const flush = () => {
    const units = queued;
    queued = [];
    if (sqlite.inTransaction) {
      for (const unit of units) options.fallback(unit.queries).then(unit.resolve, unit.reject);
      return;
    }
    const done: Array<[Unit, Array<QueryResult<unknown>>]> = [];
    try {
      begin();
      for (const unit of units) {
        savepoint();
        try {
          const results = unit.queries.map(run);
          release();
          done.push([unit, results]);
        } catch (error) {
          // Some errors (a full disk, an I/O error) roll the whole transaction back: the group fails with them.
          if (!sqlite.inTransaction) throw error;
          undo();
          release();
          unit.reject(options.failure(error));
        }
      }
      commit();
    } catch (error) {
      if (sqlite.inTransaction) rollback();
      // A unit rolled back by itself was told so already; a promise settles once, so telling it again is nothing.
      const failure = options.failure(error);
      for (const unit of units) unit.reject(failure);
      return;
    }
    options.answered();
    for (const [unit, results] of done) unit.resolve(results);
  };

  return (queries) =>
    new Promise((resolve, reject) => {
      queued.push({ queries, resolve, reject });
      if (queued.length === 1) setImmediate(flush);
    });
}
