import { describe } from 'vitest';
import { workerdAvailable } from '../support/workerd.ts';
import { accountContract } from './account-contract.ts';
import { storeContract } from './contract.ts';
import { mailContract } from './mail-contract.ts';
import { moderationContract } from './moderation-contract.ts';
import { openD1Db, storeOn } from './openers.ts';
import { voteContract } from './vote-contract.ts';

const openD1 = storeOn(openD1Db);

// D1 as workerd runs it, reached from Node through wrangler's platform proxy.
describe.runIf(workerdAvailable)('D1', () => {
  storeContract('D1', openD1);
  accountContract('D1', openD1);
  moderationContract('D1', openD1);
  voteContract('D1', openD1);
  mailContract('D1', openD1);
});
