import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchServer, startServer } from '../../bench/server.ts';
import { createApp } from '../../server/app.ts';
import { configFromEnv } from '../../server/config.ts';
import { openDatabase } from '../../server/node/database.ts';
import { migrateWhenReachable } from '../../server/node/startup.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Store } from '../../server/store/store.ts';
import { outageLog } from '../../server/store/unavailable.ts';
import { type Answer, load, postComment, timedRequest } from '../support/http-load.ts';
import { openPgSchema, PG_URL, pgAvailable } from '../support/postgres.ts';
import { openRelay, type TcpRelay } from '../support/tcp-relay.ts';

/** No answer during an outage may take longer than this (the pool's connect timeout is 2 s). */
const LONGEST_ANSWER_MS = 4000;
const PAGE = 'https://blog.example/outage';
/** A little over the outage log's quiet second, after which a success counts as the database being back. */
const QUIET_MS = 1100;

function expectUnavailable(answer: Answer) {
  expect(answer).toMatchObject({
    status: 503,
    contentType: expect.stringContaining('application/json'),
    retryAfter: expect.stringMatching(/^\d+$/),
    body: { error: { code: 'unavailable', message: expect.any(String) } },
  });
}

const linesMatching = (log: string, pattern: RegExp) => log.split('\n').filter((line) => pattern.test(line));

describe.runIf(pgAvailable)('PostgreSQL goes away and comes back under a running server', () => {
  let relay: TcpRelay;
  let server: BenchServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const schema = await openPgSchema();
    await schema.db.destroy();
    drop = schema.drop;
    const target = new URL(PG_URL);
    relay = await openRelay(target.hostname, Number(target.port || 5432));
    const viaRelay = new URL(schema.url);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relay.port);
    server = await startServer({ databaseUrl: viaRelay.toString() });
  });
  afterAll(async () => {
    await server?.stop();
    await relay?.close();
    await drop?.();
  });

  it('answers 503 quickly while it is cut, without exiting, and serves and writes again once it is back', async () => {
    const { origin } = server;
    expect((await postComment(origin, PAGE, 'Before the outage')).status).toBe(201);

    // Clients keep reading and writing across the cut, as readers of a busy page would.
    let phase: 'before' | 'cut' | 'after' = 'before';
    let cutAt = 0;
    const during: Array<Answer & { read: boolean; sinceCut: number }> = [];
    const traffic = load(
      4,
      async (worker, n) => {
        const seenIn = phase;
        const sinceCut = performance.now() - cutAt;
        const read = worker % 2 === 1;
        const answer = read
          ? await timedRequest(`${origin}/api/comments?url=${encodeURIComponent(PAGE)}`)
          : await postComment(origin, PAGE, `Comment ${worker}.${n}`);
        if (seenIn === 'cut' && phase === 'cut') during.push({ ...answer, read, sinceCut });
        return answer;
      },
      () => phase === 'after',
    );

    await new Promise((resolve) => setTimeout(resolve, 300));
    relay.cut();
    cutAt = performance.now();
    phase = 'cut';
    await new Promise((resolve) => setTimeout(resolve, 5000));

    relay.restore();
    const restored = performance.now();
    let firstOk: number | undefined;
    while (firstOk === undefined && performance.now() - restored < 10_000) {
      const answer = await timedRequest(`${origin}/api/health`);
      if (answer.status === 200) firstOk = performance.now() - restored;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    phase = 'after';
    await traffic;

    expect(server.alive(), server.log()).toBe(true);
    expect(during.length).toBeGreaterThan(3);
    // A page whose version was read in the last 500 ms may still be served from memory (the change channel's
    // fallback while it is down, and it goes down with the database); anything else is a 503.
    for (const answer of during) {
      if (!(answer.read && answer.sinceCut < 600 && answer.status === 200)) expectUnavailable(answer);
    }
    const longest = Math.max(...during.map((answer) => answer.ms));
    expect(longest).toBeLessThan(LONGEST_ANSWER_MS);
    expect(firstOk, 'no 2xx within 10 s of the database coming back').toBeDefined();

    const written = await postComment(origin, PAGE, 'After the outage');
    expect(written.status).toBe(201);
    const thread = await timedRequest(`${origin}/api/comments?url=${encodeURIComponent(PAGE)}&limit=100`);
    expect(JSON.stringify(thread.body)).toContain('After the outage');

    // One line when it went away and one when it came back (after a quiet second); no stack trace per request.
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect((await timedRequest(`${origin}/api/health`)).status).toBe(200);
    const log = server.log();
    expect(linesMatching(log, /database unreachable/), log).toHaveLength(1);
    expect(linesMatching(log, /database back/), log).toHaveLength(1);
    expect(linesMatching(log, /^\s+at /), log).toEqual([]);

    console.log(
      `[outage] PostgreSQL cut for 5 s: ${during.length} answers, all 503, longest ${Math.round(longest)} ms; ` +
        `first 2xx ${Math.round(firstOk ?? Number.NaN)} ms after it came back`,
    );
  });
});

describe.runIf(pgAvailable)('PostgreSQL that is away when the server starts', () => {
  it('is waited for, then the schema is applied, with one line each way', async () => {
    const schema = await openPgSchema();
    await schema.db.destroy();
    const target = new URL(PG_URL);
    const relay = await openRelay(target.hostname, Number(target.port || 5432));
    const viaRelay = new URL(schema.url);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relay.port);
    const lines: string[] = [];
    const store = kyselyStore(
      openDatabase(
        viaRelay.toString(),
        outageLog((line) => lines.push(line)),
      ),
    );
    try {
      relay.cut();
      let migrated = false;
      const migrating = migrateWhenReachable(store).then(() => {
        migrated = true;
      });
      // A failure surfaces at the await below, not as an unhandled rejection that would skip the clean-up.
      migrating.catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(migrated).toBe(false);
      relay.restore();
      await migrating;
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      expect(await store.listAdmins()).toEqual([]);
      expect(lines).toEqual([expect.stringMatching(/database unreachable: /), '[parley] database back']);
    } finally {
      await store.close();
      await relay.close();
      await schema.drop();
    }
  });
});

describe('SQLite that cannot be written', () => {
  let dir: string;
  let store: Store;
  let app: ReturnType<typeof createApp>;
  const logged: unknown[] = [];
  const outages: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-locked-'));
    process.env.PARLEY_SQLITE_BUSY_TIMEOUT_MS = '100';
    store = kyselyStore(
      openDatabase(
        `file:${join(dir, 'parley.db')}`,
        outageLog((line) => outages.push(line)),
      ),
    );
    delete process.env.PARLEY_SQLITE_BUSY_TIMEOUT_MS;
    await store.migrate();
    const config = configFromEnv({ PARLEY_SECRET: 'locked-test' });
    app = createApp({ store, config, logError: (error) => logged.push(error) });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (body: string): Promise<Answer> => {
    const started = performance.now();
    const res = await app.request('/api/comments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: PAGE, body }),
    });
    return {
      status: res.status,
      ms: performance.now() - started,
      contentType: res.headers.get('content-type'),
      retryAfter: res.headers.get('retry-after'),
      body: await res.json(),
    };
  };

  it('answers 503 while another connection holds the write lock past busy_timeout, then writes again', async () => {
    expect((await post('Before the lock')).status).toBe(201);
    const other = new SQLite(join(dir, 'parley.db'));
    other.exec('begin exclusive');
    try {
      expectUnavailable(await post('While locked'));
      const signIn = await app.request('/admin/api/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'owner@example.test', password: 'long enough password' }),
      });
      expect(signIn.status).toBe(503);
      expect(signIn.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      other.exec('rollback');
      other.close();
    }
    expect((await post('After the lock')).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect((await post('Well after the lock')).status).toBe(201);
    expect(logged).toEqual([]);
    expect(outages).toEqual([
      '[parley] database unreachable: database is locked (SQLITE_BUSY)',
      '[parley] database back',
    ]);
  });

  it('answers 503 to a write into a file it may only read, and still serves reads', async () => {
    const file = join(dir, 'read-only.db');
    const writable = kyselyStore(openDatabase(`file:${file}`));
    await writable.migrate();
    await writable.close();
    chmodSync(file, 0o444);
    // The server's user may create the -wal and -shm files next to it, as in a typical install.
    chmodSync(dir, 0o777);
    // Root writes any file whatever its mode, so the probe runs as nobody when the tests run as root.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'read-only-probe.ts'), file],
      { encoding: 'utf8', env: { ...process.env, HOME: dir }, ...asNobody },
    );
    const { post: posted, read } = JSON.parse(output.trim().split('\n').at(-1) ?? '');
    expect(posted).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(posted.retryAfter).toMatch(/^\d+$/);
    expect(read.status).toBe(200);
  });
});
