import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { inProcessTarget } from '../support/in-process.ts';
import { mailSuite } from './mail-suite.ts';

mailSuite('SQLite (file)', async (env, deps) => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-mail-'));
  const store = kyselyStore(openDatabase(`file:${join(dir, 'parley.db')}`));
  await store.migrate();
  const close = async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { target: inProcessTarget(store, close, env, deps), store };
});
