import type { Kysely } from 'kysely';

/**
 * A value that is the same on two calls only if the database cannot have changed in between, by this process or
 * any other; undefined when it cannot tell. Read without a query through Kysely: a read it vouches for is reused
 * while it stays the same, which spares the hottest lookup (a page's site and thread) the database altogether.
 */
export type ChangeStamp = () => string | undefined;

const stamps = new WeakMap<object, ChangeStamp>();

/**
 * Tells stores built over `db` how to see whether the database changed. Only the code that opens a database knows
 * whether its engine can say so cheaply (SQLite can; PostgreSQL and D1 stores go without).
 *
 * @example registerChangeStamp(db, () => `${ownWrites()}.${othersWrites()}`);
 */
export function registerChangeStamp(db: Kysely<never> | object, stamp: ChangeStamp): void {
  stamps.set(db, stamp);
}

/** The change stamp registered for `db`, if any. */
export function changeStampOf(db: object): ChangeStamp | undefined {
  return stamps.get(db);
}
