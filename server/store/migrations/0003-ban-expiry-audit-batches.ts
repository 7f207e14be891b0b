import type { Migration } from 'kysely';
import type { AnyDb } from './any-db.ts';

/** Bans that end, and audit entries grouped by the one request (a bulk action) that wrote them. */
export const banExpiryAuditBatches: Migration = {
  async up(db: AnyDb) {
    // Null: the ban never ends. Bans written before this migration keep applying.
    await db.schema.alterTable('bans').addColumn('expires_at', 'bigint').execute();
    // Set on the entries of a bulk action, so the log can show the action once rather than once per comment.
    await db.schema.alterTable('audit_log').addColumn('batch_id', 'text').execute();
  },
};
