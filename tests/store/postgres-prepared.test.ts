import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Database } from '../../server/store/schema.ts';
import type { Store } from '../../server/store/store.ts';
import { commentRow } from '../support/factories.ts';
import { openPgSchema, pgAvailable } from '../support/postgres.ts';

/** Statements are prepared once per PostgreSQL connection, and survive another instance changing a table. */
describe.runIf(pgAvailable)('prepared statements on PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  let db: Kysely<Database>;
  let store: Store;

  beforeAll(async () => {
    const schema = await openPgSchema();
    await schema.db.destroy();
    ({ url, drop } = schema);
    // One connection, so that what it has prepared can be asked of it.
    process.env.PARLEY_PG_POOL = '1';
    db = openDatabase(url);
    delete process.env.PARLEY_PG_POOL;
    store = kyselyStore(db);
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  /** A comment stored on a page of its own. */
  const storedComment = async (page: string) => {
    const thread = await store.ensureThread({
      id: newId(Date.now()),
      siteId: 'default',
      key: `example.com/${page}`,
      url: `https://example.com/${page}`,
      title: null,
      now: 1,
    });
    const comment = commentRow(thread.id);
    await store.insertComment(comment);
    return comment;
  };

  const prepared = async () =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map(
      (row) => row.statement,
    );

  it('parses a statement once per connection and runs it by name after', async () => {
    const comment = await storedComment('prepared');
    for (let i = 0; i < 3; i++) expect((await store.getComment(comment.id))?.body).toBe(comment.body);
    const reads = (await prepared()).filter((text) =>
      /^select \* from "comments" where "id" = \$1$/.test(text),
    );
    expect(reads).toHaveLength(1);
  });

  it('goes on when another instance adds a column under a prepared select *', async () => {
    const comment = await storedComment('migrated');
    expect((await store.getComment(comment.id))?.id).toBe(comment.id);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('alter table comments add column later_release text');
    } finally {
      await other.end();
    }
    expect((await store.getComment(comment.id))?.id).toBe(comment.id);
    expect((await store.getComment(comment.id))?.id).toBe(comment.id);
  });

  it('sends statements unnamed with PARLEY_PG_PREPARE=0', async () => {
    process.env.PARLEY_PG_POOL = '1';
    process.env.PARLEY_PG_PREPARE = '0';
    const plain = openDatabase(url);
    delete process.env.PARLEY_PG_POOL;
    delete process.env.PARLEY_PG_PREPARE;
    try {
      await kyselyStore(plain).getComment('nothing-here');
      const { rows } = await sql<{
        count: number;
      }>`select count(*)::int as count from pg_prepared_statements`.execute(plain);
      expect(rows[0]?.count).toBe(0);
    } finally {
      await plain.destroy();
    }
  });
});
