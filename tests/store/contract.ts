import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import type { CommentRow } from '../../server/store/schema.ts';
import type { Store } from '../../server/store/store.ts';
import { commentRow } from '../support/factories.ts';

export interface OpenedStore {
  store: Store;
  close(): Promise<void>;
}

/** The behaviour every engine must show; each engine's test file calls this with a fresh, empty store. */
export function storeContract(name: string, open: () => Promise<OpenedStore>) {
  describe(`store contract on ${name}`, () => {
    let opened: OpenedStore;
    let store: Store;
    let siteCounter = 0;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await store.migrate();
    });
    afterAll(() => opened?.close());

    const newThread = (key = `example.com/post-${++siteCounter}`, title: string | null = 'A post') =>
      store.ensureThread({
        id: newId(Date.now()),
        siteId: 'default',
        key,
        url: `https://${key}`,
        title,
        now: 1,
      });

    /** Inserts a tree given as [parentIndex | null] per comment, returning the rows in insertion order. */
    async function insertTree(threadId: string, parents: Array<number | null>) {
      const rows: CommentRow[] = [];
      for (const parentIndex of parents) {
        const row = commentRow(threadId, parentIndex === null ? undefined : rows[parentIndex]);
        await store.insertComment(row);
        rows.push(row);
      }
      return rows;
    }

    async function readAll(threadId: string, sort: 'oldest' | 'newest', limit: number) {
      const seen: CommentRow[] = [];
      let after: string | undefined;
      for (;;) {
        const rows = await store.listThread(threadId, { sort, after, limit });
        expect(rows.length).toBeLessThanOrEqual(limit + 1);
        const page = rows.slice(0, limit);
        seen.push(...page);
        if (rows.length <= limit) return seen;
        after = page.at(-1)?.path;
      }
    }

    it('each comment write returns the version it moved its thread to', async () => {
      const thread = await newThread();
      const row = commentRow(thread.id);
      const versions = [await store.insertComment(row)];
      versions.push(await store.updateComment(row, { body: 'Changed.', html: '<p>Changed.</p>' }));
      versions.push(await store.removeComment({ ...row, body: 'Changed.' }));
      expect(versions).toEqual([thread.version + 1, thread.version + 2, thread.version + 3]);
      expect((await store.findThread('default', thread.key))?.version).toBe(thread.version + 3);
    });

    it('migrating again changes nothing and the default site exists', async () => {
      await store.migrate();
      await expect(newThread('example.com/after-second-migration')).resolves.toMatchObject({
        site_id: 'default',
      });
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('keeps the first value of a setting', async () => {
      expect(await store.getOrCreateSetting('contract-secret', 'first')).toBe('first');
      expect(await store.getOrCreateSetting('contract-secret', 'second')).toBe('first');
    });

    it('creates a thread once, even when asked concurrently, and never renames it afterwards', async () => {
      const results = await Promise.all([1, 2, 3].map(() => newThread('example.com/concurrent', 'Old')));
      expect(new Set(results.map((t) => t.id)).size).toBe(1);
      const again = await newThread('example.com/concurrent', 'New title');
      expect(again).toMatchObject({ id: results[0]?.id, title: 'Old' });
      expect((await store.findThread('default', 'example.com/concurrent'))?.title).toBe('Old');
      expect(await store.findThread('default', 'example.com/never-commented')).toBeUndefined();
    });

    it('bumps the thread version and count on every write', async () => {
      const thread = await newThread();
      expect(thread.version).toBe(0);
      const [first] = await insertTree(thread.id, [null, null]);
      const afterInserts = await store.findThread('default', thread.key);
      expect(afterInserts).toMatchObject({ version: 2, comment_count: 2 });
      if (!first) throw new Error('no row');
      await store.updateComment(first, { status: 'spam' });
      expect(await store.findThread('default', thread.key)).toMatchObject({ version: 3, comment_count: 1 });
      const spam = await store.getComment(first.id);
      if (!spam) throw new Error('comment vanished');
      await store.removeComment(spam);
      expect(await store.findThread('default', thread.key)).toMatchObject({ version: 4, comment_count: 1 });
    });

    it('lists a thread depth-first, oldest first, with replies after their parent', async () => {
      const thread = await newThread();
      // 0, 1 top-level; 2 replies to 0; 3 replies to 2; 4 replies to 0; 5 replies to 1
      const rows = await insertTree(thread.id, [null, null, 0, 2, 0, 1]);
      const listed = await store.listThread(thread.id, { sort: 'oldest', limit: 50 });
      expect(listed.map((r) => r.id)).toEqual([0, 2, 3, 4, 1, 5].map((i) => rows[i]?.id));
      expect(listed.map((r) => r.depth)).toEqual([0, 1, 2, 1, 0, 1]);
    });

    it('lists newest top-level comments first while replies stay oldest first under them', async () => {
      const thread = await newThread();
      const rows = await insertTree(thread.id, [null, null, 0, 2, 0, 1]);
      const listed = await store.listThread(thread.id, { sort: 'newest', limit: 50 });
      expect(listed.map((r) => r.id)).toEqual([1, 5, 0, 2, 3, 4].map((i) => rows[i]?.id));
    });

    it('pages through a thread with keyset cursors, each page bounded, nothing twice or missing', async () => {
      const thread = await newThread();
      const parents: Array<number | null> = [];
      for (let i = 0; i < 40; i++) parents.push(i % 3 === 0 ? null : i - 1);
      const rows = await insertTree(thread.id, parents);
      for (const sort of ['oldest', 'newest'] as const) {
        const whole = await store.listThread(thread.id, { sort, limit: 100 });
        const paged = await readAll(thread.id, sort, 7);
        expect(paged.map((r) => r.id)).toEqual(whole.map((r) => r.id));
        expect(new Set(paged.map((r) => r.id)).size).toBe(rows.length);
      }
    });

    it('shows deleted placeholders but hides pending and spam comments', async () => {
      const thread = await newThread();
      const [kept, , ,] = await insertTree(thread.id, [null, null, null]);
      const rows = await store.listThread(thread.id, { sort: 'oldest', limit: 10 });
      const [, second, third] = rows;
      if (!kept || !second || !third) throw new Error('missing rows');
      await store.updateComment(second, { status: 'deleted', scrub: true });
      await store.updateComment(third, { status: 'pending' });
      const listed = await store.listThread(thread.id, { sort: 'oldest', limit: 10 });
      expect(listed.map((r) => [r.id, r.status])).toEqual([
        [kept.id, 'approved'],
        [second.id, 'deleted'],
      ]);
      const scrubbed = await store.getComment(second.id);
      expect(scrubbed).toMatchObject({ body: '', html: '', author_name: '', author_email: null });
      expect((await store.findThread('default', thread.key))?.comment_count).toBe(1);
    });

    it('edits a comment in place', async () => {
      const thread = await newThread();
      const [row] = await insertTree(thread.id, [null]);
      if (!row) throw new Error('no row');
      await store.updateComment(row, { body: 'New *text*', html: '<p>New <em>text</em></p>', editedAt: 99 });
      expect(await store.getComment(row.id)).toMatchObject({
        body: 'New *text*',
        edited_at: 99,
        status: 'approved',
      });
    });

    it('tells whether a comment has replies, and forgets a removed one', async () => {
      const thread = await newThread();
      const [parent, child] = await insertTree(thread.id, [null, 0]);
      if (!parent || !child) throw new Error('missing rows');
      expect(await store.hasReplies(parent.id)).toBe(true);
      expect(await store.hasReplies(child.id)).toBe(false);
      await store.removeComment(child);
      expect(await store.getComment(child.id)).toBeUndefined();
      expect(await store.hasReplies(parent.id)).toBe(false);
    });

    it('counts comments by thread key, leaving out threads that do not exist', async () => {
      const a = await newThread('example.com/count-a');
      await insertTree(a.id, [null, 0, null]);
      const counts = await store.countByKeys('default', ['example.com/count-a', 'example.com/count-none']);
      expect([...counts]).toEqual([['example.com/count-a', 3]]);
      expect((await store.countByKeys('default', [])).size).toBe(0);
    });

    it('counts rate-limit hits per key and window, takes one back, and prunes old windows', async () => {
      expect(await store.hitRateLimit('write:a', 60_000)).toBe(1);
      expect(await store.hitRateLimit('write:a', 60_000)).toBe(2);
      expect(await store.hitRateLimit('write:b', 60_000)).toBe(1);
      expect(await store.hitRateLimit('write:a', 120_000)).toBe(1);
      const concurrent = await Promise.all([1, 2, 3, 4].map(() => store.hitRateLimit('write:c', 60_000)));
      expect(concurrent.sort()).toEqual([1, 2, 3, 4]);
      await store.refundRateLimit('write:a', 60_000);
      expect(await store.hitRateLimit('write:a', 60_000)).toBe(2);
      await store.refundRateLimit('write:none', 60_000);
      await store.refundRateLimit('write:none', 60_000);
      expect(await store.hitRateLimit('write:none', 60_000)).toBe(1);
      await store.pruneRateLimits(120_000);
      expect(await store.hitRateLimit('write:a', 60_000)).toBe(1);
      expect(await store.hitRateLimit('write:a', 120_000)).toBe(2);
    });
  });
}
