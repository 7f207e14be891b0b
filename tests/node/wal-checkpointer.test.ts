import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { checkpointInBackground } from '../../server/node/wal-checkpointer.ts';

const PAGE = 4096;
const ROWS = 20_000;

describe('checkpoints on a worker thread', () => {
  let dir: string;
  let path: string;
  let sqlite: SQLite.Database;
  const autocheckpoint = () => sqlite.pragma('wal_autocheckpoint', { simple: true });

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

  it('keep the log short under a steady stream of commits, with the serving connection checkpointing only on request', async () => {
    const checkpoints = checkpointInBackground(sqlite, { intervalMs: 20, restartFrames: 200 });
    const ready = new Promise((resolve) => checkpoints.worker.once('message', resolve));
    await ready;
    expect(autocheckpoint()).toBe(0);

    // Each row fills a page of its own: ROWS pages are logged in all, far more than the log may hold at once.
    const insert = sqlite.prepare('insert into notes (body) values (?)');
    for (let row = 0; row < ROWS; row++) {
      insert.run('x'.repeat(PAGE - 200));
      if (row % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
    checkpoints.stop();
    expect(autocheckpoint()).toBe(1000);
    const logged = statSync(`${path}-wal`).size;
    expect(logged).toBeGreaterThan(0);
    expect(logged).toBeLessThan((ROWS * PAGE) / 3);

    sqlite.close();
    const reopened = new SQLite(path, { readonly: true });
    expect(reopened.prepare('select count(*) from notes').pluck().get()).toBe(ROWS);
    reopened.close();
  });

  it('give checkpoints back to the connection when the worker cannot run', async () => {
    // The worker opens the file by its name, which no longer leads to it.
    rmSync(path);
    const failures: string[] = [];
    const checkpoints = checkpointInBackground(sqlite, { onFailure: (reason) => failures.push(reason) });
    await new Promise((resolve) => checkpoints.worker.once('exit', resolve));
    expect(failures).toHaveLength(1);
    expect(autocheckpoint()).toBe(1000);
  });
});
