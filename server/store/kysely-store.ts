import type { Kysely } from 'kysely';
import { accountQueries } from './account-store.ts';
import { type Atomic, groupedWritesOf, transactionally } from './atomic.ts';
import { changeStampOf } from './change-stamp.ts';
import { commentQueries } from './comment-store.ts';
import { feedQueries } from './feed-store.ts';
import { importQueries } from './import-store.ts';
import { mailQueries } from './mail-store.ts';
import { moderationQueries } from './moderation-store.ts';
import { privacyQueries } from './privacy-store.ts';
import type { Database } from './schema.ts';
import { siteQueries } from './site-store.ts';
import type { Store } from './store.ts';
import { voteQueries } from './vote-store.ts';
import { webhookQueries } from './webhook-store.ts';

/**
 * The one `Store` implementation, put together from one query module per domain. It is handed a Kysely instance
 * whose dialect decides the engine (SQLite, PostgreSQL or D1); nothing here knows which, except that D1, which
 * has no interactive transactions, must be given its batch (`d1Batch`) for the writes that must be atomic.
 *
 * @example
 * const store = kyselyStore(new Kysely<Database>({ dialect }));
 * await store.migrate();
 */
export function kyselyStore(
  db: Kysely<Database>,
  atomic: Atomic = groupedWritesOf(db) ?? transactionally(db),
): Store {
  return {
    ...commentQueries(db, atomic),
    ...siteQueries(db, changeStampOf(db)),
    ...accountQueries(db, atomic),
    ...moderationQueries(db),
    ...importQueries(db),
    ...voteQueries(db, atomic),
    ...mailQueries(db),
    ...webhookQueries(db),
    ...privacyQueries(db),
    ...feedQueries(db),
  };
}
