import type { Migration } from 'kysely';
import type { AnyDb } from './any-db.ts';

/** Sites, threads, comments, rate-limit windows and deployment settings. */
export const initial: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('sites')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('threads')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
      .addColumn('key', 'text', (col) => col.notNull())
      .addColumn('url', 'text', (col) => col.notNull())
      .addColumn('title', 'text')
      .addColumn('locked', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('comment_count', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addUniqueConstraint('threads_site_key', ['site_id', 'key'])
      .execute();

    await db.schema
      .createTable('comments')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('thread_id', 'text', (col) => col.notNull().references('threads.id'))
      .addColumn('parent_id', 'text')
      .addColumn('root_id', 'text', (col) => col.notNull())
      .addColumn('path', 'text', (col) => col.notNull())
      .addColumn('depth', 'integer', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('author_name', 'text', (col) => col.notNull())
      .addColumn('author_email', 'text')
      .addColumn('avatar', 'text', (col) => col.notNull())
      .addColumn('client_hash', 'text', (col) => col.notNull())
      .addColumn('body', 'text', (col) => col.notNull())
      .addColumn('html', 'text', (col) => col.notNull())
      .addColumn('edit_token_hash', 'text')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('edited_at', 'bigint')
      .execute();

    await db.schema
      .createIndex('comments_thread_path')
      .on('comments')
      .columns(['thread_id', 'path'])
      .execute();
    await db.schema
      .createIndex('comments_thread_newest')
      .on('comments')
      .columns(['thread_id', 'root_id desc', 'path'])
      .execute();
    await db.schema.createIndex('comments_parent').on('comments').column('parent_id').execute();

    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'text', (col) => col.notNull())
      .addColumn('window_start', 'bigint', (col) => col.notNull())
      .addColumn('hits', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('rate_limits_pk', ['key', 'window_start'])
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (col) => col.primaryKey())
      .addColumn('value', 'text', (col) => col.notNull())
      .execute();

    // A fresh server has one site that accepts any origin until its owner restricts it.
    await db.insertInto('sites').values({ id: 'default', name: 'Default site', created_at: 0 }).execute();
  },
};
