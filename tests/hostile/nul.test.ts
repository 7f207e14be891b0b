import { describe } from 'vitest';
import { pgAvailable } from '../support/postgres.ts';
import { openPostgresTarget, openSqliteTarget } from '../support/targets.ts';
import { openWorkerTarget, workerdAvailable } from '../support/workerd.ts';
import { nulSuite } from './nul-suite.ts';

nulSuite('SQLite (file)', () => openSqliteTarget());
describe.runIf(pgAvailable)('PostgreSQL', () => nulSuite('PostgreSQL', () => openPostgresTarget()));
describe.runIf(workerdAvailable)('D1 in workerd', () => nulSuite('D1 in workerd', openWorkerTarget));
