import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import { openPgSchema, PG_URL, pgAvailable } from '../support/postgres.ts';

describe.runIf(pgAvailable)('PostgreSQL schemas side by side in one database', () => {
  it('migrates a schema of its own while another schema holds migration tables of the same names', async () => {
    const other = `parley_other_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const fresh = await openPgSchema();
    try {
      // What another app, or another Parley stopped half-way through its first migration, leaves behind.
      await admin.query(`create schema ${other}`);
      await admin.query(
        `create table ${other}.kysely_migration_lock (id text primary key, is_locked integer)`,
      );
      await admin.query(`create table ${other}.parley_migrations (name text primary key, timestamp text)`);

      const store = kyselyStore(fresh.db);
      await store.migrate();
      await store.migrate();
      expect(await store.listAdmins()).toEqual([]);
      await store.close();
    } finally {
      await admin.query(`drop schema if exists ${other} cascade`);
      await admin.end();
      await fresh.drop();
    }
  });

  it('keeps rate-limit counts in an unlogged table, and counts on', async () => {
    const fresh = await openPgSchema();
    const store = kyselyStore(fresh.db);
    try {
      await store.migrate();
      const { rows } = await sql<{ persistence: string }>`
        select relpersistence as persistence from pg_class
        where relname = 'rate_limits' and relnamespace = current_schema()::regnamespace`.execute(fresh.db);
      expect(rows).toEqual([{ persistence: 'u' }]);
      expect([await store.hitRateLimit('write:a', 0), await store.hitRateLimit('write:a', 0)]).toEqual([
        1, 2,
      ]);
    } finally {
      await store.close();
      await fresh.drop();
    }
  });
});
