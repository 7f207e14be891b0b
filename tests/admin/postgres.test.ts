import { describe } from 'vitest';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { inProcessTarget } from '../support/in-process.ts';
import { openPgSchema, pgAvailable } from '../support/postgres.ts';
import { adminSuites } from './suites.ts';

describe.runIf(pgAvailable)('PostgreSQL', () => {
  adminSuites('PostgreSQL', async () => {
    const { db, drop } = await openPgSchema();
    const store = kyselyStore(db);
    await store.migrate();
    return inProcessTarget(store, async () => {
      await store.close();
      await drop();
    });
  });
});
