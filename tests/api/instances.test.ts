import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { ThreadView } from '../../shared/schemas.ts';
import { inProcessTarget } from '../support/in-process.ts';
import { openPgSchema, pgAvailable } from '../support/postgres.ts';
import type { ApiTarget } from './target.ts';

/** Two app instances over one database, as behind a load balancer: they must agree on limits and on what is new. */
function sharedDatabaseSuite(
  name: string,
  openPair: () => Promise<[ApiTarget, ApiTarget, () => Promise<void>]>,
) {
  describe(`two instances sharing ${name}`, () => {
    let a: ApiTarget;
    let b: ApiTarget;
    let cleanup: () => Promise<void> = async () => {};
    afterAll(() => cleanup());

    const post = (target: ApiTarget, url: string, client: string) =>
      target.request(
        '/api/comments',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ url, body: 'hi' }),
        },
        client,
      );

    it('share one rate limit per client', async () => {
      [a, b, cleanup] = await openPair();
      const url = 'https://blog.example.com/instances/limit';
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await post(i % 2 ? b : a, url, '192.0.2.7')).status);
      expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    });

    it('never serve a cached page older than the thread', async () => {
      const url = 'https://blog.example.com/instances/cache';
      const read = async (target: ApiTarget) => {
        const res = await target.request(`/api/comments?url=${encodeURIComponent(url)}`);
        return ((await res.json()) as ThreadView).comments.length;
      };
      await post(a, url, '192.0.2.8');
      expect([await read(a), await read(b)]).toEqual([1, 1]);
      await post(b, url, '192.0.2.8');
      expect([await read(a), await read(b)]).toEqual([2, 2]);
    });
  });
}

sharedDatabaseSuite('one SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-instances-'));
  const file = `file:${join(dir, 'parley.db')}`;
  const first = kyselyStore(openDatabase(file));
  await first.migrate();
  const second = kyselyStore(openDatabase(file));
  return [
    inProcessTarget(first, () => first.close()),
    inProcessTarget(second, () => second.close()),
    async () => {
      await Promise.all([first.close(), second.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  ];
});

describe.runIf(pgAvailable)('PostgreSQL', () => {
  sharedDatabaseSuite('one PostgreSQL database', async () => {
    const one = await openPgSchema();
    const two = await openPgSchema(one.schema);
    const first = kyselyStore(one.db);
    const second = kyselyStore(two.db);
    await Promise.all([first.migrate(), second.migrate()]);
    return [
      inProcessTarget(first, () => first.close()),
      inProcessTarget(second, () => second.close()),
      async () => {
        await Promise.all([first.close(), second.close()]);
        await one.drop();
      },
    ];
  });
});
