import pg from 'pg';
import { openDatabase } from '../../server/node/database.ts';
import { suiteAvailability } from './suites.ts';

export const PG_URL = process.env.PARLEY_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Whether the PostgreSQL suites run: skipped with a hint when no server answers (fatal under PARLEY_REQUIRE_ALL). */
export const pgAvailable = suiteAvailability(
  'PostgreSQL',
  await reachable(),
  `no PostgreSQL server answers at ${PG_URL}`,
  'start PostgreSQL locally (trust auth, database "test") or point PARLEY_PG_URL at a database',
);

/**
 * A Kysely database on a schema of its own, dropped again by `drop()`, so suites never see each other's rows.
 * Two calls with the same `schema` share it (for tests of several instances on one database).
 */
export async function openPgSchema(
  schema = `parley_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`,
) {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema if not exists ${schema}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    schema,
    url: url.toString(),
    db: openDatabase(url.toString()),
    async drop() {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}
