import { accountContract } from './account-contract.ts';
import { storeContract } from './contract.ts';
import { mailContract } from './mail-contract.ts';
import { moderationContract } from './moderation-contract.ts';
import { openSqliteDb, storeOn } from './openers.ts';
import { voteContract } from './vote-contract.ts';

const openSqlite = storeOn(openSqliteDb);

storeContract('SQLite (file)', openSqlite);
accountContract('SQLite (file)', openSqlite);
moderationContract('SQLite (file)', openSqlite);
voteContract('SQLite (file)', openSqlite);
mailContract('SQLite (file)', openSqlite);
