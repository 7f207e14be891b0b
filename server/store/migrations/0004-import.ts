import type { Migration } from 'kysely';
import type { AnyDb } from './any-db.ts';

/**
 * Where imported comments came from (`wxr:123` on a site), so a reply found later in a file, or in a rerun, finds
 * its parent. A table of its own: comments written through the API pay nothing for it.
 */
export const importOrigins: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('import_origins')
      .addColumn('site_id', 'text', (col) => col.notNull())
      .addColumn('origin', 'text', (col) => col.notNull())
      .addColumn('comment_id', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('import_origins_pk', ['site_id', 'origin'])
      .execute();
  },
};
