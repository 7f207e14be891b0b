import { openSqliteTarget } from '../support/targets.ts';
import { liveSuite } from './live-suite.ts';
import { siteSettingsSuite } from './site-settings-suite.ts';
import { apiSuite } from './suite.ts';
import { votesSuite } from './votes-suite.ts';

apiSuite('SQLite (file)', () => openSqliteTarget());
siteSettingsSuite('SQLite (file)', () => openSqliteTarget());
votesSuite('SQLite (file)', () => openSqliteTarget());
liveSuite('SQLite (file)', () => openSqliteTarget());
