import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import type { CommentRow } from '../../server/store/schema.ts';
import type { Store } from '../../server/store/store.ts';
import { commentRow } from '../support/factories.ts';
import type { OpenedStore } from './contract.ts';

/** Up-votes and the `top` order, the same on every engine. */
export function voteContract(name: string, open: () => Promise<OpenedStore>) {
  describe(`votes on ${name}`, () => {
    let opened: OpenedStore;
    let store: Store;
    let threads = 0;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await store.migrate();
    });
    afterAll(() => opened?.close());

    const newThread = () => {
      const key = `example.com/votes-${++threads}`;
      return store.ensureThread({
        id: newId(Date.now()),
        siteId: 'default',
        key,
        url: `https://${key}`,
        title: null,
        now: 1,
      });
    };

    async function insertTree(threadId: string, parents: Array<number | null>) {
      const rows: CommentRow[] = [];
      for (const parentIndex of parents) {
        const row = commentRow(threadId, parentIndex === null ? undefined : rows[parentIndex]);
        await store.insertComment(row);
        rows.push(row);
      }
      return rows;
    }

    const vote = (commentId: string, voter: string, voted = true) =>
      store.setVote({ commentId, voterHash: `voter-${voter}`, voted, now: 1 });

    const ids = (rows: CommentRow[], order: number[]) => order.map((i) => rows[i]?.id);

    it('counts one vote per voter, takes it back, and ignores repeats either way', async () => {
      const thread = await newThread();
      const [comment] = await insertTree(thread.id, [null]);
      if (!comment) throw new Error('no row');
      expect(await vote(comment.id, 'a')).toEqual({ votes: 1 });
      expect(await vote(comment.id, 'a')).toEqual({ votes: 1 });
      expect(await vote(comment.id, 'b')).toEqual({ votes: 2 });
      expect(await vote(comment.id, 'a', false)).toEqual({ votes: 1 });
      expect(await vote(comment.id, 'a', false)).toEqual({ votes: 1 });
      expect(await vote(comment.id, 'c', false)).toEqual({ votes: 1 });
      expect((await store.getComment(comment.id))?.votes).toBe(1);
      expect(await vote('0000000000000000', 'a')).toEqual({ votes: 0 });
    });

    it('counts parallel votes of many voters exactly', async () => {
      const thread = await newThread();
      const [comment] = await insertTree(thread.id, [null]);
      if (!comment) throw new Error('no row');
      await Promise.all(Array.from({ length: 12 }, (_, i) => vote(comment.id, `p${i}`)));
      expect((await store.getComment(comment.id))?.votes).toBe(12);
    });

    it("bumps the thread's version, so cached pages and ETags move on", async () => {
      const thread = await newThread();
      const [comment] = await insertTree(thread.id, [null]);
      if (!comment) throw new Error('no row');
      const before = (await store.findThread('default', thread.key))?.version ?? 0;
      await vote(comment.id, 'a');
      expect((await store.findThread('default', thread.key))?.version).toBe(before + 1);
    });

    it('orders top-level comments by votes, then oldest first, each followed by its replies', async () => {
      const thread = await newThread();
      // 0, 1, 2 top-level; 3 replies to 0; 4 replies to 1; 5 replies to 4
      const rows = await insertTree(thread.id, [null, null, null, 0, 1, 4]);
      const id = (i: number) => rows[i]?.id ?? '';
      await vote(id(2), 'a');
      await vote(id(2), 'b');
      await vote(id(1), 'a');
      // A reply's votes count for the reply, not for its thread's place.
      await vote(id(3), 'a');
      await vote(id(3), 'b');
      await vote(id(3), 'c');
      const listed = await store.listThread(thread.id, { sort: 'top', limit: 50 });
      expect(listed.map((r) => r.id)).toEqual(ids(rows, [2, 1, 4, 5, 0, 3]));
      expect(listed.map((r) => r.votes)).toEqual([2, 1, 0, 0, 0, 3]);

      // A reply written after the votes sorts with its top-level comment; taking votes back moves it down again.
      const late = commentRow(thread.id, rows[1]);
      await store.insertComment(late);
      await vote(id(1), 'c');
      await vote(id(1), 'd');
      const again = await store.listThread(thread.id, { sort: 'top', limit: 50 });
      expect(again.map((r) => r.id)).toEqual([...ids(rows, [1, 4, 5]), late.id, ...ids(rows, [2, 0, 3])]);
      await vote(id(1), 'a', false);
      await vote(id(1), 'c', false);
      await vote(id(1), 'd', false);
      const back = await store.listThread(thread.id, { sort: 'top', limit: 50 });
      expect(back.map((r) => r.id)).toEqual([...ids(rows, [2, 0, 3, 1, 4, 5]), late.id]);
    });

    it('pages through the top order with keyset cursors, nothing twice or missing', async () => {
      const thread = await newThread();
      const parents: Array<number | null> = [];
      for (let i = 0; i < 28; i++) parents.push(i % 4 === 0 ? null : i - 1);
      const rows = await insertTree(thread.id, parents);
      // Top-level comments get 0, 1 or 2 votes, so that ties need the age to break them.
      for (const [i, row] of rows.entries()) {
        if (row.parent_id) continue;
        for (let v = 0; v < (i / 4) % 3; v++) await vote(row.id, `v${v}`);
      }
      const whole = await store.listThread(thread.id, { sort: 'top', limit: 100 });
      expect(whole).toHaveLength(28);
      // Few queries: D1 is reached through wrangler's proxy, which has failed under a long run of them.
      for (const limit of [2, 5]) {
        const seen: CommentRow[] = [];
        let after: CommentRow | undefined;
        for (;;) {
          const page = await store.listThread(thread.id, {
            sort: 'top',
            limit,
            ...(after && { after: after.path, afterVotes: after.root_votes }),
          });
          expect(page.length).toBeLessThanOrEqual(limit + 1);
          seen.push(...page.slice(0, limit));
          if (page.length <= limit) break;
          after = page[limit - 1];
        }
        expect(seen.map((r) => r.id)).toEqual(whole.map((r) => r.id));
      }
      const roots = whole.filter((r) => !r.parent_id);
      const votes = roots.map((r) => r.root_votes);
      expect(votes).toEqual([...votes].sort((a, b) => b - a));
    });
  });
}
