import { describe } from 'vitest';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { openPgSchema, pgAvailable } from '../support/postgres.ts';
import { storeContract } from './contract.ts';

describe.runIf(pgAvailable)('PostgreSQL', () => {
  storeContract('PostgreSQL', async () => {
    const { db, drop } = await openPgSchema();
    const store = kyselyStore(db);
    return {
      store,
      async close() {
        await store.close();
        await drop();
      },
    };
  });
});
