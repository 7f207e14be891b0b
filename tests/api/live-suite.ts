import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommentView, CreatedComment, ThreadView } from '../../shared/schemas.ts';
import { type AdminClient, signIn } from '../admin/client.ts';
import { newPage, newSite, postComment, publicRequest } from '../admin/site-fixtures.ts';
import { readSse } from '../support/sse.ts';
import type { ApiTarget } from './target.ts';

/**
 * Live threads (`GET /api/comments/live`), run unchanged on every runtime: in-process streams on Node, a Durable
 * Object per thread on Workers. Every event's id is the thread's version after the change.
 */
export function liveSuite(name: string, open: () => Promise<ApiTarget>) {
  describe(`live threads on ${name}`, () => {
    let target: ApiTarget;
    let owner: AdminClient;
    const streams: Array<{ close(): Promise<unknown> }> = [];
    beforeAll(async () => {
      target = await open();
      owner = await signIn(target);
    });
    afterAll(async () => {
      await Promise.all(streams.map((stream) => stream.close()));
      await target?.close();
    });

    const query = (site: string, url: string) => `site=${site}&url=${encodeURIComponent(url)}`;
    const follow = async (
      site: string,
      url: string,
      headers: Record<string, string> = {},
      since?: number,
    ) => {
      const sinceParam = since === undefined ? '' : `&since=${since}`;
      const res = await publicRequest(target, 'GET', `/api/comments/live?${query(site, url)}${sinceParam}`, {
        headers,
      });
      expect(res.status, res.status === 200 ? '' : await res.text()).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const stream = readSse(res);
      streams.push(stream);
      return stream;
    };
    const versionOf = async (site: string, url: string) => {
      const res = await publicRequest(target, 'GET', `/api/comments?${query(site, url)}`);
      return ((await res.json()) as ThreadView).thread.version;
    };
    const edit = (created: CreatedComment, body: string) =>
      publicRequest(target, 'PATCH', `/api/comments/${created.comment.id}`, {
        body: { body },
        headers: { Authorization: `Bearer ${created.editToken}` },
      });
    const remove = (created: CreatedComment) =>
      publicRequest(target, 'DELETE', `/api/comments/${created.comment.id}`, {
        headers: { Authorization: `Bearer ${created.editToken}` },
      });

    it('tells a reader of new, edited and removed comments, numbered by the thread version', async () => {
      const site = await newSite(owner);
      const url = newPage();
      const first = await postComment(target, { site, url, body: 'First.' });
      const since = await versionOf(site, url);
      const stream = await follow(site, url, {}, since);

      const second = await postComment(target, { site, url, body: 'Second, *live*.' });
      const created = await stream.next();
      expect(created.data).toMatchObject({ type: 'comment', change: 'created' });
      const comment = (created.data as { comment: CommentView }).comment;
      expect(comment).toMatchObject({ id: second.comment.id, html: second.comment.html });
      expect(comment.html).toContain('<em>live</em>');
      expect(comment).not.toHaveProperty('email');
      expect(Number(created.id)).toBe(since + 1);

      expect((await edit(first, 'First, edited.')).status).toBe(200);
      const edited = await stream.next();
      expect(edited.data).toMatchObject({
        type: 'comment',
        change: 'edited',
        comment: { id: first.comment.id },
      });
      expect(Number(edited.id)).toBe(since + 2);

      expect((await remove(second)).status).toBe(200);
      expect((await stream.next()).data).toEqual({ type: 'removed', id: second.comment.id });
    });

    it('never shows a held comment, and shows it once approved', async () => {
      const site = await newSite(owner, { moderation: 'all' });
      const url = newPage();
      const stream = await follow(site, url, {}, 0);
      const held = await postComment(target, { site, url, body: 'Waiting.' });
      expect(held.comment.status).toBe('pending');
      expect(await stream.quiet(400)).toBe(true);
      await owner.ok('POST', '/comments/actions', { ids: [held.comment.id], action: 'approve' });
      expect((await stream.next()).data).toMatchObject({
        type: 'comment',
        change: 'approved',
        comment: { id: held.comment.id, status: 'approved', html: held.comment.html },
      });
    });

    it('resumes a dropped stream with the last event id and misses nothing', async () => {
      const site = await newSite(owner);
      const url = newPage();
      const stream = await follow(site, url, {}, 0);
      await postComment(target, { site, url, body: 'Before the drop.' });
      const seen = await stream.next();
      await stream.close();

      const missed = [
        await postComment(target, { site, url, body: 'Missed one.' }),
        await postComment(target, { site, url, body: 'Missed two.' }),
      ];
      const resumed = await follow(site, url, { 'Last-Event-ID': String(seen.id) }, 0);
      const replayed = [await resumed.next(), await resumed.next()];
      expect(replayed.map((message) => (message.data as { comment?: CommentView }).comment?.id)).toEqual(
        missed.map((each) => each.comment.id),
      );
      expect(replayed.map((message) => Number(message.id))).toEqual([
        Number(seen.id) + 1,
        Number(seen.id) + 2,
      ]);
      expect(await resumed.quiet(300)).toBe(true);
    });

    it('asks for a reload when what was missed is not known', async () => {
      const url = newPage();
      const site = await newSite(owner);
      await postComment(target, { site, url });
      await postComment(target, { site, url });
      // Nobody followed this thread while it changed: its events were never kept.
      const stream = await follow(site, url, {}, 0);
      const message = await stream.next();
      expect(message.data).toEqual({ type: 'resync' });
      expect(Number(message.id)).toBe(await versionOf(site, url));
    });

    it('sends nothing to a reader who is up to date', async () => {
      const site = await newSite(owner);
      const url = newPage();
      await postComment(target, { site, url });
      const stream = await follow(site, url, {}, await versionOf(site, url));
      expect(await stream.quiet(300)).toBe(true);
    });

    it('refuses what a thread read refuses: an unknown site, another origin, a version that is not one', async () => {
      const site = await newSite(owner);
      const url = encodeURIComponent(newPage());
      const unknown = await publicRequest(target, 'GET', `/api/comments/live?site=nope-${site}&url=${url}`);
      expect(unknown.status).toBe(404);
      const foreign = await publicRequest(target, 'GET', `/api/comments/live?site=${site}&url=${url}`, {
        origin: 'https://elsewhere.example',
      });
      expect(foreign.status).toBe(403);
      const bad = await publicRequest(target, 'GET', `/api/comments/live?site=${site}&url=${url}&since=-1`);
      expect(bad.status).toBe(400);
      expect(
        ((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields,
      ).toHaveProperty('since');
    });
  });
}
