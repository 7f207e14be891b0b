import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { CommentRow, Database } from '../../server/store/schema.ts';
import type { Store } from '../../server/store/store.ts';
import type { AdminCommentsPage } from '../../shared/admin-schemas.ts';
import type { ApiTarget } from '../api/target.ts';
import { commentRow } from '../support/factories.ts';
import { inProcessTarget } from '../support/in-process.ts';
import { type AdminClient, signIn } from './client.ts';

const SITE = 'busy-blog';
const TOTAL = 10_000;
const PAGE = 50;
const START = Date.UTC(2026, 0, 1);

describe('a moderation queue of 10,000 pending comments', () => {
  let dir: string;
  let sqlite: SQLite.Database;
  let store: Store;
  let target: ApiTarget;
  let admin: AdminClient;
  /** Seeded ids, newest first: the order the queue shows. */
  let newestFirst: CommentRow[];
  const statements: Array<{ sql: string; parameters: readonly unknown[] }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-queue-'));
    sqlite = new SQLite(join(dir, 'parley.db'));
    sqlite.pragma('journal_mode = WAL');
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => {
        if (event.level === 'query') statements.push(event.query);
      },
    });
    store = kyselyStore(db);
    await store.migrate();
    await store.insertSite({ id: SITE, name: 'Busy blog', settings: { moderation: 'all' }, now: START });
    // A thousand threads, ten pending comments each, one second apart; seeded in bulk (the API would take hours).
    const rows: CommentRow[] = [];
    for (let t = 0; t < TOTAL / 10; t++) {
      const thread = await store.ensureThread({
        id: newId(START),
        siteId: SITE,
        key: `busy.example/post-${t}`,
        url: `https://busy.example/post-${t}/`,
        title: `Post ${t}`,
        now: START,
      });
      for (let i = 0; i < 10; i++) {
        const at = START + (t * 10 + i) * 1000;
        const id = newId(at);
        rows.push(
          commentRow(thread.id, undefined, {
            id,
            root_id: id,
            path: id,
            site_id: SITE,
            status: 'pending',
            status_reason: 'moderation: all',
            created_at: at,
          }),
        );
      }
    }
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('comments')
        .values(rows.slice(i, i + 500))
        .execute();
    }
    newestFirst = [...rows].reverse();
    target = inProcessTarget(store, async () => {});
    admin = await signIn(target);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One request for a page, timed, with the query plan of the queue's SELECT. */
  async function timedPage(query: string) {
    statements.length = 0;
    const started = performance.now();
    const res = await admin.send('GET', `/comments${query}`);
    const ms = performance.now() - started;
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const select = statements.find((s) => /from "comments" as "c"/.test(s.sql) && /order by/.test(s.sql));
    if (!select) throw new Error('The queue query was not seen');
    const plan = sqlite
      .prepare(`explain query plan ${select.sql}`)
      .all(...(select.parameters as unknown[])) as Array<{ detail: string }>;
    return {
      page: JSON.parse(text) as AdminCommentsPage,
      bytes: text.length,
      ms,
      plan: plan.map((p) => p.detail),
    };
  }

  const cursorAt = (index: number) => {
    const row = newestFirst[index];
    if (!row) throw new Error(`No row ${index}`);
    return encodeURIComponent(`${row.created_at}.${row.id}`);
  };

  it('serves the first page from the (site, status, created_at) index, in one bounded request', async () => {
    const { page, bytes, ms, plan } = await timedPage(`?site=${SITE}&status=pending&limit=${PAGE}`);
    expect(page.comments.map((c) => c.id)).toEqual(newestFirst.slice(0, PAGE).map((r) => r.id));
    expect(page.nextCursor).toBe(decodeURIComponent(cursorAt(PAGE - 1)));
    expect(bytes).toBeLessThan(64 * 1024);
    expect(plan.join('\n')).toMatch(/USING INDEX comments_site_status_created/);
    expect(plan.join('\n')).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
    console.info(`[queue] first page of ${TOTAL} pending: ${ms.toFixed(1)} ms, ${bytes} bytes`);
    expect(ms).toBeLessThan(500);
  });

  it('serves a deep page by keyset just as fast, nothing skipped or repeated at the seam', async () => {
    const deep = TOTAL - 2 * PAGE;
    const { page, bytes, ms, plan } = await timedPage(
      `?site=${SITE}&status=pending&limit=${PAGE}&cursor=${cursorAt(deep - 1)}`,
    );
    expect(page.comments.map((c) => c.id)).toEqual(newestFirst.slice(deep, deep + PAGE).map((r) => r.id));
    expect(bytes).toBeLessThan(64 * 1024);
    // The scan starts at the cursor rather than walking down to it.
    expect(plan.join('\n')).toMatch(
      /USING INDEX comments_site_status_created \(site_id=\? AND status=\? AND created_at<\?\)/,
    );
    console.info(`[queue] page at ${deep} of ${TOTAL} pending: ${ms.toFixed(1)} ms, ${bytes} bytes`);
    expect(ms).toBeLessThan(500);

    const last = await timedPage(
      `?site=${SITE}&status=pending&limit=${PAGE}&cursor=${cursorAt(TOTAL - PAGE - 1)}`,
    );
    expect(last.page.comments).toHaveLength(PAGE);
    expect(last.page.nextCursor).toBeNull();
  });

  it('serves a server owner’s queue across every site from the (status, created_at) index', async () => {
    const { page, plan, ms } = await timedPage(`?status=pending&limit=${PAGE}&cursor=${cursorAt(5000)}`);
    expect(page.comments.map((c) => c.id)).toEqual(newestFirst.slice(5001, 5001 + PAGE).map((r) => r.id));
    expect(plan.join('\n')).toMatch(/USING INDEX comments_status_created/);
    console.info(`[queue] all sites, page at 5001: ${ms.toFixed(1)} ms`);
  });
});
