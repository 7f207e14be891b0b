import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { accountContract } from './account-contract.ts';
import { type OpenedStore, storeContract } from './contract.ts';
import { moderationContract } from './moderation-contract.ts';

async function openSqlite(): Promise<OpenedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
  const store = kyselyStore(openDatabase(`file:${join(dir, 'parley.db')}`));
  return {
    store,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

storeContract('SQLite (file)', openSqlite);
accountContract('SQLite (file)', openSqlite);
moderationContract('SQLite (file)', openSqlite);
