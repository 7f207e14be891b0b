import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/node/database.ts';

/** A Kysely database on a fresh SQLite file, removed again by `close()`. */
export function openSqliteDb() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
  const db = openDatabase(`file:${join(dir, 'parley.db')}`);
  return Promise.resolve({
    db,
    async close() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
