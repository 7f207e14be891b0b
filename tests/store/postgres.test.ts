import { describe } from 'vitest';
import { pgAvailable } from '../support/postgres.ts';
import { accountContract } from './account-contract.ts';
import { storeContract } from './contract.ts';
import { mailContract } from './mail-contract.ts';
import { moderationContract } from './moderation-contract.ts';
import { openPgDb, storeOn } from './openers.ts';
import { voteContract } from './vote-contract.ts';

const openPostgres = storeOn(openPgDb);

describe.runIf(pgAvailable)('PostgreSQL', () => {
  storeContract('PostgreSQL', openPostgres);
  accountContract('PostgreSQL', openPostgres);
  moderationContract('PostgreSQL', openPostgres);
  voteContract('PostgreSQL', openPostgres);
  mailContract('PostgreSQL', openPostgres);
});
