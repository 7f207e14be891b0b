import type { Migration } from 'kysely';
import type { AnyDb } from './any-db.ts';

/**
 * Readers' up-votes: one row per comment and browser (the keyed hash of the browser's key, never the key), and on
 * each comment its own count and its top-level comment's count, so that the `top` order reads an index in order
 * instead of counting or joining per page.
 */
export const votes: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('votes')
      .addColumn('comment_id', 'text', (col) => col.notNull())
      .addColumn('voter_hash', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addPrimaryKeyConstraint('votes_pk', ['comment_id', 'voter_hash'])
      .execute();
    for (const name of ['votes', 'root_votes']) {
      await db.schema
        .alterTable('comments')
        .addColumn(name, 'integer', (col) => col.notNull().defaultTo(0))
        .execute();
    }
    await db.schema
      .createIndex('comments_thread_top')
      .on('comments')
      .columns(['thread_id', 'root_votes desc', 'path'])
      .execute();
  },
};
