import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { CommentRow } from '../../server/store/schema.ts';
import { LIMITS } from '../../shared/limits.ts';
import type { ThreadView } from '../../shared/schemas.ts';
import { commentRow } from '../support/factories.ts';
import { inProcessTarget } from '../support/in-process.ts';
import type { ApiTarget } from './target.ts';

const URL_OF_POST = 'https://blog.example.com/very-popular-post/';
const TOTAL = 10_000;

describe('a thread of 10,000 comments', () => {
  let target: ApiTarget;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-big-'));
    const db = openDatabase(`file:${join(dir, 'parley.db')}`);
    const store = kyselyStore(db);
    await store.migrate();
    const thread = await store.ensureThread({
      id: newId(Date.now()),
      siteId: 'default',
      key: 'blog.example.com/very-popular-post',
      url: URL_OF_POST,
      title: 'Popular',
      now: Date.now(),
    });
    // Seeded in bulk (the API's rate limit would take hours); every third comment replies to the one before.
    const rows: CommentRow[] = [];
    for (let i = 0; i < TOTAL; i++) {
      const parent = i % 3 === 0 ? undefined : rows[i - 1];
      rows.push(commentRow(thread.id, parent, { body: `Comment ${i}`, html: `<p>Comment ${i}</p>\n` }));
    }
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('comments')
        .values(rows.slice(i, i + 500))
        .execute();
    }
    await db.updateTable('threads').set({ comment_count: TOTAL }).where('id', '=', thread.id).execute();
    await store.insertComment(commentRow(thread.id));
    target = inProcessTarget(store, () => store.close());
  }, 60_000);

  afterAll(async () => {
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows its first screen from one request of bounded size', async () => {
    const res = await target.request(`/api/comments?url=${encodeURIComponent(URL_OF_POST)}`);
    const text = await res.text();
    const view = JSON.parse(text) as ThreadView;
    expect(view.thread.commentCount).toBe(TOTAL + 1);
    expect(view.comments).toHaveLength(LIMITS.pageDefault);
    expect(view.nextCursor).not.toBeNull();
    expect(text.length).toBeLessThan(30_000);
  });

  it('reaches its last page through cursors, a page at a time', async () => {
    let cursor: string | null = null;
    let seen = 0;
    let requests = 0;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const res = await target.request(
        `/api/comments?url=${encodeURIComponent(URL_OF_POST)}&limit=200${query}`,
      );
      const view = (await res.json()) as ThreadView;
      seen += view.comments.length;
      cursor = view.nextCursor;
      requests++;
    } while (cursor);
    expect(seen).toBe(TOTAL + 1);
    expect(requests).toBe(Math.ceil((TOTAL + 1) / 200));
  });
});
