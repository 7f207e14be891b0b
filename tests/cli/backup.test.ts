import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupSqlite, restoreSqlite, sqlitePath } from '../../server/node/backup.ts';
import { type ParleyServer, startParley } from '../browser/harness.ts';

const PAGE = 'https://blog.example.com/posts/kept-safe/';

async function post(origin: string, body: string): Promise<string | undefined> {
  const res = await fetch(`${origin}/api/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: PAGE, name: 'Ada', body }),
  });
  if (res.status !== 201) return undefined;
  return ((await res.json()) as { comment: { id: string } }).comment.id;
}

async function threadIds(origin: string): Promise<string[]> {
  const res = await fetch(`${origin}/api/comments?url=${encodeURIComponent(PAGE)}&limit=200`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { comments: Array<{ id: string }> }).comments.map((c) => c.id);
}

describe('backing up and restoring SQLite', () => {
  let dir: string;
  let server: ParleyServer | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-backup-'));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies a running, writing server’s database consistently, and the copy serves every comment again', async () => {
    const live = join(dir, 'live.db');
    server = await startParley({ databaseUrl: `file:${live}` });
    const before: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = await post(server.origin, `Before the backup, number ${i}.`);
      if (id) before.push(id);
    }
    expect(before).toHaveLength(20);

    // Writes keep coming while the backup runs, and stop by themselves.
    let writing = true;
    const during = (async () => {
      const ids: string[] = [];
      for (let i = 0; writing && i < 500; i++) {
        const id = await post(server?.origin ?? '', `During the backup, number ${i}.`);
        if (id) ids.push(id);
      }
      return ids;
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const copy = join(dir, 'copy.db');
    const result = await backupSqlite(live, copy);
    writing = false;
    const duringIds = await during;
    expect(duringIds.length).toBeGreaterThan(0);
    expect(result.comments).toBeGreaterThanOrEqual(20);

    const inCopy = new SQLite(copy, { readonly: true });
    try {
      expect(inCopy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(inCopy.pragma('journal_mode', { simple: true })).toBe('delete');
      const ids = new Set(
        (inCopy.prepare('select id from comments').all() as Array<{ id: string }>).map((row) => row.id),
      );
      for (const id of before) expect(ids.has(id), id).toBe(true);
    } finally {
      inCopy.close();
    }
    await server.stop();
    server = undefined;

    const restored = join(dir, 'restored.db');
    const back = await restoreSqlite(copy, restored);
    expect(back.comments).toBe(result.comments);
    server = await startParley({ databaseUrl: `file:${restored}` });
    const shown = await threadIds(server.origin);
    for (const id of before) expect(shown).toContain(id);
    expect(shown).toHaveLength(result.comments);
    // Two starts of the real server, which a loaded machine can slow to several seconds each.
  }, 120_000);

  it('refuses to overwrite a file, to back up what is not a Parley database, and PostgreSQL', async () => {
    const existing = join(dir, 'existing.db');
    writeFileSync(existing, '');
    await expect(backupSqlite(existing, existing)).rejects.toThrow(/exists already/);
    const stranger = join(dir, 'stranger.db');
    const other = new SQLite(stranger);
    other.exec('create table notes (text)');
    other.close();
    await expect(backupSqlite(stranger, join(dir, 'stranger-copy.db'))).rejects.toThrow(
      /not a Parley database/,
    );
    await expect(restoreSqlite(stranger, join(dir, 'target.db'))).rejects.toThrow(/not a Parley database/);
    await expect(backupSqlite(join(dir, 'missing.db'), join(dir, 'x.db'))).rejects.toThrow(/no database/);
    expect(() => sqlitePath('postgres://parley@db/parley')).toThrow(/pg_dump/);
    expect(sqlitePath('file:./data/parley.db')).toBe('./data/parley.db');
  });
});
