import { describe } from 'vitest';
import { pgAvailable } from '../support/postgres.ts';
import { openPostgresTarget } from '../support/targets.ts';
import { liveSuite } from './live-suite.ts';
import { siteSettingsSuite } from './site-settings-suite.ts';
import { apiSuite } from './suite.ts';
import { votesSuite } from './votes-suite.ts';

describe.runIf(pgAvailable)('PostgreSQL', () => {
  apiSuite('PostgreSQL', () => openPostgresTarget());
  siteSettingsSuite('PostgreSQL', () => openPostgresTarget());
  votesSuite('PostgreSQL', () => openPostgresTarget());
  liveSuite('PostgreSQL', () => openPostgresTarget());
});
