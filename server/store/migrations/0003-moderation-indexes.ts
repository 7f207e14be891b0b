import type { Migration } from 'kysely';
import type { AnyDb } from './any-db.ts';

/** Indexes for the moderation queue and for pinned comments; no new columns. */
export const moderationIndexes: Migration = {
  async up(db: AnyDb) {
    // The pinned comments of a thread, read with the first page of every thread.
    await db.schema
      .createIndex('comments_thread_pinned')
      .on('comments')
      .columns(['thread_id', 'pinned'])
      .execute();
    // A server owner's queue across every site and status, newest first.
    await db.schema.createIndex('comments_created').on('comments').column('created_at').execute();
  },
};
