import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../server/node/database.ts';
import type { Atomic } from '../../server/store/atomic.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Database } from '../../server/store/schema.ts';
import { openPgSchema } from '../support/postgres.ts';
import { openD1Database } from '../support/workerd.ts';
import type { OpenedStore } from './contract.ts';

/*
 * A fresh, empty database per call for the store suites, one opener per engine; `close()` ends its connections
 * and removes what it made (the SQLite file, the PostgreSQL schema, the workerd).
 */

export interface OpenedDb {
  db: Kysely<Database>;
  /** How the engine runs statements as one unit, where it cannot take a transaction (D1). */
  atomic?: Atomic;
  close(): Promise<void>;
}

export function openSqliteDb(): Promise<OpenedDb> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
  const db = openDatabase(`file:${join(dir, 'parley.db')}`);
  return Promise.resolve({
    db,
    async close() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export async function openPgDb(): Promise<OpenedDb> {
  const { db, drop } = await openPgSchema();
  return {
    db,
    async close() {
      await db.destroy();
      await drop();
    },
  };
}

export const openD1Db: () => Promise<OpenedDb> = openD1Database;

/** The store over a database from `open`, for the contract suites. */
export const storeOn = (open: () => Promise<OpenedDb>) => async (): Promise<OpenedStore> => {
  const { db, atomic, close } = await open();
  return { store: kyselyStore(db, atomic), close };
};
