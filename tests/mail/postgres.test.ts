import { describe } from 'vitest';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { inProcessTarget } from '../support/in-process.ts';
import { openPgSchema, pgAvailable } from '../support/postgres.ts';
import { mailSuite } from './mail-suite.ts';

describe.runIf(pgAvailable)('PostgreSQL', () => {
  mailSuite('PostgreSQL', async (env, deps) => {
    const { db, drop } = await openPgSchema();
    const store = kyselyStore(db);
    await store.migrate();
    const close = async () => {
      await store.close();
      await drop();
    };
    return { target: inProcessTarget(store, close, env, deps), store };
  });
});
