import type { Migration } from 'kysely';
import type { AnyDb } from './any-db.ts';

/**
 * Mail: the outbox every message goes through, members' notification choices, readers' reply subscriptions and
 * the comments they watch, replies waiting to be batched, used one-click links, and the "verified" mark.
 */
export const mail: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('mail_outbox')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('recipient', 'text', (col) => col.notNull())
      // JSON of the subject, both parts and the extra headers: rendered once, when queued.
      .addColumn('message', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (col) => col.notNull())
      // A sender claims a message until this time; past it, another may take it over.
      .addColumn('lease_until', 'bigint')
      .addColumn('claim_id', 'text')
      .addColumn('sent_at', 'bigint')
      .addColumn('failed_at', 'bigint')
      .addColumn('last_error', 'text')
      .execute();
    await db.schema.createIndex('mail_outbox_due').on('mail_outbox').column('next_attempt_at').execute();

    await db.schema
      .createTable('mail_preferences')
      .addColumn('site_id', 'text', (col) => col.notNull())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('level', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('mail_preferences_pk', ['site_id', 'user_id'])
      .execute();

    await db.schema
      .createTable('mail_subscriptions')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('site_id', 'text', (col) => col.notNull())
      .addColumn('email', 'text', (col) => col.notNull())
      .addColumn('email_hash', 'text', (col) => col.notNull())
      // Keyed hash of the widget's per-browser key; '' when the post carried none.
      .addColumn('browser_hash', 'text', (col) => col.notNull())
      .addColumn('lang', 'text', (col) => col.notNull())
      // The address the reader reached Parley at: the links in their mails go there.
      .addColumn('origin', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('confirm_sent_at', 'bigint')
      .addColumn('confirmed_at', 'bigint')
      .addColumn('unsubscribed_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('mail_subscriptions_reader')
      .on('mail_subscriptions')
      .columns(['site_id', 'email_hash', 'browser_hash'])
      .unique()
      .execute();

    await db.schema
      .createTable('mail_watches')
      .addColumn('comment_id', 'text', (col) => col.primaryKey())
      .addColumn('subscription_id', 'text', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('mail_reply_notices')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('subscription_id', 'text', (col) => col.notNull())
      .addColumn('comment_id', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('digest_id', 'text')
      .addColumn('claimed_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('mail_reply_notices_subscription')
      .on('mail_reply_notices')
      .column('subscription_id')
      .execute();

    await db.schema
      .createTable('mail_link_uses')
      .addColumn('nonce', 'text', (col) => col.primaryKey())
      .addColumn('used_at', 'bigint', (col) => col.notNull())
      .execute();

    // 1 when the comment was posted from a browser whose email the reader confirmed.
    await db.schema
      .alterTable('comments')
      .addColumn('verified', 'integer', (col) => col.notNull().defaultTo(0))
      .execute();
  },
};
