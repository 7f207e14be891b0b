import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppDeps } from '../../server/app.ts';
import { openDatabase } from '../../server/node/database.ts';
import { pgChanges } from '../../server/node/pg-changes.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { ApiTarget } from '../api/target.ts';
import { inProcessTarget } from './in-process.ts';
import { openPgSchema } from './postgres.ts';

/** The app in-process over a fresh SQLite file, removed again on close. */
export async function openSqliteTarget(
  env: Record<string, string> = {},
  deps: Partial<AppDeps> = {},
): Promise<ApiTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-'));
  const store = kyselyStore(openDatabase(`file:${join(dir, 'parley.db')}`));
  await store.migrate();
  return inProcessTarget(
    store,
    async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
    env,
    deps,
  );
}

/**
 * The app in-process over a fresh PostgreSQL schema, dropped again on close, listening for changes as a server
 * on PostgreSQL does (so thread versions are kept in memory).
 */
export async function openPostgresTarget(
  env: Record<string, string> = {},
  deps: Partial<AppDeps> = {},
): Promise<ApiTarget> {
  const { db, url, drop } = await openPgSchema();
  const store = kyselyStore(db);
  await store.migrate();
  const changes = await pgChanges(url, db, () => {});
  return inProcessTarget(
    store,
    async () => {
      await changes.close();
      await store.close();
      await drop();
    },
    env,
    { changes, ...deps },
  );
}
