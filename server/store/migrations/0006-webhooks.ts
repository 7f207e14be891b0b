import type { Migration } from 'kysely';
import type { AnyDb } from './any-db.ts';

/**
 * Webhooks per site with their delivery log (one row per event and webhook, retried in place), and the tokens of
 * privacy links mailed to commenters (only their SHA-256 is kept).
 */
export const webhooks: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('site_id', 'text', (col) => col.notNull())
      .addColumn('url', 'text', (col) => col.notNull())
      // Signs every delivery; shown once at creation, so it is kept as it is (a hash could not sign).
      .addColumn('secret', 'text', (col) => col.notNull())
      // Comma-separated event names.
      .addColumn('events', 'text', (col) => col.notNull())
      .addColumn('created_by', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('webhooks_site').on('webhooks').column('site_id').execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('webhook_id', 'text', (col) => col.notNull())
      .addColumn('event', 'text', (col) => col.notNull())
      // Null for a test event; lets an erasure find the deliveries that carry a comment.
      .addColumn('comment_id', 'text')
      // The exact bytes sent (and signed) on every attempt.
      .addColumn('payload', 'text', (col) => col.notNull())
      // pending (to be tried), delivered, failed (gave up)
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (col) => col.notNull())
      // While a sender holds the row: until when, and whose claim it is.
      .addColumn('lease_until', 'bigint')
      .addColumn('lease_token', 'text')
      .addColumn('response_code', 'integer')
      .addColumn('duration_ms', 'integer')
      .addColumn('error', 'text')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('last_attempt_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_due')
      .on('webhook_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_log')
      .on('webhook_deliveries')
      .columns(['webhook_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_comment')
      .on('webhook_deliveries')
      .column('comment_id')
      .execute();

    await db.schema
      .createTable('privacy_tokens')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('email', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      .execute();
    // Every comment a person wrote, across sites, by their email's keyed hash.
    await db.schema.createIndex('comments_email').on('comments').column('email_hash').execute();
  },
};
