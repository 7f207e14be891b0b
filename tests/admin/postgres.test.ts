import { describe } from 'vitest';
import { pgAvailable } from '../support/postgres.ts';
import { openPostgresTarget } from '../support/targets.ts';
import { adminSuites } from './suites.ts';

describe.runIf(pgAvailable)('PostgreSQL', () => {
  adminSuites('PostgreSQL', () => openPostgresTarget());
});
