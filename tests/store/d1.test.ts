import { describe } from 'vitest';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { openD1Database, workerdAvailable } from '../support/workerd.ts';
import { storeContract } from './contract.ts';

// D1 as workerd runs it, reached from Node through wrangler's platform proxy.
describe.runIf(workerdAvailable)('D1', () => {
  storeContract('D1', async () => {
    const { db, close } = await openD1Database();
    return { store: kyselyStore(db), close };
  });
});
