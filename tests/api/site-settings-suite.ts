import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminCommentsPage, BulkResult, SiteSettings } from '../../shared/admin-schemas.ts';
import type { ErrorBody } from '../../shared/errors.ts';
import type { CommentView, CreatedComment, OwnComments, ThreadView } from '../../shared/schemas.ts';
import { type AdminClient, signIn } from '../admin/client.ts';
import {
  newPage,
  newReader,
  newSite,
  postComment,
  publicRequest,
  readThread,
} from '../admin/site-fixtures.ts';
import type { ApiTarget } from './target.ts';

const DAY = 24 * 60 * 60_000;

/**
 * How a site's settings shape the public API: which origins may use it, required fields, moderation modes and the
 * anti-spam checks, reply depth and edit window, closed threads, pins and the author badge. Run unchanged against
 * every store and runtime; sites are made through the admin API.
 */
export function siteSettingsSuite(name: string, open: () => Promise<ApiTarget>) {
  describe(`site settings in the public API on ${name}`, () => {
    let target: ApiTarget;
    let admin: AdminClient;
    beforeAll(async () => {
      target = await open();
      admin = await signIn(target);
    });
    afterAll(() => target?.close());

    const site = (settings: Partial<SiteSettings> = {}) => newSite(admin, settings);
    const post = (input: Record<string, unknown>, reader?: string) => postComment(target, input, reader);
    const send = (method: string, path: string, body?: unknown, origin?: string | null) =>
      publicRequest(target, method, path, { body, origin });

    async function expectError(res: Response, status: number, code: string, field?: string) {
      expect(res.status, await res.clone().text()).toBe(status);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe(code);
      if (field) expect(body.error.fields?.[field], JSON.stringify(body)).toBeTruthy();
      return body;
    }

    async function moderate(id: string, action: string) {
      const result = await admin.ok<BulkResult>('POST', '/comments/actions', { ids: [id], action });
      expect(result.failed).toEqual([]);
    }

    async function own(...created: CreatedComment[]): Promise<CommentView[]> {
      const res = await send('POST', '/api/comments/own', {
        comments: created.map((c) => ({ id: c.comment.id, token: c.editToken })),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return ((await res.json()) as OwnComments).comments;
    }

    async function reasonOf(siteId: string, id: string) {
      const page = await admin.ok<AdminCommentsPage>('GET', `/comments?site=${siteId}&limit=200`);
      return page.comments.find((c) => c.id === id)?.statusReason;
    }

    describe('sites and origins', () => {
      it('answers 404 naming the site when it does not exist', async () => {
        const url = encodeURIComponent(newPage());
        for (const res of [
          await send('GET', `/api/comments?site=nowhere&url=${url}`),
          await send('GET', `/api/counts?site=nowhere&url=${url}`),
          await send('POST', '/api/comments', { site: 'nowhere', url: newPage(), body: 'hi' }),
        ]) {
          await expectError(res, 404, 'not_found', 'site');
        }
      });

      it('refuses pages on origins the site does not list, with a message the widget can show', async () => {
        const id = await site();
        const url = newPage();
        const refused = [
          await send(
            'GET',
            `/api/comments?site=${id}&url=${encodeURIComponent(url)}`,
            undefined,
            'https://x.example',
          ),
          await send('POST', '/api/comments', { site: id, url, body: 'hi' }, 'https://x.example'),
          await send('GET', `/api/counts?site=${id}&url=${encodeURIComponent(url)}`, undefined, 'null'),
        ];
        for (const res of refused) {
          // Readable from the refused page, so the widget can say why.
          expect(res.headers.get('access-control-allow-origin')).toBe('*');
          const body = await expectError(res, 403, 'origin_not_allowed');
          expect(body.error.message).toMatch(
            /^This site does not accept comments from (https:\/\/x\.example|null)$/,
          );
        }
        // The listed origin, and requests that carry no Origin (not from a browser page), pass.
        await post({ site: id, url });
        const plain = await send(
          'GET',
          `/api/comments?site=${id}&url=${encodeURIComponent(url)}`,
          undefined,
          null,
        );
        expect(plain.status).toBe(200);
      });

      it('refuses a page address outside the listed origins, even from a listed page, naming the field', async () => {
        const id = await site();
        for (const url of ['https://stranger.example/post/', 'http://blog.example.test/post/']) {
          const res = await send('POST', '/api/comments', { site: id, url, body: 'hi' });
          const body = await expectError(res, 422, 'invalid_input', 'url');
          expect(body.error.fields?.url).toContain(new URL(url).origin);
        }
        const page = await readThread(target, id, 'https://stranger.example/post/');
        expect(page.thread.commentCount).toBe(0);
        await post({ site: id, url: newPage() });
      });

      it('lets any origin use the default site, which lists none', async () => {
        const res = await send(
          'POST',
          '/api/comments',
          { url: newPage(), body: 'hi' },
          'https://anywhere.example',
        );
        expect(res.status).toBe(201);
      });
    });

    describe('the form', () => {
      it('requires a name or an email where the site asks, naming the field, and says so in the thread', async () => {
        const id = await site({ requireName: true, requireEmail: true });
        const url = newPage();
        const res = await send('POST', '/api/comments', { site: id, url, body: 'hi' });
        const body = await expectError(res, 422, 'invalid_input', 'name');
        expect(body.error.fields?.email).toBeTruthy();
        await post({ site: id, url, name: 'Ada', email: 'ada@example.org' });
        const view = await readThread(target, id, url);
        expect(view.settings).toMatchObject({ requireName: true, requireEmail: true, moderation: 'none' });
      });

      it('applies the site’s reply depth and edit window instead of the server’s', async () => {
        const id = await site({ maxDepth: 1, editWindowMinutes: 2 });
        const url = newPage();
        const top = await post({ site: id, url });
        expect(top.editableUntil).toBe(top.comment.createdAt + 2 * 60_000);
        const reply = await post({ site: id, url, parentId: top.comment.id });
        await expectError(
          await send('POST', '/api/comments', { site: id, url, parentId: reply.comment.id, body: 'deeper' }),
          422,
          'invalid_input',
          'parentId',
        );
        expect((await readThread(target, id, url)).settings).toMatchObject({
          maxDepth: 1,
          editWindowMs: 120_000,
        });
      });

      it('keeps the server’s configured depth on the default site until its owner sets one', async () => {
        const view = await readThread(target, 'default', newPage());
        expect(view.settings).toMatchObject({ maxDepth: 3, editWindowMs: 900_000, moderation: 'none' });
      });
    });

    describe('moderation', () => {
      it('holds every comment when the site moderates all: hidden from others, shown to its author', async () => {
        const id = await site({ moderation: 'all' });
        const url = newPage();
        const created = await post({ site: id, url, name: 'Ada' });
        expect(created.comment.status).toBe('pending');
        const view = await readThread(target, id, url);
        expect(view.comments).toEqual([]);
        expect(view.thread.commentCount).toBe(0);
        expect(view.settings.moderation).toBe('all');

        const mine = await own(created);
        expect(mine).toEqual([{ ...created.comment, status: 'pending' }]);
        expect(await reasonOf(id, created.comment.id)).toBe('moderation: all');

        await moderate(created.comment.id, 'approve');
        expect((await readThread(target, id, url)).comments.map((c) => c.id)).toEqual([created.comment.id]);
        expect((await own(created))[0]?.status).toBe('approved');
      });

      it('shows the author only their own comments, with the right token, while they exist', async () => {
        const id = await site({ moderation: 'all' });
        const url = newPage();
        const [a, b] = [await post({ site: id, url }), await post({ site: id, url })];
        const forged = { ...b, editToken: `${b.editToken}x` };
        expect((await own(a, forged)).map((c) => c.id)).toEqual([a.comment.id]);
        const removed = await publicRequest(target, 'DELETE', `/api/comments/${a.comment.id}`, {
          headers: { Authorization: `Bearer ${a.editToken}` },
        });
        expect(removed.status).toBe(200);
        expect(await own(a, b)).toEqual([{ ...b.comment }]);
        const tooMany = Array.from({ length: 51 }, () => ({ id: a.comment.id, token: a.editToken }));
        await expectError(
          await send('POST', '/api/comments/own', { comments: tooMany }),
          422,
          'invalid_input',
        );
      });

      it('holds a first-time commenter until one of their comments is approved', async () => {
        const id = await site({ moderation: 'first-time' });
        const url = newPage();
        const reader = newReader();
        const first = await post({ site: id, url, email: 'new@example.org' }, reader);
        expect(first.comment.status).toBe('pending');
        expect(await reasonOf(id, first.comment.id)).toBe('first-time');
        expect((await post({ site: id, url, email: 'new@example.org' })).comment.status).toBe('pending');
        await moderate(first.comment.id, 'approve');
        // Known by email from anywhere, or by client without an email.
        expect((await post({ site: id, url, email: 'NEW@example.org' })).comment.status).toBe('approved');
        expect((await post({ site: id, url }, reader)).comment.status).toBe('approved');
        expect((await post({ site: id, url })).comment.status).toBe('pending');
      });

      it('holds a comment with more links than the site allows', async () => {
        const id = await site({ maxLinks: 1 });
        const url = newPage();
        const one = await post({ site: id, url, body: 'See https://a.example' });
        expect(one.comment.status).toBe('approved');
        const two = await post({
          site: id,
          url,
          body: 'See [this](https://a.example) and https://b.example',
        });
        expect(two.comment.status).toBe('pending');
        expect(await reasonOf(id, two.comment.id)).toBe('links');
      });

      it('holds a comment with a blocked word: any case, whole words, any script', async () => {
        const id = await site({ blockedWords: ['casino', 'schön', 'free money'] });
        const url = newPage();
        const cases: Array<[string, string | null]> = [
          ['Visit the CASINO tonight', 'blocked word: casino'],
          ['Ganz Schön!', 'blocked word: schön'],
          ['Get FREE\nmoney now', 'blocked word: free money'],
          ['A casinos review', null],
          ['Schöner wohnen', null],
          ['free_money', null],
        ];
        for (const [body, reason] of cases) {
          const created = await post({ site: id, url, body });
          expect([body, created.comment.status]).toEqual([body, reason ? 'pending' : 'approved']);
          expect(await reasonOf(id, created.comment.id)).toBe(reason);
        }
        const byName = await post({ site: id, url, name: 'Casino King' });
        expect(await reasonOf(id, byName.comment.id)).toBe('blocked word: casino');
      });

      it('holds an author’s edit that adds a blocked word', async () => {
        const id = await site({ blockedWords: ['casino'] });
        const url = newPage();
        const created = await post({ site: id, url, body: 'Nice post' });
        const res = await publicRequest(target, 'PATCH', `/api/comments/${created.comment.id}`, {
          body: { body: 'Nice casino' },
          headers: { Authorization: `Bearer ${created.editToken}` },
        });
        expect(((await res.json()) as { comment: CommentView }).comment.status).toBe('pending');
        expect((await readThread(target, id, url)).comments).toEqual([]);
      });

      it('keeps a honeypot comment as spam, shown to its author as pending', async () => {
        const id = await site();
        const created = await post({ site: id, url: newPage(), website: 'http://bot.example' });
        expect((await own(created))[0]?.status).toBe('pending');
        expect(await reasonOf(id, created.comment.id)).toBe('honeypot');
      });
    });

    describe('threads', () => {
      it('closes a thread the site’s autoCloseDays after it began, and says so to readers', async (context) => {
        const clock = target.clock;
        if (!clock) return context.skip();
        const id = await site({ autoCloseDays: 2 });
        const url = newPage();
        await post({ site: id, url });
        const path = `/api/comments?site=${id}&url=${encodeURIComponent(url)}`;
        const open = await send('GET', path);
        const etag = open.headers.get('etag') ?? '';
        clock.advance(2 * DAY - 60_000);
        await post({ site: id, url });
        clock.advance(60_000);
        const closed = await send('GET', path, undefined, undefined);
        expect(closed.status).toBe(200);
        expect(closed.headers.get('etag')).not.toBe(etag);
        expect(((await closed.json()) as ThreadView).thread.locked).toBe(true);
        const refused = await send('POST', '/api/comments', { site: id, url, body: 'Too late' });
        await expectError(refused, 403, 'thread_locked');
        // A new page on the same site is open.
        await post({ site: id, url: newPage() });
      });

      it('changes the ETag as soon as a setting changes, so readers see it without waiting', async () => {
        const id = await site();
        const url = newPage();
        await post({ site: id, url });
        const path = `/api/comments?site=${id}&url=${encodeURIComponent(url)}`;
        const before = await send('GET', path);
        const etag = before.headers.get('etag') ?? '';
        expect((await send('GET', path, undefined)).headers.get('etag')).toBe(etag);
        const again = await publicRequest(target, 'GET', path, { headers: { 'If-None-Match': etag } });
        expect(again.status).toBe(304);
        await admin.ok('PATCH', `/sites/${id}`, { settings: { moderation: 'first-time' } });
        const changed = await publicRequest(target, 'GET', path, { headers: { 'If-None-Match': etag } });
        expect(changed.status).toBe(200);
        expect(((await changed.json()) as ThreadView).settings.moderation).toBe('first-time');
      });
    });
  });
}
