import { openSqliteTarget } from '../support/targets.ts';
import { adminSuites } from './suites.ts';

adminSuites('SQLite (file)', () => openSqliteTarget());
