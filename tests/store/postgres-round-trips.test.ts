import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import { registerNextTurn } from '../../server/store/atomic.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Database } from '../../server/store/schema.ts';
import type { Store } from '../../server/store/store.ts';
import { commentRow } from '../support/factories.ts';
import { openPgSchema, pgAvailable } from '../support/postgres.ts';

/**
 * A store on a schema of its own whose connections record every statement they send, `begin` and `commit` included;
 * `gathered` lets the statements of one turn go together, as the Node entry's PostgreSQL does.
 */
async function recordingStore(sent: string[], { gathered = false } = {}) {
  const schema = await openPgSchema();
  await schema.db.destroy();
  const pool = new pg.Pool({ connectionString: schema.url, max: 2 });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const text = args[0];
      sent.push(typeof text === 'string' ? text : String((text as { text?: string }).text));
      return query(...args);
    };
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  if (gathered) registerNextTurn(db, setImmediate);
  const store = kyselyStore(db);
  await store.migrate();
  return { store, drop: schema.drop };
}

/** A comment goes to PostgreSQL in one round trip: the row and its thread's version in one statement. */
describe.runIf(pgAvailable)('PostgreSQL round trips of a new comment', () => {
  let drop: () => Promise<void>;
  let store: Store;
  const sent: string[] = [];

  beforeAll(async () => {
    ({ store, drop } = await recordingStore(sent));
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('inserts a comment and a reply each in one statement, with the version, count and votes of before', async () => {
    const thread = await store.ensureThread({
      id: newId(Date.now()),
      siteId: 'default',
      key: 'example.com/round-trips',
      url: 'https://example.com/round-trips',
      title: null,
      now: 1,
    });
    const top = commentRow(thread.id);
    sent.length = 0;
    expect(await store.insertComment(top)).toBe(thread.version + 1);
    expect(sent).toHaveLength(1);

    await store.setVote({ commentId: top.id, voterHash: 'v1', voted: true, now: 2 });
    const before = (await store.getThread(thread.id))?.version ?? 0;
    const reply = commentRow(thread.id, top, { status: 'pending' });
    sent.length = 0;
    expect(await store.insertComment(reply)).toBe(before + 1);
    expect(sent).toHaveLength(1);

    const stored = await store.getComment(reply.id);
    expect(stored?.root_votes).toBe(1);
    // A held reply moves the version but not the count of comments shown.
    expect((await store.getThread(thread.id))?.comment_count).toBe(1);
  });
});

/** The rate-limit counts asked for while the event loop turns go to PostgreSQL in one statement. */
describe.runIf(pgAvailable)('PostgreSQL round trips of rate-limit counts', () => {
  let drop: () => Promise<void>;
  let store: Store;
  const sent: string[] = [];

  beforeAll(async () => {
    ({ store, drop } = await recordingStore(sent, { gathered: true }));
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('counts the hits of one turn in one statement, each hit getting the count it would have got alone', async () => {
    sent.length = 0;
    const asked = ['a', 'b', 'a', 'a', 'b', 'c', 'a', 'b', 'a', 'a'];
    const counts = await Promise.all(asked.map((key) => store.hitRateLimit(`write:${key}`, 60_000)));
    expect(sent.filter((text) => text.includes('rate_limits'))).toHaveLength(1);
    expect(counts).toEqual([1, 1, 2, 3, 2, 1, 4, 3, 5, 6]);
    // The next turn goes on from there, in another window too.
    expect(
      await Promise.all([
        store.hitRateLimit('write:a', 60_000),
        store.hitRateLimit('write:a', 120_000),
        store.hitRateLimit('write:b', 60_000),
      ]),
    ).toEqual([7, 1, 4]);
  });
});
