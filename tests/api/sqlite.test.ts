import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { inProcessTarget } from '../support/in-process.ts';
import { siteSettingsSuite } from './site-settings-suite.ts';
import { apiSuite } from './suite.ts';

async function openSqlite() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-api-'));
  const store = kyselyStore(openDatabase(`file:${join(dir, 'parley.db')}`));
  await store.migrate();
  return inProcessTarget(store, async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
}

apiSuite('SQLite (file)', openSqlite);
siteSettingsSuite('SQLite (file)', openSqlite);
