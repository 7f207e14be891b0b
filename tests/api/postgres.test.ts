import { describe } from 'vitest';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { inProcessTarget } from '../support/in-process.ts';
import { openPgSchema, pgAvailable } from '../support/postgres.ts';
import { siteSettingsSuite } from './site-settings-suite.ts';
import { apiSuite } from './suite.ts';

async function openPostgres() {
  const { db, drop } = await openPgSchema();
  const store = kyselyStore(db);
  await store.migrate();
  return inProcessTarget(store, async () => {
    await store.close();
    await drop();
  });
}

describe.runIf(pgAvailable)('PostgreSQL', () => {
  apiSuite('PostgreSQL', openPostgres);
  siteSettingsSuite('PostgreSQL', openPostgres);
});
