import { describe } from 'vitest';
import { pgAvailable } from '../support/postgres.ts';
import { workerdAvailable } from '../support/workerd.ts';
import { hooksContract } from './hooks-contract.ts';
import { openD1Db, openPgDb, openSqliteDb, storeOn } from './openers.ts';

hooksContract('SQLite (file)', storeOn(openSqliteDb));
describe.runIf(pgAvailable)('PostgreSQL', () => hooksContract('PostgreSQL', storeOn(openPgDb)));
describe.runIf(workerdAvailable)('D1', () => hooksContract('D1', storeOn(openD1Db)));
