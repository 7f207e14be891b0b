import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadChanges } from '../../server/live/changes.ts';
import { pgChanges } from '../../server/node/pg-changes.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Store } from '../../server/store/store.ts';
import type { ThreadView } from '../../shared/schemas.ts';
import { signIn } from '../admin/client.ts';
import { inProcessTarget } from '../support/in-process.ts';
import { openPgSchema, pgAvailable } from '../support/postgres.ts';
import { readSse } from '../support/sse.ts';
import { openRelay, type TcpRelay } from '../support/tcp-relay.ts';
import type { ApiTarget } from './target.ts';

/*
 * Two instances on one PostgreSQL schema, each keeping thread versions in memory and told of the other's writes
 * through LISTEN/NOTIFY. The second listens through a relay the tests cut, to show the fallback when the channel
 * drops: versions are then read again after 500 ms at most.
 */
describe.runIf(pgAvailable)('thread versions across instances on one PostgreSQL', () => {
  let a: ApiTarget;
  let b: ApiTarget;
  let changesB: ThreadChanges;
  let relay: TcpRelay;
  /** Reads of the site and thread by the second instance: what its version cache saves. */
  let readsB = 0;
  const cleanups: Array<() => Promise<void>> = [];

  const counted = (store: Store): Store => ({
    ...store,
    findSiteThread(siteId, key) {
      readsB++;
      return store.findSiteThread(siteId, key);
    },
  });

  beforeAll(async () => {
    const one = await openPgSchema();
    const two = await openPgSchema(one.schema);
    const storeA = kyselyStore(one.db);
    const storeB = kyselyStore(two.db);
    await storeA.migrate();
    const target = new URL(two.url);
    relay = await openRelay(target.hostname, Number(target.port || 5432));
    const viaRelay = new URL(two.url);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relay.port);
    const changesA = await pgChanges(one.url, one.db, () => {});
    changesB = await pgChanges(viaRelay.toString(), two.db, () => {});
    a = inProcessTarget(storeA, async () => {}, {}, { changes: changesA });
    b = inProcessTarget(counted(storeB), async () => {}, {}, { changes: changesB });
    cleanups.push(async () => {
      await Promise.all([changesA.close(), changesB.close()]);
      await Promise.all([storeA.close(), storeB.close()]);
      await relay.close();
      await one.drop();
    });
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  let pages = 0;
  const newUrl = () => `https://blog.example.com/versions/post-${++pages}/`;
  const post = async (target: ApiTarget, url: string) => {
    const res = await target.request(
      '/api/comments',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ url, body: 'hi' }),
      },
      `192.0.2.${pages}`,
    );
    expect(res.status).toBe(201);
  };
  const read = async (target: ApiTarget, url: string) => {
    const res = await target.request(`/api/comments?url=${encodeURIComponent(url)}`);
    return ((await res.json()) as ThreadView).comments.length;
  };
  /** How long until `target` shows `count` comments, polling every 20 ms for at most 3 s. */
  const timeUntil = async (target: ApiTarget, url: string, count: number) => {
    const started = Date.now();
    while ((await read(target, url)) !== count) {
      if (Date.now() - started > 3000) throw new Error(`still not ${count} comments after 3 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return Date.now() - started;
  };
  const until = async (condition: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('the condition did not hold in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('serves a known thread without a database round trip while the channel is up', async () => {
    await until(() => changesB.trustedSince() !== undefined, 3000);
    const url = newUrl();
    await post(a, url);
    expect(await timeUntil(b, url, 1)).toBeLessThan(1000);
    // The writer's notification may land after that read: let it, then read once to keep the version.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await read(b, url);
    const before = readsB;
    for (let i = 0; i < 5; i++) expect(await read(b, url)).toBe(1);
    const res = await b.request(`/api/comments?url=${encodeURIComponent(url)}`);
    const etag = res.headers.get('ETag') ?? '';
    const revalidated = await b.request(`/api/comments?url=${encodeURIComponent(url)}`, {
      headers: { 'If-None-Match': etag },
    });
    expect(revalidated.status).toBe(304);
    expect(readsB - before).toBe(0);
  });

  it('shows a write through one instance on the other within a second', async () => {
    const url = newUrl();
    await post(a, url);
    await timeUntil(b, url, 1);
    await post(a, url);
    expect(await timeUntil(b, url, 2)).toBeLessThan(1000);
    await post(b, url);
    expect([await read(b, url), await timeUntil(a, url, 3)]).toEqual([3, expect.any(Number)]);
  });

  it('shows a thread locked through one instance locked on the other within a second', async () => {
    const owner = await signIn(a);
    const url = newUrl();
    await post(a, url);
    await timeUntil(b, url, 1);
    const { comments } = await owner.ok<{ comments: Array<{ thread: { id: string; key: string } }> }>(
      'GET',
      '/comments?site=default',
    );
    const thread = comments.find((each) => url.includes(each.thread.key))?.thread;
    await owner.ok('PATCH', `/threads/${thread?.id}`, { locked: true });
    const started = Date.now();
    for (;;) {
      const res = await b.request(`/api/comments?url=${encodeURIComponent(url)}`);
      if (((await res.json()) as ThreadView).thread.locked) break;
      expect(Date.now() - started).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it('streams a comment posted through one instance to a reader of the other', async () => {
    const url = newUrl();
    await post(a, url);
    await timeUntil(b, url, 1);
    const version = await b
      .request(`/api/comments?url=${encodeURIComponent(url)}`)
      .then(async (res) => ((await res.json()) as ThreadView).thread.version);
    const stream = readSse(
      await b.request(`/api/comments/live?url=${encodeURIComponent(url)}&since=${version}`),
    );
    const started = Date.now();
    await post(a, url);
    const message = await stream.next(1000);
    expect(message.data).toMatchObject({ type: 'comment', change: 'created' });
    expect(Date.now() - started).toBeLessThan(1000);
    await stream.close();
  });

  it('falls back to versions at most 500 ms old while the channel is down, and resyncs readers after', async () => {
    const url = newUrl();
    await post(a, url);
    await timeUntil(b, url, 1);
    const stream = readSse(await b.request(`/api/comments/live?url=${encodeURIComponent(url)}`));

    relay.cut();
    await until(() => changesB.trustedSince() === undefined, 3000);
    await post(a, url);
    expect(await timeUntil(b, url, 2)).toBeLessThan(1000);
    // Past the fallback's 500 ms a version is read again: the reads go on while the channel is down.
    const before = readsB;
    await read(b, url);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await read(b, url);
    expect(readsB - before).toBeGreaterThanOrEqual(1);

    relay.restore();
    await until(() => changesB.trustedSince() !== undefined, 8000);
    // What happened while the channel was down never reached the stream: it is told to load the thread again.
    // (The first post's own event may come before it: its notification can follow the read that saw the post.)
    let message = await stream.next(3000);
    if (message.data?.type === 'comment') message = await stream.next(3000);
    expect(message.data).toEqual({ type: 'resync' });
    await stream.close();
    await post(a, url);
    expect(await timeUntil(b, url, 3)).toBeLessThan(1000);
  });
});
