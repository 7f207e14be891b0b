import { describe } from 'vitest';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { openD1Database, workerdAvailable } from '../support/workerd.ts';
import { accountContract } from './account-contract.ts';
import { type OpenedStore, storeContract } from './contract.ts';
import { moderationContract } from './moderation-contract.ts';

async function openD1(): Promise<OpenedStore> {
  const { db, atomic, close } = await openD1Database();
  return { store: kyselyStore(db, atomic), close };
}

// D1 as workerd runs it, reached from Node through wrangler's platform proxy.
describe.runIf(workerdAvailable)('D1', () => {
  storeContract('D1', openD1);
  accountContract('D1', openD1);
  moderationContract('D1', openD1);
});
