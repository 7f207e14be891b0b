import type { Kysely } from 'kysely';

/** Migrations see the database untyped: they must not depend on today's table types. */
// biome-ignore lint/suspicious/noExplicitAny: see above.
export type AnyDb = Kysely<any>;
