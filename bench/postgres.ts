import pg from 'pg';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'parley_bench';
const TIMEOUTS = { connectionTimeoutMillis: 5_000, statement_timeout: 30_000 };

async function onAdmin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, ...TIMEOUTS });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * An empty schema of the bench's own in the database `url` names, so every run starts from no tables, as a new
 * installation does, without needing the right to create databases. The server reaches it through `search_path`.
 */
export async function freshPgSchema(url: string, schema = SCHEMA) {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Not a plain schema name: ${schema}`);
  await onAdmin(url, `drop schema if exists ${schema} cascade`);
  await onAdmin(url, `create schema ${schema}`);
  const serverUrl = new URL(url);
  serverUrl.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: serverUrl.toString(),
    drop: () => onAdmin(url, `drop schema if exists ${schema} cascade`),
  };
}

export async function pgVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, ...TIMEOUTS });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return `PostgreSQL ${rows[0]?.server_version.split(' ')[0] ?? '?'}`;
  } finally {
    await client.end();
  }
}
