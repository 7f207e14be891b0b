import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/errors.ts';
import { LIMITS } from '../../shared/limits.ts';
import type { CommentView, CreatedComment, ThreadView } from '../../shared/schemas.ts';
import { type ApiTarget, TARGET_ENV } from './target.ts';

/**
 * The public API's behaviour, run unchanged against every store and runtime. Each test posts as clients of its
 * own, so the write limit (5 a minute, from TARGET_ENV) only bites where a test wants it to.
 */
export function apiSuite(name: string, open: () => Promise<ApiTarget>) {
  describe(`public API on ${name}`, () => {
    let target: ApiTarget;
    let clients = 0;
    let pages = 0;
    beforeAll(async () => {
      target = await open();
    });
    afterAll(() => target?.close());

    const newClient = () => `198.51.${Math.floor(++clients / 250)}.${clients % 250}`;
    const newPage = () => `https://blog.example.com/${name.replace(/\W+/g, '-')}/post-${++pages}/`;

    function send(
      method: string,
      path: string,
      body?: unknown,
      client = newClient(),
      headers: Record<string, string> = {},
    ) {
      const init: RequestInit = { method, headers: { 'Content-Type': 'application/json', ...headers } };
      if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
      return target.request(path, init, client);
    }

    async function post(input: Record<string, unknown>, client = newClient()): Promise<CreatedComment> {
      const res = await send('POST', '/api/comments', { body: 'A comment.', ...input }, client);
      expect(res.status, await res.clone().text()).toBe(201);
      return (await res.json()) as CreatedComment;
    }

    async function thread(url: string, query = ''): Promise<ThreadView> {
      const res = await target.request(`/api/comments?url=${encodeURIComponent(url)}${query}`);
      expect(res.status).toBe(200);
      return (await res.json()) as ThreadView;
    }

    async function expectError(res: Response, status: number, code: string, field?: string) {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(0);
      if (field) expect(body.error.fields?.[field], JSON.stringify(body)).toBeTruthy();
      return body;
    }

    describe('service', () => {
      it('answers the health check when the store is reachable', async () => {
        const res = await target.request('/api/health');
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ status: 'ok' });
      });

      it('describes itself in an OpenAPI 3.1 document built from the request schemas', async () => {
        const doc = (await (await target.request('/api/openapi.json')).json()) as {
          openapi: string;
          paths: Record<string, Record<string, unknown>>;
          components: { schemas: Record<string, unknown> };
        };
        expect(doc.openapi).toBe('3.1.0');
        expect(Object.keys(doc.paths)).toEqual(
          expect.arrayContaining(['/api/comments', '/api/comments/{id}', '/api/preview', '/api/health']),
        );
        expect(doc.paths['/api/comments']).toHaveProperty('post');
        expect(doc.components.schemas).toHaveProperty('Comment');
      });

      it('answers an unknown endpoint with a JSON 404', async () => {
        await expectError(await target.request('/api/nothing-here'), 404, 'not_found');
      });

      it('lets any origin read and write, with a preflight for edits', async () => {
        const res = await target.request('/api/comments/x', {
          method: 'OPTIONS',
          headers: {
            Origin: 'https://someone-elses-blog.example',
            'Access-Control-Request-Method': 'PATCH',
            'Access-Control-Request-Headers': 'authorization, content-type',
          },
        });
        expect(res.status).toBeLessThan(300);
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        expect(res.headers.get('access-control-allow-methods')).toMatch(/PATCH/);
      });
    });

    describe('reading and writing', () => {
      it('shows an empty thread for a page nobody has commented on', async () => {
        const view = await thread(newPage());
        expect(view.comments).toEqual([]);
        expect(view.thread).toMatchObject({ commentCount: 0, locked: false });
        expect(view.nextCursor).toBeNull();
      });

      it('stores a comment and shows it to the next reader, without the email', async () => {
        const url = newPage();
        const created = await post({
          url,
          name: 'Ada',
          email: 'ada@example.org',
          body: 'Hello *there*',
          title: 'Post',
        });
        expect(created.comment).toMatchObject({
          author: { name: 'Ada' },
          depth: 0,
          parentId: null,
          status: 'approved',
        });
        expect(created.comment.author.avatar).toMatch(/^[0-9a-f]{6}$/);
        expect(created.editToken.length).toBeGreaterThanOrEqual(40);
        const res = await target.request(`/api/comments?url=${encodeURIComponent(url)}`);
        const text = await res.text();
        expect(text).not.toContain('ada@example.org');
        expect(text).not.toContain(created.editToken);
        const view = JSON.parse(text) as ThreadView;
        expect(view.thread).toMatchObject({ commentCount: 1, title: 'Post' });
        expect(view.comments[0]).toMatchObject({
          id: created.comment.id,
          html: '<p>Hello <em>there</em></p>\n',
        });
      });

      it('shows a comment posted without a name with an empty name, for the widget to call Anonymous', async () => {
        const created = await post({ url: newPage() });
        expect(created.comment.author.name).toBe('');
      });

      it('finds the same thread under the variants of a page URL', async () => {
        const created = await post({ url: 'https://www.Example.com:443/norm/a/?utm_source=x#comment-1' });
        for (const variant of ['http://example.com/norm/a', 'https://example.com/norm/a/index.html']) {
          const view = await thread(variant);
          expect(view.comments.map((c) => c.id)).toEqual([created.comment.id]);
        }
        expect((await thread('https://example.com/norm/b')).comments).toEqual([]);
      });

      it('keys a thread by the page id when the blogger gives one', async () => {
        const created = await post({ url: newPage(), pageId: 'post-42' });
        const res = await target.request(`/api/comments?url=${encodeURIComponent(newPage())}&pageId=post-42`);
        const view = (await res.json()) as ThreadView;
        expect(view.comments.map((c) => c.id)).toEqual([created.comment.id]);
      });

      it('nests replies to replies and returns them depth-first', async () => {
        const url = newPage();
        const a = await post({ url, body: 'first' });
        const b = await post({ url, body: 'second' });
        const a1 = await post({ url, parentId: a.comment.id });
        const a1x = await post({ url, parentId: a1.comment.id });
        const view = await thread(url);
        expect(view.comments.map((c) => [c.id, c.parentId, c.depth])).toEqual([
          [a.comment.id, null, 0],
          [a1.comment.id, a.comment.id, 1],
          [a1x.comment.id, a1.comment.id, 2],
          [b.comment.id, null, 0],
        ]);
        const newest = await thread(url, '&sort=newest');
        expect(newest.comments.map((c) => c.id)).toEqual([b, a, a1, a1x].map((c) => c.comment.id));
      });

      it('refuses a reply to a comment of another thread, or one that does not exist', async () => {
        const other = await post({ url: newPage() });
        const url = newPage();
        await post({ url });
        for (const parentId of [other.comment.id, '0000000000000000', 'x']) {
          await expectError(
            await send('POST', '/api/comments', { url, parentId, body: 'hi' }),
            422,
            'invalid_input',
            'parentId',
          );
        }
      });

      it('refuses replies deeper than the configured depth', async () => {
        const url = newPage();
        let parent = await post({ url });
        for (let depth = 1; depth <= 3; depth++) parent = await post({ url, parentId: parent.comment.id });
        expect(parent.comment.depth).toBe(3);
        const res = await send('POST', '/api/comments', {
          url,
          parentId: parent.comment.id,
          body: 'too deep',
        });
        await expectError(res, 422, 'invalid_input', 'parentId');
      });

      it('renders markdown on the server and keeps raw HTML as text', async () => {
        const { comment } = await post({
          url: newPage(),
          body: 'A [link](https://example.org) and <script>alert(1)</script>\n\n- one\n- two',
        });
        expect(comment.html).toContain('<a href="https://example.org" rel="nofollow ugc noopener">link</a>');
        expect(comment.html).toContain('&lt;script&gt;');
        expect(comment.html).not.toContain('<script');
        expect(comment.html).toContain('<li>two</li>');
      });

      it('previews markdown exactly as it would be posted', async () => {
        const res = await send('POST', '/api/preview', { body: '**bold** <b>' });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ html: '<p><strong>bold</strong> &lt;b&gt;</p>\n' });
      });

      it('keeps a honeypot comment out of the thread while telling the sender it awaits moderation', async () => {
        const url = newPage();
        const created = await post({ url, website: 'http://spam.example', body: 'Buy now' });
        expect(created.comment.status).toBe('pending');
        expect((await thread(url)).comments).toEqual([]);
      });

      it('never lets a later post rename a thread, published, held or caught by the honeypot', async () => {
        const url = newPage();
        await post({ url, title: 'The real title' });
        await post({ url, title: 'Spam title', website: 'http://spam.example' });
        await post({ url, title: 'Another title' });
        expect((await thread(url)).thread.title).toBe('The real title');
      });

      it('counts comments for several pages at once', async () => {
        const url = newPage();
        await post({ url });
        await post({ url });
        const empty = newPage();
        const res = await target.request(
          `/api/counts?url=${encodeURIComponent(url)}&url=${encodeURIComponent(empty)}`,
        );
        expect(await res.json()).toEqual({ counts: { [url]: 2, [empty]: 0 } });
      });
    });

    describe('large threads', () => {
      it('pages through a thread with cursors: bounded pages, nothing twice, nothing missing', async () => {
        const url = newPage();
        const ids: string[] = [];
        let parent: string | undefined;
        for (let i = 0; i < 24; i++) {
          const created = await post({ url, parentId: i % 4 === 0 ? undefined : parent }, newClient());
          if (i % 4 === 0) parent = created.comment.id;
          ids.push(created.comment.id);
        }
        for (const sort of ['oldest', 'newest']) {
          const seen: CommentView[] = [];
          let cursor: string | null = null;
          let pagesRead = 0;
          do {
            const query: string = `&sort=${sort}&limit=5${cursor ? `&cursor=${cursor}` : ''}`;
            const view: ThreadView = await thread(url, query);
            expect(view.comments.length).toBeLessThanOrEqual(5);
            expect(view.thread.commentCount).toBe(24);
            seen.push(...view.comments);
            cursor = view.nextCursor;
            pagesRead++;
          } while (cursor);
          expect(pagesRead).toBe(5);
          expect(seen.map((c) => c.id).sort()).toEqual([...ids].sort());
        }
      });

      it('caps the page size', async () => {
        const res = await target.request(
          `/api/comments?url=${encodeURIComponent(newPage())}&limit=${LIMITS.pageMax + 1}`,
        );
        await expectError(res, 400, 'invalid_input', 'limit');
      });

      it('answers a revalidation with 304 until the thread changes', async () => {
        const url = newPage();
        await post({ url });
        const path = `/api/comments?url=${encodeURIComponent(url)}`;
        const first = await target.request(path);
        const etag = first.headers.get('etag');
        expect(etag).toBeTruthy();
        expect(first.headers.get('cache-control')).toBe('no-cache');
        const again = await target.request(path, { headers: { 'If-None-Match': etag ?? '' } });
        expect(again.status).toBe(304);
        await post({ url });
        const changed = await target.request(path, { headers: { 'If-None-Match': etag ?? '' } });
        expect(changed.status).toBe(200);
        expect(changed.headers.get('etag')).not.toBe(etag);
        expect(((await changed.json()) as ThreadView).comments).toHaveLength(2);
      });
    });

    describe('editing and deleting one’s own comment', () => {
      const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

      it('lets the author edit with the token, and shows the edit to everyone', async () => {
        const url = newPage();
        const { comment, editToken } = await post({ url, body: 'Teh typo' });
        const res = await send(
          'PATCH',
          `/api/comments/${comment.id}`,
          { body: 'The _fix_' },
          newClient(),
          bearer(editToken),
        );
        expect(res.status).toBe(200);
        const { comment: edited } = (await res.json()) as { comment: CommentView };
        expect(edited.html).toBe('<p>The <em>fix</em></p>\n');
        expect(edited.editedAt).toEqual(expect.any(Number));
        expect((await thread(url)).comments[0]?.html).toBe('<p>The <em>fix</em></p>\n');
      });

      it('refuses an edit without the right token', async () => {
        const { comment, editToken } = await post({ url: newPage() });
        const path = `/api/comments/${comment.id}`;
        await expectError(await send('PATCH', path, { body: 'x' }), 403, 'forbidden');
        await expectError(
          await send('PATCH', path, { body: 'x' }, newClient(), bearer(`${editToken}x`)),
          403,
          'forbidden',
        );
        await expectError(
          await send('DELETE', path, undefined, newClient(), bearer('nope')),
          403,
          'forbidden',
        );
      });

      it('validates an edit like a new comment', async () => {
        const { comment, editToken } = await post({ url: newPage() });
        const res = await send(
          'PATCH',
          `/api/comments/${comment.id}`,
          { body: '  ' },
          newClient(),
          bearer(editToken),
        );
        await expectError(res, 422, 'invalid_input', 'body');
      });

      it('answers 404 for a comment that does not exist', async () => {
        await expectError(
          await send('PATCH', '/api/comments/0000000000000000', { body: 'x' }, newClient(), bearer('t')),
          404,
          'not_found',
        );
        await expectError(
          await send('DELETE', '/api/comments/nope', undefined, newClient(), bearer('t')),
          404,
          'not_found',
        );
      });

      it('removes a comment without replies entirely', async () => {
        const url = newPage();
        const { comment, editToken } = await post({ url });
        const res = await send(
          'DELETE',
          `/api/comments/${comment.id}`,
          undefined,
          newClient(),
          bearer(editToken),
        );
        expect(await res.json()).toEqual({ comment: null });
        expect((await thread(url)).comments).toEqual([]);
      });

      it('leaves a placeholder for a deleted comment with replies, and removes it with its last reply', async () => {
        const url = newPage();
        const parent = await post({ url, name: 'Secret Name', body: 'secret words' });
        const reply = await post({ url, parentId: parent.comment.id });
        const res = await send(
          'DELETE',
          `/api/comments/${parent.comment.id}`,
          undefined,
          newClient(),
          bearer(parent.editToken),
        );
        const { comment } = (await res.json()) as { comment: CommentView };
        expect(comment).toMatchObject({ status: 'deleted', html: '', author: { name: '' } });
        const view = await thread(url);
        expect(view.comments.map((c) => [c.id, c.status])).toEqual([
          [parent.comment.id, 'deleted'],
          [reply.comment.id, 'approved'],
        ]);
        expect(JSON.stringify(view)).not.toMatch(/secret/i);
        expect(view.thread.commentCount).toBe(1);
        await send(
          'DELETE',
          `/api/comments/${reply.comment.id}`,
          undefined,
          newClient(),
          bearer(reply.editToken),
        );
        expect((await thread(url)).comments).toEqual([]);
      });

      it('closes the edit window after the configured time', async (context) => {
        if (!target.clock) return context.skip();
        const { comment, editToken } = await post({ url: newPage() });
        target.clock.advance(15 * 60_000 + 1);
        const res = await send(
          'PATCH',
          `/api/comments/${comment.id}`,
          { body: 'late' },
          newClient(),
          bearer(editToken),
        );
        await expectError(res, 403, 'edit_window_closed');
      });
    });

    describe('bad input', () => {
      const url = 'https://blog.example.com/bad-input/';

      it.each([
        ['a missing body', { url }, 'body'],
        ['a blank body', { url, body: ' \n ' }, 'body'],
        ['a body over the limit', { url, body: 'x'.repeat(LIMITS.bodyMax + 1) }, 'body'],
        ['a relative URL', { url: '/post', body: 'x' }, 'url'],
        ['a javascript: URL', { url: 'javascript:alert(1)', body: 'x' }, 'url'],
        ['a name over the limit', { url, body: 'x', name: 'n'.repeat(LIMITS.nameMax + 1) }, 'name'],
        ['an invalid email', { url, body: 'x', email: 'not-an-email' }, 'email'],
        ['a body of the wrong type', { url, body: 42 }, 'body'],
        ['a parent id of the wrong type', { url, body: 'x', parentId: { $ne: null } }, 'parentId'],
      ])('refuses %s with 422 naming the field', async (_label, body, field) => {
        await expectError(await send('POST', '/api/comments', body), 422, 'invalid_input', field);
      });

      it('refuses malformed JSON with 400', async () => {
        await expectError(await send('POST', '/api/comments', '{"url": '), 400, 'invalid_json');
      });

      it('refuses a body that is not JSON with 415', async () => {
        const res = await target.request('/api/comments', {
          method: 'POST',
          body: 'url=x',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        });
        await expectError(res, 415, 'unsupported_media_type');
      });

      it('refuses an oversized request with 413 before reading it', async () => {
        const res = await send('POST', '/api/comments', { url, body: 'x'.repeat(LIMITS.requestBytesMax) });
        await expectError(res, 413, 'payload_too_large');
      });

      it.each([
        ['no url', '', 'url'],
        ['an unknown sort', `?url=${encodeURIComponent(url)}&sort=sideways`, 'sort'],
        ['a forged cursor', `?url=${encodeURIComponent(url)}&cursor=abc`, 'cursor'],
        ['a page size of zero', `?url=${encodeURIComponent(url)}&limit=0`, 'limit'],
      ])('refuses a thread query with %s with 400 naming the field', async (_label, query, field) => {
        await expectError(await target.request(`/api/comments${query}`), 400, 'invalid_input', field);
      });

      it('never answers garbage with a 5xx', async () => {
        const bodies = [
          'null',
          '[]',
          '"text"',
          '123',
          'true',
          '{}',
          '{"url":null,"body":null}',
          `{"a":${'['.repeat(500)}${']'.repeat(500)}}`,
          '\u0000',
        ];
        for (const body of bodies) {
          const res = await send('POST', '/api/comments', body);
          expect(res.status, body).toBeGreaterThanOrEqual(400);
          expect(res.status, body).toBeLessThan(500);
        }
      });

      it('stores text with a lone surrogate as well-formed Unicode', async () => {
        const url = newPage();
        const created = await post({ url, name: 'A\ud800', body: 'x\udc00y' });
        expect(created.comment.author.name).toBe('A\ufffd');
        expect((await thread(url)).comments[0]?.html).toBe('<p>x\ufffdy</p>\n');
      });
    });

    describe('abuse', () => {
      it('limits writes per client and says when to retry, without affecting other clients', async () => {
        const url = newPage();
        const client = newClient();
        for (let i = 0; i < 5; i++) await post({ url }, client);
        const res = await send('POST', '/api/comments', { url, body: 'one too many' }, client);
        await expectError(res, 429, 'rate_limited');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        await post({ url }, newClient());
      });

      it('checks the write limit before anything else: an over-limit client gets 429 even for a bad request', async () => {
        const url = newPage();
        const client = newClient();
        for (let i = 0; i < 5; i++) await post({ url }, client);
        const huge = { url, body: 'x'.repeat(LIMITS.bodyMax + 1) };
        await expectError(await send('POST', '/api/comments', huge, client), 429, 'rate_limited');
        await expectError(await send('POST', '/api/comments', { body: '' }, client), 429, 'rate_limited');
        await expectError(await send('POST', '/api/comments', '{not json', client), 429, 'rate_limited');
        // Another client's bad request is still told what is wrong with it.
        await expectError(await send('POST', '/api/comments', huge), 422, 'invalid_input', 'body');
      });

      it('limits asking for one’s own comments per client', async () => {
        const client = newClient();
        const asked = { comments: [{ id: 'gone', token: 'whatever' }] };
        const own = (from = client) => send('POST', '/api/comments/own', asked, from);
        for (let i = 0; i < Number(TARGET_ENV.PARLEY_OWN_LIMIT_MAX); i++)
          expect((await own()).status).toBe(200);
        const res = await own();
        await expectError(res, 429, 'rate_limited');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await own(newClient())).status).toBe(200);
      });
    });
  });
}
