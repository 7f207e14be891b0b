import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../bench/server.ts';
import { load, postComment, postedId } from '../support/http-load.ts';
import { openPgSchema, pgAvailable } from '../support/postgres.ts';

const LOAD_MS = 1500;
const WORKERS = 8;
/** Two server starts each; a start takes a second on a quiet machine, far more on a busy one. */
const TIMEOUT_MS = 120_000;

/**
 * Posts comments from several clients, kills the server with SIGKILL while they are still posting, starts it again
 * on the same database and has it take one more comment. Returns the ids of the comments that were answered 201.
 */
async function crashUnderWrites(databaseUrl: string): Promise<string[]> {
  const first = await startServer({ databaseUrl });
  let killed = false;
  const traffic = load(
    WORKERS,
    (worker, n) =>
      postComment(first.origin, `https://blog.example/crash-${worker % 3}`, `Comment ${worker}.${n}`),
    () => killed,
  );
  await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
  await first.kill();
  killed = true;
  const answers = await traffic;
  const stored = answers.map(postedId).filter((id) => id !== undefined);
  expect(stored.length, 'no comment was stored before the kill').toBeGreaterThan(0);
  // Some requests were in flight when the process died.
  expect(answers.some((answer) => answer.status === 0)).toBe(true);

  const second = await startServer({ databaseUrl });
  try {
    expect((await postComment(second.origin, 'https://blog.example/crash-0', 'After the crash')).status).toBe(
      201,
    );
  } finally {
    await second.stop();
  }
  return stored;
}

describe('a server killed in the middle of writes', () => {
  it(
    'on SQLite keeps every comment it answered 201, in a file that passes integrity_check',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'parley-crash-'));
      try {
        const file = join(dir, 'parley.db');
        const stored = await crashUnderWrites(`file:${file}`);
        const db = new SQLite(file, { readonly: true });
        try {
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
          const ids = new Set(db.prepare('select id from comments').pluck().all());
          expect(stored.filter((id) => !ids.has(id))).toEqual([]);
        } finally {
          db.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT_MS,
  );

  it.runIf(pgAvailable)(
    'on PostgreSQL keeps every comment it answered 201',
    async () => {
      const schema = await openPgSchema();
      await schema.db.destroy();
      try {
        const stored = await crashUnderWrites(schema.url);
        const client = new pg.Client({ connectionString: schema.url });
        await client.connect();
        try {
          const { rows } = await client.query<{ id: string }>('select id from comments');
          const ids = new Set(rows.map((row) => row.id));
          expect(stored.filter((id) => !ids.has(id))).toEqual([]);
        } finally {
          await client.end();
        }
      } finally {
        await schema.drop();
      }
    },
    TIMEOUT_MS,
  );
});
