import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadChanges } from '../../server/live/changes.ts';
import { pgChanges } from '../../server/node/pg-changes.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Store } from '../../server/store/store.ts';
import type { BanCreated } from '../../shared/admin-schemas.ts';
import type { ErrorBody } from '../../shared/errors.ts';
import type { ThreadView } from '../../shared/schemas.ts';
import type { CreatedWebhook, Delivery } from '../../shared/webhook-schemas.ts';
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
  /** Reads of bans and webhooks by the second instance: what its site facts save. */
  let factReadsB = 0;
  const cleanups: Array<() => Promise<void>> = [];

  const counted = (store: Store): Store => ({
    ...store,
    findSiteThread(siteId, key) {
      readsB++;
      return store.findSiteThread(siteId, key);
    },
    findBan(...args) {
      factReadsB++;
      return store.findBan(...args);
    },
    listBans(...args) {
      factReadsB++;
      return store.listBans(...args);
    },
    listWebhooks(siteId) {
      factReadsB++;
      return store.listWebhooks(siteId);
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
  const postFrom = (target: ApiTarget, url: string, client: string) =>
    target.request(
      '/api/comments',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ url, body: 'hi' }),
      },
      client,
    );
  const post = async (target: ApiTarget, url: string) => {
    const res = await postFrom(target, url, `192.0.2.${pages}`);
    expect(res.status).toBe(201);
    return (await res.json()) as { comment: { id: string } };
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

  it('posts without reading bans or webhooks again while the channel is up', async () => {
    await until(() => changesB.trustedSince() !== undefined, 3000);
    await post(b, newUrl());
    const before = factReadsB;
    await post(b, newUrl());
    await post(b, newUrl());
    expect(factReadsB - before).toBe(0);
  });

  it('posts to a busy thread without reading its site and thread each time while the channel is up', async () => {
    await until(() => changesB.trustedSince() !== undefined, 3000);
    const url = newUrl();
    // The first post creates the thread; the second reads it and keeps it.
    await post(b, url);
    await post(b, url);
    const before = readsB;
    await post(b, url);
    await post(b, url);
    expect(readsB - before).toBe(0);
    expect(await read(b, url)).toBe(4);
  });

  it('refuses posts to a thread locked through the other instance within a second, and takes them after', async () => {
    const owner = await signIn(a);
    const url = newUrl();
    await post(b, url);
    await post(b, url);
    const { comments } = await owner.ok<{ comments: Array<{ thread: { id: string; key: string } }> }>(
      'GET',
      '/comments?site=default',
    );
    const thread = comments.find((each) => url.includes(each.thread.key))?.thread;
    await owner.ok('PATCH', `/threads/${thread?.id}`, { locked: true });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const refused = await postFrom(b, url, '198.51.100.20');
    expect([refused.status, ((await refused.json()) as ErrorBody).error.code]).toEqual([
      403,
      'thread_locked',
    ]);
    await owner.ok('PATCH', `/threads/${thread?.id}`, { locked: false });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await postFrom(b, url, '198.51.100.20')).status).toBe(201);
  });

  it('refuses a commenter banned through one instance on the other within a second, and lets them back', async () => {
    const owner = await signIn(a);
    const url = newUrl();
    const troll = '198.51.100.7';
    // The other instance knows the site's bans (none) before the ban is made.
    await post(b, url);
    const first = await postFrom(b, url, troll);
    expect(first.status).toBe(201);
    const { comment } = (await first.json()) as { comment: { id: string } };
    const {
      bans: [ban],
    } = await owner.ok<BanCreated>('POST', '/sites/default/bans', {
      commentId: comment.id,
      kinds: ['client'],
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const refused = await postFrom(b, url, troll);
    expect([refused.status, ((await refused.json()) as ErrorBody).error.code]).toEqual([403, 'banned']);

    await owner.ok('DELETE', `/sites/default/bans/${ban?.id}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await postFrom(b, url, troll)).status).toBe(201);
  });

  it('queues deliveries for a webhook added through one instance on posts through the other', async () => {
    const owner = await signIn(a);
    await post(b, newUrl());
    const { webhook } = await owner.ok<CreatedWebhook>('POST', '/sites/default/webhooks', {
      url: 'https://hooks.example.com/parley',
      events: ['comment.created'],
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await post(b, newUrl());
    const deliveries = () => owner.ok<Delivery[]>('GET', `/sites/default/webhooks/${webhook.id}/deliveries`);
    let events: string[] = [];
    for (let tries = 0; tries < 50 && events.length === 0; tries++) {
      events = (await deliveries()).map((each) => each.event);
      if (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(events).toEqual(['comment.created']);
    await owner.ok('DELETE', `/sites/default/webhooks/${webhook.id}`);
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

describe.runIf(pgAvailable)('changes told through PostgreSQL', () => {
  it('tells the changes of one turn in one statement, and every one arrives', async () => {
    const one = await openPgSchema();
    const two = await openPgSchema(one.schema);
    let notifies = 0;
    const counting = one.db.withPlugin({
      transformQuery(args) {
        if (JSON.stringify(args.node).includes('pg_notify')) notifies++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const teller = await pgChanges(one.url, counting, () => {});
    const listener = await pgChanges(two.url, two.db, () => {});
    try {
      const heard: string[] = [];
      listener.subscribe((change) => {
        heard.push(change.comment ?? '');
      });
      const sent = Array.from({ length: 300 }, (_, i) => `comment-${i}`);
      await Promise.all(
        sent.map((comment, i) =>
          teller.publish({
            site: 'default',
            key: 'blog.example.com/a',
            thread: 't1',
            version: i + 1,
            type: 'created',
            comment,
          }),
        ),
      );
      // One statement; about 130 bytes each, 300 changes take several notifications (8,000 bytes at most each).
      expect(notifies).toBe(1);
      const deadline = Date.now() + 3000;
      while (heard.length < sent.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(heard).toEqual(sent);
    } finally {
      await Promise.all([teller.close(), listener.close()]);
      await Promise.all([one.db.destroy(), two.db.destroy()]);
      await one.drop();
    }
  });
});
