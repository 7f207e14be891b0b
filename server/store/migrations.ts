import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import { initial } from './migrations/0001-initial.ts';
import { sitesAccountsModeration } from './migrations/0002-sites-accounts-moderation.ts';
import { importOrigins } from './migrations/0004-import.ts';
import type { AnyDb } from './migrations/any-db.ts';

/*
 * One migration set for every engine. Only portable column types and no engine-specific functions, so the same
 * definitions run on SQLite, PostgreSQL and D1. Add migrations at the end; never edit one that has shipped.
 */

const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_sites_accounts_moderation': sitesAccountsModeration,
  '0004_import': importOrigins,
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
  const migrator = new Migrator({ db, provider, migrationTableName: 'parley_migrations' });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? '(before any ran)'} failed`, { cause: error });
  }
}
