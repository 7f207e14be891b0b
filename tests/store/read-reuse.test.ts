import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import { OTHER_PROCESSES_SEEN_WITHIN_MS, openDatabase } from '../../server/node/database.ts';
import { changeStampOf } from '../../server/store/change-stamp.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Store } from '../../server/store/store.ts';
import { commentRow } from '../support/factories.ts';

/*
 * On SQLite the store keeps a page's site and thread while the database stays unchanged (server/store/site-store.ts,
 * the change stamp of server/node/database.ts). Reusing them must never show a reader something older than the
 * database holds, whoever wrote: this store, another connection to the file (a second instance) at once, or another
 * program writing to the file without Parley's code (the CLI, a restore, sqlite3 by hand) within
 * OTHER_PROCESSES_SEEN_WITHIN_MS.
 */

const NOW = 1_767_225_600_000;

describe('the site and thread a SQLite store keeps between reads', () => {
  let dir: string;
  let file: string;
  let store: Store;
  let other: Store;
  let threadId: string;
  const key = 'example.com/kept';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-reuse-'));
    file = join(dir, 'parley.db');
    store = kyselyStore(openDatabase(`file:${file}`));
    await store.migrate();
    other = kyselyStore(openDatabase(`file:${file}`));
    threadId = (
      await store.ensureThread({
        id: newId(NOW),
        siteId: 'default',
        key,
        url: `https://${key}`,
        title: 'Kept',
        now: NOW,
      })
    ).id;
  });
  afterAll(async () => {
    await store?.close();
    await other?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a stamp that moves with every write, by this connection or any other', async () => {
    const db = openDatabase(`file:${file}`);
    const stamp = changeStampOf(db);
    expect(stamp).toBeTypeOf('function');
    const before = stamp?.();
    expect(stamp?.()).toBe(before);
    await other.insertComment(commentRow(threadId));
    const afterOther = stamp?.();
    expect(afterOther).not.toBe(before);
    const ownStore = kyselyStore(db);
    await ownStore.insertComment(commentRow(threadId));
    expect(stamp?.()).not.toBe(afterOther);
    await ownStore.close();
  });

  it('sees a write by this store at once', async () => {
    const before = (await store.findSiteThread('default', key))?.thread?.version ?? 0;
    expect((await store.findSiteThread('default', key))?.thread?.version).toBe(before);
    await store.insertComment(commentRow(threadId));
    expect((await store.findSiteThread('default', key))?.thread?.version).toBe(before + 1);
  });

  it('sees a write by another instance on the same file at once', async () => {
    const before = (await store.findSiteThread('default', key))?.thread?.comment_count ?? 0;
    await other.insertComment(commentRow(threadId));
    expect((await store.findSiteThread('default', key))?.thread?.comment_count).toBe(before + 1);
    await other.setThreadLocked(threadId, 1);
    expect((await store.findSiteThread('default', key))?.thread?.locked).toBe(1);
    await other.updateSite('default', { settings: { requireName: true } });
    expect((await store.findSiteThread('default', key))?.site.settings.requireName).toBe(true);
  });

  it('sees a write made without Parley, straight into the file, within the bound for other processes', async () => {
    const kept = await store.findSiteThread('default', key);
    const raw = new SQLite(file);
    raw
      .prepare('update threads set title = ?, version = version + 1 where id = ?')
      .run('Renamed by hand', threadId);
    raw.close();
    await new Promise((resolve) => setTimeout(resolve, OTHER_PROCESSES_SEEN_WITHIN_MS + 1));
    const found = await store.findSiteThread('default', key);
    expect(found?.thread?.title).toBe('Renamed by hand');
    expect(found?.thread?.version).toBe((kept?.thread?.version ?? 0) + 1);
  });

  it('sees a thread made after a read that found none', async () => {
    const later = 'example.com/made-later';
    expect((await store.findSiteThread('default', later))?.thread).toBeUndefined();
    await other.ensureThread({
      id: newId(NOW),
      siteId: 'default',
      key: later,
      url: `https://${later}`,
      title: null,
      now: NOW,
    });
    expect((await store.findSiteThread('default', later))?.thread?.key).toBe(later);
  });
});
