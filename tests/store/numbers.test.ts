import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import type { Store } from '../../server/store/store.ts';
import { commentRow } from '../support/factories.ts';
import { pgAvailable } from '../support/postgres.ts';
import { workerdAvailable } from '../support/workerd.ts';
import type { OpenedStore } from './contract.ts';
import { openD1Db, openPgDb, openSqliteDb, storeOn } from './openers.ts';

/*
 * The store converts no numbers: every engine must hand back integer columns and counts as JS numbers
 * (PostgreSQL sends BIGINT as text unless its driver is told otherwise, in server/node/database.ts). `toBe`
 * compares with Object.is, so a '1700000000000' string fails where the number passes.
 */

const CREATED = 1_767_225_600_000;

function numbersContract(name: string, open: () => Promise<OpenedStore>) {
  describe(`numbers from ${name}`, () => {
    let opened: OpenedStore;
    let store: Store;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await store.migrate();
    });
    afterAll(() => opened?.close());

    it('come back as numbers from every kind of read', async () => {
      const key = `example.com/numbers-${Date.now()}`;
      const thread = await store.ensureThread({
        id: newId(CREATED),
        siteId: 'default',
        key,
        url: `https://${key}`,
        title: 'Numbers',
        now: CREATED,
      });
      expect(thread.created_at).toBe(CREATED);
      const row = commentRow(thread.id, undefined, {
        created_at: CREATED,
        edited_at: CREATED + 1,
        pinned: 1,
      });
      await store.insertComment(row);

      const found = await store.findSiteThread('default', key);
      expect(found?.site.version).toBe(0);
      expect(found?.thread).toMatchObject({ locked: 0, version: 1, comment_count: 1, created_at: CREATED });
      expect((await store.listThread(thread.id, { sort: 'oldest', limit: 10 }))[0]).toMatchObject({
        created_at: CREATED,
        edited_at: CREATED + 1,
        depth: 0,
        pinned: 1,
      });
      const [moderated] = await store.getModComments([row.id]);
      expect(moderated).toMatchObject({
        created_at: CREATED,
        edited_at: CREATED + 1,
        thread_locked: 0,
        thread_created_at: CREATED,
      });
      expect((await store.countByKeys('default', [key])).get(key)).toBe(1);
      expect((await store.countByStatus()).approved).toBeGreaterThanOrEqual(1);
      expect(typeof (await store.countByStatus()).approved).toBe('number');
      expect(await store.countCreatedIn(undefined, [[CREATED, CREATED + 1]])).toEqual([1]);
      expect(await store.hitRateLimit(`numbers:${key}`, CREATED)).toBe(1);
      expect(await store.hitRateLimit(`numbers:${key}`, CREATED)).toBe(2);
    });
  });
}

numbersContract('SQLite (file)', storeOn(openSqliteDb));

describe.runIf(pgAvailable)('PostgreSQL', () => {
  numbersContract('PostgreSQL', storeOn(openPgDb));
});

describe.runIf(workerdAvailable)('D1', () => {
  numbersContract('D1', storeOn(openD1Db));
});
