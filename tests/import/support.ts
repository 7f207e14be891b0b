import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { textChunks } from '../../server/import/lines.ts';
import { TEXT_READERS, type TextFormat } from '../../server/import/readers.ts';
import { type ImportOptions, importComments } from '../../server/import/writer.ts';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { CommentRow } from '../../server/store/schema.ts';
import type { Store } from '../../server/store/store.ts';

export const SECRET = 'import-test-secret';
export const NOW = Date.UTC(2026, 0, 15);

export const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
export const fixtureText = (name: string) => readFileSync(fixture(name), 'utf8');

/** A migrated store over a fresh SQLite file, removed again by `close`. */
export async function sqliteStore(): Promise<{
  store: Store;
  dir: string;
  url: string;
  close(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-import-'));
  const url = `file:${join(dir, 'parley.db')}`;
  const store = kyselyStore(openDatabase(url));
  await store.migrate();
  return {
    store,
    dir,
    url,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Imports text in one format, as the CLI and the dashboard do, in small batches so batching is exercised. */
export function importText(
  store: Store,
  format: TextFormat,
  text: string,
  options: Partial<ImportOptions> = {},
) {
  return importComments(store, () => TEXT_READERS[format](textChunks(text, 1000)), {
    format,
    secret: SECRET,
    now: NOW,
    batchSize: 4,
    ...options,
  });
}

/** Every comment of a site in thread order, as stored. */
export async function storedComments(store: Store, siteId = 'default'): Promise<CommentRow[]> {
  const rows = await store.listComments({ siteIds: [siteId], limit: 10_000 });
  return rows.sort((a, b) => (a.thread_id + a.path < b.thread_id + b.path ? -1 : 1));
}
