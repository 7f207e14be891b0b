import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Runs statements in order as one unit: all of them take effect or none does. The statements are fixed before
 * the unit starts, so it can run where there are no interactive transactions: D1 runs a batch as one transaction
 * (`d1Batch` in d1-dialect.ts). A statement that must depend on an earlier one says so in its own `where`.
 *
 * @example
 * const [claimed] = await atomic([claim.compile(), insert.compile()]);
 */
export type Atomic = (queries: readonly CompiledQuery[]) => Promise<Array<QueryResult<unknown>>>;

/** A Kysely transaction, for SQLite and PostgreSQL. */
export function transactionally(db: Kysely<Database>): Atomic {
  return (queries) =>
    db.transaction().execute(async (trx) => {
      const results: Array<QueryResult<unknown>> = [];
      for (const query of queries) results.push(await trx.executeQuery(query));
      return results;
    });
}

const grouped = new WeakMap<object, Atomic>();

/**
 * Tells stores built over `db` that its units of writes share commits (SQLite on Node: `groupedCommits`), so a
 * single-statement write on a hot path is cheaper sent as a unit than committed by itself. Only the code that opens
 * a database knows.
 */
export function registerGroupedWrites(db: Kysely<Database>, atomic: Atomic): void {
  grouped.set(db, atomic);
}

/** The grouped units registered for `db`, if its writes share commits. */
export function groupedWritesOf(db: Kysely<Database>): Atomic | undefined {
  return grouped.get(db);
}

/** Runs one compiled statement. */
export type RunQuery = <R>(query: CompiledQuery<R>) => Promise<QueryResult<R>>;

const direct = new WeakMap<object, RunQuery>();

/**
 * Tells stores built over `db` how to run their hot statements without Kysely's connection handling, where the
 * engine allows it (SQLite on Node: `directQueries`). Only the code that opens a database knows.
 */
export function registerDirectQueries(db: Kysely<Database>, run: RunQuery): void {
  direct.set(db, run);
}

/** How the hot paths of stores over `db` run a compiled statement: directly where registered, else through Kysely. */
export function hotQueriesOf(db: Kysely<Database>): RunQuery {
  return direct.get(db) ?? (<R>(query: CompiledQuery<R>) => db.executeQuery(query));
}

/** Runs `work` once the event loop has taken in what arrived with the current turn (Node's `setImmediate`). */
export type NextTurn = (work: () => void) => void;

const nextTurns = new WeakMap<object, NextTurn>();

/**
 * Tells stores built over `db` that statements asked for during one turn of the event loop may go to the database
 * together at the next (PostgreSQL on Node, where every statement is a round trip). Only the code that opens a
 * database knows; a Worker serves one request per turn and has nothing to gather.
 */
export function registerNextTurn(db: Kysely<Database>, nextTurn: NextTurn): void {
  nextTurns.set(db, nextTurn);
}

/** How stores over `db` wait for the next turn, if its statements gather. */
export function nextTurnOf(db: Kysely<Database>): NextTurn | undefined {
  return nextTurns.get(db);
}
