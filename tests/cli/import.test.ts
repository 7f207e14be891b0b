import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImportFile } from '../../bench/import-file.ts';
import { parsePortableArgs } from '../../server/cli/import-command.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'server/cli/parley.ts');

function start(args: string[], database: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${database}`, PARLEY_SECRET: 'cli-import' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finish(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const run = (args: string[], database: string) => finish(start(args, database));

/** Every comment with its thread's key instead of the thread's id (made afresh by each database). */
function snapshot(database: string) {
  const db = new SQLite(database, { readonly: true });
  try {
    return {
      comments: db
        .prepare(
          'select c.*, t.key as thread_key from comments c join threads t on t.id = c.thread_id order by c.id',
        )
        .all()
        .map((row) => ({ ...(row as Record<string, unknown>), thread_id: undefined })),
      threads: db.prepare('select key, url, title, comment_count from threads order by key').all(),
    };
  } finally {
    db.close();
  }
}

function countComments(database: string): number {
  try {
    const db = new SQLite(database, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('select count(*) as n from comments').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

describe('parsePortableArgs', () => {
  it('reads an import with its options, and refuses what it cannot use', () => {
    expect(
      parsePortableArgs(['import', 'blog.xml', '--site', 'blog', '--format', 'wxr', '--partial']),
    ).toEqual({
      command: 'import',
      file: 'blog.xml',
      siteId: 'blog',
      format: 'wxr',
      partial: true,
      baseUrl: undefined,
      batchSize: 500,
    });
    expect(parsePortableArgs(['export', '--site', 'blog', '-o', 'out.json'])).toEqual({
      command: 'export',
      siteId: 'blog',
      output: 'out.json',
    });
    expect(() => parsePortableArgs(['import'])).toThrow(/Name the file/);
    expect(() => parsePortableArgs(['import', 'a.xml', 'b.xml'])).toThrow(/One file at a time/);
    expect(() => parsePortableArgs(['import', 'a.xml', '--format', 'blogger'])).toThrow(
      /--format must be one of/,
    );
    expect(() => parsePortableArgs(['import', 'a.xml', '--site', 'Not A Site'])).toThrow(/not a site id/);
    expect(() => parsePortableArgs(['import', 'a.db', '--base-url', 'example.com'])).toThrow(/--base-url/);
    expect(() => parsePortableArgs(['import', 'a.xml', '--verbose'])).toThrow(/verbose/);
  });
});

describe('parley import', () => {
  let dir: string;
  let file: string;
  let total: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-import-cli-'));
    file = join(dir, 'disqus.xml');
    total = await writeImportFile(file, { format: 'disqus', comments: 1500 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finishes an import killed half-way when run again, with nothing twice, as one clean run would', async () => {
    const killed = join(dir, 'killed.db');
    const child = start(['import', file, '--batch-size', '50'], killed);
    const ended = finish(child);
    // SIGKILL as soon as some batches are in: no chance to clean up.
    while (countComments(killed) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGKILL');
    const first = await ended;
    expect(first.code).toBe(null);
    const partway = countComments(killed);
    expect(partway).toBeGreaterThan(0);
    expect(partway).toBeLessThan(total);

    const rerun = await run(['import', file], killed);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/already here from an earlier import/);
    const again = await run(['import', file], killed);
    expect(again.stdout).toMatch(/^ {2}0 added/m);

    const clean = join(dir, 'clean.db');
    const once = await run(['import', file], clean);
    expect(once.code, once.stderr).toBe(0);
    expect(once.stdout).toMatch(/\(disqus\) into default/);
    expect(once.stderr).toMatch(/progress: \[#+\] 100% 1,500\/1,500 comments/);
    expect(snapshot(killed)).toEqual(snapshot(clean));
  }, 120_000);

  it('refuses a malformed file with its line and exit status 1, importing nothing', async () => {
    const broken = join(dir, 'broken.xml');
    writeFileSync(
      broken,
      '<?xml version="1.0"?>\n<disqus xmlns:dsq="http://disqus.com/disqus-internals">\n<thread dsq:id="1">\n' +
        '<link>https://a.example/</link></thread>\n<post dsq:id="2"><createdAt>yesterday</createdAt>' +
        '<thread dsq:id="1"/></post>\n</disqus>\n',
    );
    const database = join(dir, 'broken.db');
    const result = await run(['import', broken], database);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 5: <createdAt> "yesterday" is not a date/);
    expect(result.stderr).toMatch(/Nothing was imported/);
    expect(countComments(database)).toBe(0);

    const unknown = join(dir, 'notes.txt');
    writeFileSync(unknown, 'just some notes\n');
    const guess = await run(['import', unknown], database);
    expect(guess).toMatchObject({ code: 1, stderr: expect.stringMatching(/Cannot tell the format/) });
  }, 60_000);
});
