import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { inProcessTarget } from '../support/in-process.ts';
import { adminSuites } from './suites.ts';

adminSuites('SQLite (file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-admin-'));
  const store = kyselyStore(openDatabase(`file:${join(dir, 'parley.db')}`));
  await store.migrate();
  return inProcessTarget(store, async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
