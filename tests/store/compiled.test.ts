import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/node/database.ts';
import { compiledTemplate } from '../../server/store/compiled.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Database } from '../../server/store/schema.ts';

describe('a query compiled once and run with other values', () => {
  let dir: string;
  let db: Kysely<Database>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-compiled-'));
    db = openDatabase(`file:${join(dir, 'parley.db')}`);
    await kyselyStore(db).migrate();
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is built once, and gives the SQL and parameters a fresh build would', () => {
    let builds = 0;
    const build = (siteId: string, key: string) =>
      db.selectFrom('threads').select('id').where('site_id', '=', siteId).where('key', '=', key).limit(1);
    const template = compiledTemplate(['siteId', 'key'], (v) => {
      builds++;
      return build(v.siteId, v.key);
    });
    for (const [siteId, key] of [
      ['default', 'example.com/a'],
      ['blog', 'id:42'],
    ] as const) {
      const query = template({ siteId, key });
      const fresh = build(siteId, key).compile();
      expect(query.sql).toBe(fresh.sql);
      expect(query.parameters).toEqual(fresh.parameters);
    }
    expect(builds).toBe(1);
  });

  it('puts a value wherever the builder used it, of any type, null included', async () => {
    const insert = compiledTemplate(['key', 'windowStart', 'hits'], (v) =>
      db.insertInto('rate_limits').values({ key: v.key, window_start: v.windowStart, hits: v.hits }),
    );
    await db.executeQuery(insert({ key: 'a', windowStart: 5, hits: 2 }));
    await db.executeQuery(insert({ key: 'b', windowStart: 6, hits: 3 }));
    const rows = await db.selectFrom('rate_limits').selectAll().orderBy('key').execute();
    expect(rows).toEqual([
      { key: 'a', window_start: 5, hits: 2 },
      { key: 'b', window_start: 6, hits: 3 },
    ]);
  });

  it('refuses a builder that leaves a named value out', () => {
    const template = compiledTemplate(['id', 'unused'], (v) =>
      db.selectFrom('comments').select('id').where('id', '=', v.id),
    );
    expect(() => template({ id: 'x', unused: 'y' })).toThrow(/unused/);
  });
});
