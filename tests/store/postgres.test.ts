import { describe } from 'vitest';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { openPgSchema, pgAvailable } from '../support/postgres.ts';
import { accountContract } from './account-contract.ts';
import { type OpenedStore, storeContract } from './contract.ts';
import { moderationContract } from './moderation-contract.ts';

async function openPostgres(): Promise<OpenedStore> {
  const { db, drop } = await openPgSchema();
  const store = kyselyStore(db);
  return {
    store,
    async close() {
      await store.close();
      await drop();
    },
  };
}

describe.runIf(pgAvailable)('PostgreSQL', () => {
  storeContract('PostgreSQL', openPostgres);
  accountContract('PostgreSQL', openPostgres);
  moderationContract('PostgreSQL', openPostgres);
});
