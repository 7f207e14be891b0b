import {
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
  PostgresAdapter,
  sql,
} from 'kysely';
import { initial } from './migrations/0001-initial.ts';
import { sitesAccountsModeration } from './migrations/0002-sites-accounts-moderation.ts';
import { banExpiryAuditBatches } from './migrations/0003-ban-expiry-audit-batches.ts';
import { importOrigins } from './migrations/0004-import.ts';
import { mail } from './migrations/0005-mail.ts';
import { webhooks } from './migrations/0006-webhooks.ts';
import { votes } from './migrations/0007-votes.ts';
import { unloggedRateLimits } from './migrations/0008-unlogged-rate-limits.ts';
import type { AnyDb } from './migrations/any-db.ts';
import { StoreUnavailableError } from './unavailable.ts';

/*
 * One migration set for every engine. Only portable column types and no engine-specific functions, so the same
 * definitions run on SQLite, PostgreSQL and D1; a storage option only one engine has (PostgreSQL's unlogged
 * tables) is skipped on the others. Add migrations at the end; never edit one that has shipped.
 */

const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_sites_accounts_moderation': sitesAccountsModeration,
  '0003_ban_expiry_audit_batches': banExpiryAuditBatches,
  '0004_import': importOrigins,
  '0005_mail': mail,
  '0006_webhooks': webhooks,
  '0007_votes': votes,
  '0008_unlogged_rate_limits': unloggedRateLimits,
};

const provider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};

/**
 * Brings the schema up to date. On PostgreSQL the migrator takes a lock, so many instances may start together.
 * SQLite and D1 have no such lock: two D1 isolates starting at once may both try, and the loser's request fails
 * (503) and succeeds on retry.
 */
export async function migrateToLatest(db: AnyDb): Promise<void> {
  await migrate(db, (migrator) => migrator.migrateToLatest());
}

/** Brings the schema up to the named migration only: how an upgrade test makes a database of an older release. */
export async function migrateUpTo(db: AnyDb, name: keyof typeof MIGRATIONS & string): Promise<void> {
  await migrate(db, (migrator) => migrator.migrateTo(name));
}

async function migrate(db: AnyDb, run: (migrator: Migrator) => Promise<MigrationResultSet>): Promise<void> {
  const schema = await postgresSchema(db);
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'parley_migrations',
    ...(schema && { migrationTableSchema: schema }),
  });
  const { error, results } = await run(migrator);
  // Not a failed migration but a database away for now: the caller may wait and try again.
  if (error instanceof StoreUnavailableError) throw error;
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? '(before any ran)'} failed`, { cause: error });
  }
}

/**
 * The schema Parley's tables go into on PostgreSQL (the first of search_path). Kysely's migrator looks for its
 * tables in every schema of the database unless told which one, so another schema's migration tables (another app,
 * or a second Parley in the same database) would count as ours, and the first query on ours would fail.
 */
async function postgresSchema(db: AnyDb): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema;
}
