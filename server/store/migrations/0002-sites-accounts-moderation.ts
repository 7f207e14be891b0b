import type { Migration } from 'kysely';
import type { AnyDb } from './any-db.ts';

/** Site settings, accounts and sessions, passkeys, invites, bans, the audit log and moderation marks on comments. */
export const sitesAccountsModeration: Migration = {
  async up(db: AnyDb) {
    // Settings as JSON: merged over the defaults on read, so a new setting needs no migration.
    await db.schema
      .alterTable('sites')
      .addColumn('settings', 'text', (col) => col.notNull().defaultTo('{}'))
      .execute();
    // Bumped with every settings change: part of every thread's ETag on that site.
    await db.schema
      .alterTable('sites')
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(0))
      .execute();

    for (const [name, type] of [
      ['site_id', 'text'],
      ['email_hash', 'text'],
      ['author_user_id', 'text'],
    ] as const) {
      await db.schema.alterTable('comments').addColumn(name, type).execute();
    }
    for (const name of ['is_owner', 'pinned', 'edited_by_moderator']) {
      await db.schema
        .alterTable('comments')
        .addColumn(name, 'integer', (col) => col.notNull().defaultTo(0))
        .execute();
    }
    await db
      .updateTable('comments')
      .set((eb) => ({
        site_id: eb
          .selectFrom('threads')
          .select('threads.site_id')
          .whereRef('threads.id', '=', 'comments.thread_id'),
      }))
      .execute();
    await db.schema
      .createIndex('comments_site_status_created')
      .on('comments')
      .columns(['site_id', 'status', 'created_at'])
      .execute();
    await db.schema
      .createIndex('comments_status_created')
      .on('comments')
      .columns(['status', 'created_at'])
      .execute();
    await db.schema
      .createIndex('comments_site_email')
      .on('comments')
      .columns(['site_id', 'email_hash', 'status'])
      .execute();
    await db.schema
      .createIndex('comments_site_client')
      .on('comments')
      .columns(['site_id', 'client_hash', 'status'])
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('email', 'text', (col) => col.notNull().unique())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('is_admin', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('site_members')
      .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id'))
      .addColumn('role', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addPrimaryKeyConstraint('site_members_pk', ['site_id', 'user_id'])
      .execute();
    await db.schema.createIndex('site_members_user').on('site_members').column('user_id').execute();

    await db.schema
      .createTable('invites')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
      .addColumn('email', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull())
      .addColumn('created_by', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      .addColumn('accepted_at', 'bigint')
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id'))
      .addColumn('csrf_token', 'text', (col) => col.notNull())
      .addColumn('user_agent', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

    await db.schema
      .createTable('passkeys')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id'))
      .addColumn('public_key', 'text', (col) => col.notNull())
      .addColumn('counter', 'bigint', (col) => col.notNull())
      .addColumn('transports', 'text', (col) => col.notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('last_used_at', 'bigint')
      .execute();
    await db.schema.createIndex('passkeys_user').on('passkeys').column('user_id').execute();

    await db.schema
      .createTable('auth_challenges')
      .addColumn('challenge', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text')
      .addColumn('purpose', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('bans')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('site_id', 'text', (col) => col.notNull().references('sites.id'))
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('value_hash', 'text', (col) => col.notNull())
      .addColumn('label', 'text', (col) => col.notNull())
      .addColumn('reason', 'text', (col) => col.notNull())
      .addColumn('created_by', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('bans_lookup')
      .on('bans')
      .columns(['site_id', 'kind', 'value_hash'])
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('site_id', 'text')
      .addColumn('actor_id', 'text', (col) => col.notNull())
      .addColumn('actor_email', 'text', (col) => col.notNull())
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('target_id', 'text')
      .addColumn('before_json', 'text')
      .addColumn('after_json', 'text')
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('audit_log_site').on('audit_log').columns(['site_id', 'id']).execute();
  },
};
