import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointInBackground } from '../../server/node/wal-checkpointer.ts';

const PAGE = 4096;
/** Fewer pages than SQLite's automatic checkpoint waits for (1,000), so only the worker can copy them. */
const ROWS = 400;

describe('checkpoints on a worker thread', () => {
  let dir: string;
  let path: string;
  let sqlite: SQLite.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-checkpoints-'));
    path = join(dir, 'parley.db');
    sqlite = new SQLite(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.exec('create table notes (body text not null)');
  });
  afterEach(() => {
    if (sqlite.open) sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fill = () => {
    // Each row fills a page of its own.
    const insert = sqlite.prepare('insert into notes (body) values (?)');
    for (let row = 0; row < ROWS; row++) insert.run('x'.repeat(PAGE - 200));
  };

  it('copy the log into the database file while the serving connection only writes', async () => {
    const checkpoints = checkpointInBackground(sqlite, { intervalMs: 20 });
    fill();
    expect(statSync(path).size).toBeLessThan(ROWS * PAGE);
    const deadline = Date.now() + 10_000;
    while (statSync(path).size < ROWS * PAGE && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    checkpoints.stop();
    expect(statSync(path).size).toBeGreaterThanOrEqual(ROWS * PAGE);
    // The serving connection's own automatic checkpoint is left as SQLite has it.
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('tell when the worker cannot run, and leave the connection as it was', async () => {
    // The worker opens the file by its name, which no longer leads to it.
    rmSync(path);
    const failures: string[] = [];
    const checkpoints = checkpointInBackground(sqlite, { onFailure: (reason) => failures.push(reason) });
    await new Promise((resolve) => checkpoints.worker.once('exit', resolve));
    expect(failures).toHaveLength(1);
    fill();
    expect(sqlite.prepare('select count(*) from notes').pluck().get()).toBe(ROWS);
  });
});
