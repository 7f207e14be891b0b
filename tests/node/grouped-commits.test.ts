import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/node/database.ts';
import { groupedWritesOf } from '../../server/store/atomic.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Database } from '../../server/store/schema.ts';
import type { Store } from '../../server/store/store.ts';

const WAL_HEADER = 32;
const FRAME = 24 + 4096;

describe('grouped commits on a SQLite file', () => {
  let dir: string;
  let db: Kysely<Database>;
  let store: Store;
  const walFrames = () => (statSync(join(dir, 'parley.db-wal')).size - WAL_HEADER) / FRAME;
  const hitCount = async (key: string) =>
    (await db.selectFrom('rate_limits').select('hits').where('key', '=', key).executeTakeFirst())?.hits;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-grouped-'));
    db = openDatabase(`file:${join(dir, 'parley.db')}`);
    store = kyselyStore(db);
    await store.migrate();
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits the writes asked for in one turn of the event loop together, each counted once', async () => {
    const hits = await Promise.all(Array.from({ length: 8 }, () => store.hitRateLimit('write:one', 0)));
    expect(hits.toSorted((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Eight commits of one row would write the row's page eight times; one commit writes each page once.
    expect(walFrames()).toBeGreaterThan(0);
    expect(walFrames()).toBeLessThanOrEqual(3);
    expect(await hitCount('write:one')).toBe(8);
  });

  it('rolls back a unit that fails by itself, and commits the others of its group', async () => {
    const grouped = groupedWritesOf(db);
    if (!grouped) throw new Error('SQLite files opened on Node group their commits');
    const row = (key: string) =>
      db.insertInto('rate_limits').values({ key, window_start: 0, hits: 1 }).compile();
    const [first, failing, last] = await Promise.allSettled([
      grouped([row('a')]),
      grouped([row('b'), row('b')]),
      grouped([row('c')]),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(failing.status).toBe('rejected');
    expect(String((failing as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint/);
    expect(last.status).toBe('fulfilled');
    const keys = await db.selectFrom('rate_limits').select('key').orderBy('key').execute();
    expect(keys.map(({ key }) => key)).toEqual(['a', 'c']);
  });

  it('waits for a transaction of its own that Kysely holds open, and loses nothing of either', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('rate_limits').values({ key: 'import', window_start: 0, hits: 1 }).execute();
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const hit = store.hitRateLimit('write:during', 0);
    let counted = false;
    void hit.then(() => {
      counted = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(counted).toBe(false);
    release();
    await transaction;
    expect(await hit).toBe(1);
    expect(await hitCount('import')).toBe(1);
    expect(await hitCount('write:during')).toBe(1);
  });

  it('runs the hot reads on the connection at once, and after a transaction Kysely holds open', async () => {
    await store.insertWebhook({
      id: 'hook-1',
      site_id: 'default',
      url: 'https://hooks.example/one',
      secret: 'whsec_one',
      events: 'comment.created',
      created_by: 'owner',
      created_at: 1,
    });
    expect((await store.listWebhooks('default')).map((hook) => hook.id)).toEqual(['hook-1']);

    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = db.transaction().execute(async (trx) => {
      await trx.deleteFrom('webhooks').where('id', '=', 'hook-1').execute();
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const read = store.listWebhooks('default');
    await new Promise((resolve) => setTimeout(resolve, 30));
    release();
    await transaction;
    expect(await read).toEqual([]);
  });

  it('fails a whole group with the error that rolled its transaction back, and commits the next one', async () => {
    const grouped = groupedWritesOf(db);
    if (!grouped) throw new Error('SQLite files opened on Node group their commits');
    const row = (key: string) =>
      db.insertInto('rate_limits').values({ key, window_start: 0, hits: 1 }).compile();
    const pages = (await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0]?.page_count;
    // A full disk rolls back the whole transaction, not only the statement that met it.
    await sql.raw(`pragma max_page_count = ${pages}`).execute(db);
    const outcomes = await Promise.allSettled([grouped([row('small')]), grouped([row('x'.repeat(200_000))])]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/full/);
    }
    await sql.raw('pragma max_page_count = 1073741823').execute(db);
    await grouped([row('after')]);
    const keys = await db.selectFrom('rate_limits').select('key').execute();
    expect(keys.map(({ key }) => key)).toEqual(['after']);
  });
});
