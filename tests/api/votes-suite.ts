import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.ts';
import type { CreatedComment, ThreadView, VoteResult } from '../../shared/schemas.ts';
import { type ApiTarget, TARGET_ENV } from './target.ts';

/** Up-votes and the `top` order through the public API, on every store and runtime. */
export function votesSuite(name: string, open: () => Promise<ApiTarget>) {
  describe(`votes through the API on ${name}`, () => {
    let target: ApiTarget;
    let clients = 0;
    let pages = 0;
    let keys = 0;
    beforeAll(async () => {
      target = await open();
    });
    afterAll(() => target?.close());

    const newClient = () => `198.52.${Math.floor(++clients / 250)}.${clients % 250}`;
    const newPage = () => `https://blog.example.com/${name.replace(/\W+/g, '-')}/voted-${++pages}/`;
    const newKey = () => `browser-key-${String(++keys).padStart(12, '0')}`;

    async function post(url: string, parentId?: string): Promise<CreatedComment> {
      const res = await target.request(
        '/api/comments',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ url, body: 'A comment.', ...(parentId && { parentId }) }),
        },
        newClient(),
      );
      expect(res.status, await res.clone().text()).toBe(201);
      return (await res.json()) as CreatedComment;
    }

    const vote = (id: string, key: string, voted = true, client = newClient()) =>
      target.request(
        `/api/comments/${id}/vote`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ key, voted }),
        },
        client,
      );

    async function voted(id: string, key: string, isUp = true): Promise<VoteResult> {
      const res = await vote(id, key, isUp);
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as VoteResult;
    }

    const thread = async (url: string, query = '') => {
      const res = await target.request(`/api/comments?url=${encodeURIComponent(url)}${query}`);
      expect(res.status).toBe(200);
      return { view: (await res.json()) as ThreadView, etag: res.headers.get('etag') ?? '' };
    };

    it('counts one vote per browser key, whatever the address, and takes it back', async () => {
      const url = newPage();
      const { comment } = await post(url);
      const key = newKey();
      expect(await voted(comment.id, key)).toEqual({ id: comment.id, votes: 1, voted: true });
      expect(await voted(comment.id, key)).toEqual({ id: comment.id, votes: 1, voted: true });
      expect((await voted(comment.id, newKey())).votes).toBe(2);
      expect(await voted(comment.id, key, false)).toEqual({ id: comment.id, votes: 1, voted: false });
      expect((await voted(comment.id, key, false)).votes).toBe(1);
      expect((await thread(url)).view.comments[0]?.votes).toBe(1);
    });

    it('shows a vote on the next read of a page already cached, under a new ETag', async () => {
      const url = newPage();
      const { comment } = await post(url);
      const before = await thread(url);
      // Read twice: the second comes from the response cache.
      expect((await thread(url)).view.comments[0]?.votes).toBe(0);
      await voted(comment.id, newKey());
      const res = await target.request(`/api/comments?url=${encodeURIComponent(url)}`, {
        headers: { 'If-None-Match': before.etag },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).not.toBe(before.etag);
      expect(((await res.json()) as ThreadView).comments[0]?.votes).toBe(1);
    });

    it('orders by votes with `sort=top`, pages with its own cursors, and refuses a cursor of another order', async () => {
      const url = newPage();
      const first = await post(url);
      const second = await post(url);
      const reply = await post(url, first.comment.id);
      const third = await post(url);
      await voted(third.comment.id, newKey());
      await voted(third.comment.id, newKey());
      await voted(first.comment.id, newKey());
      const order = [third, first, reply, second].map((each) => each.comment.id);
      expect((await thread(url, '&sort=top')).view.comments.map((c) => c.id)).toEqual(order);
      const seen: string[] = [];
      let cursor = '';
      for (;;) {
        const { view } = await thread(
          url,
          `&sort=top&limit=1${cursor && `&cursor=${encodeURIComponent(cursor)}`}`,
        );
        seen.push(...view.comments.map((c) => c.id));
        if (!view.nextCursor) break;
        cursor = view.nextCursor;
      }
      expect(seen).toEqual(order);
      const oldest = (await thread(url, '&limit=1')).view.nextCursor ?? '';
      const res = await target.request(
        `/api/comments?url=${encodeURIComponent(url)}&sort=top&cursor=${encodeURIComponent(oldest)}`,
      );
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).error.fields?.cursor).toBeTruthy();
    });

    it('refuses a malformed key, naming it, and a comment that is not shown', async () => {
      const { comment } = await post(newPage());
      const bad = await vote(comment.id, 'short');
      expect(bad.status).toBe(422);
      expect(((await bad.json()) as ErrorBody).error.fields?.key).toBeTruthy();
      const missing = await vote('0000000000000000', newKey());
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as ErrorBody).error.code).toBe('not_found');
    });

    it('limits votes per client address, with Retry-After', async () => {
      const { comment } = await post(newPage());
      const client = newClient();
      const max = Number(TARGET_ENV.PARLEY_VOTE_LIMIT_MAX);
      for (let i = 0; i < max; i++)
        expect((await vote(comment.id, newKey(), i % 2 === 0, client)).status).toBe(200);
      const refused = await vote(comment.id, newKey(), true, client);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as ErrorBody).error.code).toBe('rate_limited');
    });
  });
}
