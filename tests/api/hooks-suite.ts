import { describe, expect, it } from 'vitest';
import type { MailMessage } from '../../server/mail/mailer.ts';
import type { AuditPage } from '../../shared/admin-schemas.ts';
import type { Erased, PersonalData } from '../../shared/privacy-schemas.ts';
import type { CreatedWebhook, Delivery } from '../../shared/webhook-schemas.ts';
import { type AdminClient, expectAdminError, signIn } from '../admin/client.ts';
import {
  newMember,
  newPage,
  newSite,
  postComment,
  publicRequest,
  readThread,
} from '../admin/site-fixtures.ts';
import type { Receiver } from '../support/webhook-receiver.ts';
import { parseAtom } from './atom.ts';
import type { ApiTarget } from './target.ts';

/** What the suites run against: the app (with PARLEY_WEBHOOKS_ALLOW_PRIVATE=1), a receiver, and the mail sent. */
export interface HooksSetup {
  target: () => ApiTarget;
  receiver: () => Receiver;
  /** The mail the app handed its mailer; absent where the app has no mailer (the Worker). */
  mails?: MailMessage[];
}

let paths = 0;

/** Polls until `check` holds (or throws its last failure after `ms`). */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`Still ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function webhookSuite({ target, receiver }: HooksSetup) {
  describe('webhooks', () => {
    let owner: AdminClient;

    async function hooked(
      events = ['comment.created', 'comment.approved', 'comment.edited', 'comment.deleted'],
    ) {
      owner ??= await signIn(target());
      const site = await newSite(owner);
      const path = `/hook-${++paths}`;
      const created = await owner.ok<CreatedWebhook>('POST', `/sites/${site}/webhooks`, {
        url: receiver().url(path),
        events,
      });
      receiver().expect(path, created.secret);
      return { site, path, created };
    }

    const log = (site: string, id: string) =>
      owner.ok<Delivery[]>('GET', `/sites/${site}/webhooks/${id}/deliveries`);

    it('shows the secret once, and lists the webhook without it', async () => {
      const { site, created } = await hooked();
      expect(created.secret).toMatch(/^whsec_[\w-]{40,}$/);
      const listed = await owner.ok<unknown[]>('GET', `/sites/${site}/webhooks`);
      expect(listed).toEqual([created.webhook]);
      expect(JSON.stringify(listed)).not.toContain(created.secret);
    });

    it('posts a new comment to the receiver, signed over the raw body with a fresh timestamp, without the email', async () => {
      const { site, path } = await hooked();
      const url = newPage();
      const posted = await postComment(target(), {
        site,
        url,
        title: 'A <b>page</b>',
        name: 'Ada',
        email: 'ada.hooks@example.org',
        body: 'Hello, *hooks*.',
      });
      const [got] = await receiver().waitFor(path, 1);
      expect(got?.verified).toBe(true);
      expect(Math.abs((got?.timestamp ?? 0) - Date.now() / 1000)).toBeLessThan(300);
      expect(got?.headers['content-type']).toBe('application/json');
      expect(got?.headers['parley-event']).toBe('comment.created');
      const payload = JSON.parse(got?.body ?? '{}');
      expect(payload).toMatchObject({
        event: 'comment.created',
        id: got?.headers['parley-delivery'],
        site: { id: site, name: `Site ${site}` },
        thread: { url, title: 'A <b>page</b>' },
        comment: { id: posted.comment.id, author: { name: 'Ada' }, status: 'approved' },
      });
      expect(payload.comment.html).toContain('<em>hooks</em>');
      expect(got?.body).not.toContain('ada.hooks@example.org');
      expect(got?.body).not.toMatch(/[0-9a-f]{64}/);
    });

    it('tells of an edit, an approval and a delete, each only to webhooks that asked for it', async () => {
      const { site, path } = await hooked(['comment.edited', 'comment.deleted']);
      const posted = await postComment(target(), { site, url: newPage(), body: 'First.' });
      const auth = { Authorization: `Bearer ${posted.editToken}` };
      const edit = await publicRequest(target(), 'PATCH', `/api/comments/${posted.comment.id}`, {
        body: { body: 'Second.' },
        headers: auth,
      });
      expect(edit.status).toBe(200);
      await receiver().waitFor(path, 1);
      const removed = await publicRequest(target(), 'DELETE', `/api/comments/${posted.comment.id}`, {
        headers: auth,
      });
      expect(removed.status).toBe(200);
      const got = await receiver().waitFor(path, 2);
      expect(got.map((each) => each.headers['parley-event'])).toEqual(['comment.edited', 'comment.deleted']);
      expect(JSON.parse(got[0]?.body ?? '{}').comment.html).toContain('Second.');
      // A deleted comment goes out as its placeholder: no name, no text.
      expect(JSON.parse(got[1]?.body ?? '{}').comment).toMatchObject({
        status: 'deleted',
        html: '',
        author: { name: '' },
      });
      expect(got.every((each) => each.verified)).toBe(true);

      const { site: held, path: heldPath } = await hooked(['comment.approved']);
      const waiting = await postComment(target(), { site: held, url: newPage() });
      await owner.ok('PATCH', `/sites/${held}`, { settings: { moderation: 'none' } });
      await owner.ok('POST', '/comments/actions', { ids: [waiting.comment.id], action: 'pin' });
      expect(receiver().received.filter((each) => each.path === heldPath)).toEqual([]);
    });

    it('sends a test event from the dashboard and logs it with its answer', async () => {
      const { site, path, created } = await hooked();
      const sent = await owner.ok<Delivery>('POST', `/sites/${site}/webhooks/${created.webhook.id}/test`);
      expect(sent).toMatchObject({
        event: 'ping',
        status: 'delivered',
        attempts: 1,
        responseCode: 204,
        error: null,
      });
      expect(sent.durationMs).toBeGreaterThanOrEqual(0);
      const [got] = await receiver().waitFor(path, 1);
      expect(got?.verified).toBe(true);
      expect(JSON.parse(got?.body ?? '{}')).toMatchObject({
        event: 'ping',
        site: { id: site },
        comment: null,
      });
      expect(sent.payload).toBe(got?.body);
      expect((await log(site, created.webhook.id)).map((each) => each.id)).toEqual([sent.id]);
    });

    it('logs a failed attempt with its status and a retry time', async () => {
      const { site, path, created } = await hooked();
      receiver().failNext(1);
      const sent = await owner.ok<Delivery>('POST', `/sites/${site}/webhooks/${created.webhook.id}/test`);
      expect(sent).toMatchObject({
        status: 'pending',
        attempts: 1,
        responseCode: 500,
        error: 'Answered 500',
      });
      expect(sent.nextAttemptAt).toBeGreaterThanOrEqual((sent.lastAttemptAt ?? 0) + 30_000);
      await receiver().waitFor(path, 1);
    });

    it('refuses URLs that are not http(s) or carry credentials, naming the field', async () => {
      owner ??= await signIn(target());
      const site = await newSite(owner);
      for (const url of ['ftp://hooks.example/in', 'https://user:pw@hooks.example/in', 'not a url']) {
        const res = await owner.send('POST', `/sites/${site}/webhooks`, { url, events: ['comment.created'] });
        await expectAdminError(res, 422, 'invalid_input', 'url');
      }
      await expectAdminError(
        await owner.send('POST', `/sites/${site}/webhooks`, { url: 'https://hooks.example/in', events: [] }),
        422,
        'invalid_input',
        'events',
      );
    });

    it('lets only the site’s owners see and change its webhooks, and audits the changes', async () => {
      const { site, created } = await hooked();
      const moderator = await newMember(target(), owner, site, 'moderator');
      const other = await newSite(owner);
      const otherOwner = await newMember(target(), owner, other, 'owner');
      const base = `/sites/${site}/webhooks`;
      for (const client of [moderator, otherOwner]) {
        await expectAdminError(await client.send('GET', base), 403, 'forbidden');
        await expectAdminError(
          await client.send('GET', `${base}/${created.webhook.id}/deliveries`),
          403,
          'forbidden',
        );
        await expectAdminError(
          await client.send('POST', `${base}/${created.webhook.id}/test`),
          403,
          'forbidden',
        );
        await expectAdminError(
          await client.send('DELETE', `${base}/${created.webhook.id}`),
          403,
          'forbidden',
        );
      }
      // A webhook of one site cannot be reached through another the caller owns.
      await expectAdminError(
        await otherOwner.send('GET', `/sites/${other}/webhooks/${created.webhook.id}/deliveries`),
        404,
        'not_found',
      );
      await owner.ok('DELETE', `${base}/${created.webhook.id}`);
      expect(await owner.ok<unknown[]>('GET', base)).toEqual([]);
      const audit = await owner.ok<AuditPage>('GET', `/audit?site=${site}`);
      expect(audit.entries.map((entry) => entry.action)).toEqual(
        expect.arrayContaining(['webhook.create', 'webhook.delete']),
      );
    });
  });
}

/** Retries need a clock to move and background runs to start: in-process targets only. */
export function webhookRetrySuite({ target, receiver }: HooksSetup) {
  describe('webhook retries', () => {
    it('retries after the receiver failed, with backoff, and gives up after the last attempt', async () => {
      const app = target();
      const { clock, background } = app;
      if (!clock || !background) throw new Error('An in-process target is needed');
      const owner = await signIn(app);
      const site = await newSite(owner);
      const path = `/retry-${++paths}`;
      const created = await owner.ok<CreatedWebhook>('POST', `/sites/${site}/webhooks`, {
        url: receiver().url(path),
        events: ['comment.created'],
      });
      receiver().expect(path, created.secret);
      const log = () =>
        owner.ok<Delivery[]>('GET', `/sites/${site}/webhooks/${created.webhook.id}/deliveries`);

      receiver().failNext(1);
      await postComment(app, { site, url: newPage() });
      await app.events?.settle();
      const [failed] = await until(log, (rows) => rows[0]?.attempts === 1);
      expect(failed).toMatchObject({ status: 'pending', responseCode: 500 });

      // Not due yet: a run now sends nothing.
      await background.run();
      expect((await log())[0]?.attempts).toBe(1);
      clock.advance(30_000);
      await background.run();
      const [retried] = await log();
      expect(retried).toMatchObject({
        status: 'delivered',
        attempts: 2,
        responseCode: 204,
        nextAttemptAt: null,
      });
      const got = await receiver().waitFor(path, 2);
      expect(got.map((each) => each.verified)).toEqual([true, true]);
      // The same body, signed again at the time of each attempt.
      expect(got[1]?.body).toBe(got[0]?.body);
      expect(got[1]?.timestamp).toBeGreaterThanOrEqual((got[0]?.timestamp ?? 0) + 30);

      receiver().failNext(100);
      await postComment(app, { site, url: newPage() });
      await app.events?.settle();
      for (const wait of [30_000, 120_000, 600_000, 3_600_000, 21_600_000, 86_400_000]) {
        clock.advance(wait);
        await background.run();
      }
      const [gaveUp] = await log();
      expect(gaveUp).toMatchObject({ status: 'failed', attempts: 7, nextAttemptAt: null, responseCode: 500 });
      clock.advance(86_400_000);
      await background.run();
      expect((await log())[0]?.attempts).toBe(7);
      receiver().failNext(0);
    });
  });
}

export function feedSuite({ target }: HooksSetup) {
  describe('Atom feeds', () => {
    let owner: AdminClient;
    const feed = (query: string, headers: Record<string, string> = {}) =>
      target().request(`/api/feed.atom?${query}`, { headers });

    it('lists a site’s approved comments newest first, escaped, in well-formed Atom', async () => {
      owner ??= await signIn(target());
      const site = await newSite(owner);
      const [first, second] = [newPage(), newPage()];
      const older = await postComment(target(), {
        site,
        url: first,
        title: 'Tom & <Jerry>',
        name: 'A <b>',
        body: 'One',
      });
      const script = await postComment(target(), {
        site,
        url: second,
        name: '<script>alert(1)</script>',
        body: '<script>alert("x")</script> & ]]> \u0001',
      });
      await owner.ok('PATCH', `/sites/${site}`, { settings: { moderation: 'all' } });
      await postComment(target(), { site, url: first, body: 'Held, not in the feed' });

      const res = await feed(`site=${site}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      const xml = await res.text();
      expect(xml).not.toContain('<script>');
      const parsed = parseAtom(xml);
      expect(parsed.title).toBe(`Comments on Site ${site}`);
      expect(parsed.links.find((link) => link.rel === 'self')?.href).toContain(`/api/feed.atom?site=${site}`);
      expect(parsed.entries.map((entry) => entry.id)).toEqual([
        expect.stringContaining(script.comment.id),
        expect.stringContaining(older.comment.id),
      ]);
      const [top, bottom] = parsed.entries;
      // Reader text comes back as the same characters: text, never markup.
      expect(top?.author).toBe('<script>alert(1)</script>');
      expect(top?.contentType).toBe('html');
      expect(top?.content).toContain('&lt;script&gt;');
      expect(top?.content).not.toContain('<script>');
      expect(top?.link).toBe(second);
      expect(bottom?.title).toBe('A <b> on Tom & <Jerry>');
      expect(new Date(bottom?.published ?? '').getTime()).toBe(older.comment.createdAt);
    });

    it('answers 304 to its ETag until a comment changes the site', async () => {
      owner ??= await signIn(target());
      const site = await newSite(owner);
      await postComment(target(), { site, url: newPage() });
      const first = await feed(`site=${site}`);
      const etag = first.headers.get('etag') ?? '';
      expect(etag).toMatch(/^W\/"/);
      expect((await feed(`site=${site}`, { 'If-None-Match': etag })).status).toBe(304);
      await postComment(target(), { site, url: newPage() });
      const changed = await feed(`site=${site}`, { 'If-None-Match': etag });
      expect(changed.status).toBe(200);
      expect(parseAtom(await changed.text()).entries).toHaveLength(2);
    });

    it('gives a page’s own feed, by URL or page id, empty but valid before the first comment', async () => {
      owner ??= await signIn(target());
      const site = await newSite(owner);
      const [url, other] = [newPage(), newPage()];
      const empty = await feed(`site=${site}&url=${encodeURIComponent(url)}`);
      expect(empty.status).toBe(200);
      expect(parseAtom(await empty.text()).entries).toEqual([]);
      const etag = empty.headers.get('etag') ?? '';

      const mine = await postComment(target(), { site, url });
      await postComment(target(), { site, url: other });
      const byPage = await postComment(target(), { site, url: newPage(), pageId: 'post-42' });
      const res = await feed(`site=${site}&url=${encodeURIComponent(url)}`, { 'If-None-Match': etag });
      expect(res.status).toBe(200);
      const parsed = parseAtom(await res.text());
      expect(parsed.entries.map((entry) => entry.id)).toEqual([expect.stringContaining(mine.comment.id)]);
      expect(parsed.links.find((link) => link.rel === 'alternate')?.href).toBe(url);
      const paged = parseAtom(
        await (await feed(`site=${site}&url=${encodeURIComponent(url)}&pageId=post-42`)).text(),
      );
      expect(paged.entries.map((entry) => entry.id)).toEqual([expect.stringContaining(byPage.comment.id)]);
    });

    it('holds the latest 50 only', async () => {
      owner ??= await signIn(target());
      const site = await newSite(owner);
      const url = newPage();
      for (let i = 0; i < 51; i++) await postComment(target(), { site, url, body: `Comment ${i}` });
      const parsed = parseAtom(await (await feed(`site=${site}`)).text());
      expect(parsed.entries).toHaveLength(50);
      expect(parsed.entries[0]?.content).toContain('Comment 50');
    });

    it('answers 404 JSON for a site that does not exist, and 400 for a bad URL', async () => {
      const res = await feed('site=no-such-site');
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
      expect((await feed('url=javascript%3Aalert(1)')).status).toBe(400);
    });
  });
}

export function privacySuite({ target, mails }: HooksSetup) {
  describe('privacy requests', () => {
    let owner: AdminClient;
    let people = 0;
    const newEmail = () => `Person.${++people}.${Date.now().toString(36)}@Example.org`;

    /** A thread where `email` wrote a comment with a reply, a lone comment and a held one, and someone else too. */
    async function writtenBy(email: string) {
      owner ??= await signIn(target());
      const site = await newSite(owner);
      const url = newPage();
      const answered = await postComment(target(), {
        site,
        url,
        title: 'Page',
        name: 'Ada',
        email,
        body: 'Answered',
      });
      const reply = await postComment(target(), {
        site,
        url,
        parentId: answered.comment.id,
        name: 'Bo',
        body: 'A reply',
      });
      const lone = await postComment(target(), { site, url: newPage(), name: 'Ada', email, body: 'Alone' });
      const nested = await postComment(target(), {
        site,
        url,
        parentId: reply.comment.id,
        name: 'Ada',
        email,
        body: 'Nested',
      });
      const others = await postComment(target(), {
        site,
        url,
        name: 'Cy',
        email: 'cy@example.org',
        body: 'Not hers',
      });
      return { site, url, answered, lone, nested, others };
    }

    it('lets an owner download and erase an email’s data on their site, audited by hash only', async () => {
      const email = newEmail();
      const { site, url, answered, lone, others } = await writtenBy(email);
      const moderator = await newMember(target(), owner, site, 'moderator');
      await expectAdminError(
        await moderator.send('POST', `/sites/${site}/privacy/export`, { email }),
        403,
        'forbidden',
      );
      await expectAdminError(
        await moderator.send('POST', `/sites/${site}/privacy/erase`, { email }),
        403,
        'forbidden',
      );

      const data = await owner.ok<PersonalData>('POST', `/sites/${site}/privacy/export`, { email });
      expect(data.email).toBe(email.toLowerCase());
      expect(data.comments.map((comment) => comment.body).sort()).toEqual(['Alone', 'Answered', 'Nested']);
      expect(data.comments[0]).toMatchObject({
        site,
        page: { url, title: 'Page' },
        name: 'Ada',
        email: email.toLowerCase(),
      });

      const erased = await owner.ok<Erased>('POST', `/sites/${site}/privacy/erase`, { email });
      expect(erased).toEqual({ removed: 2, placeholders: 1, subscriptions: 0, mails: 0 });
      const thread = await readThread(target(), site, url);
      expect(thread.thread.commentCount).toBe(2);
      expect(thread.comments.map((comment) => [comment.status, comment.author.name])).toEqual([
        ['deleted', ''],
        ['approved', 'Bo'],
        ['approved', 'Cy'],
      ]);
      expect(thread.comments[0]?.id).toBe(answered.comment.id);
      expect(thread.comments.map((comment) => comment.id)).not.toContain(lone.comment.id);
      expect(thread.comments.at(-1)?.id).toBe(others.comment.id);
      const after = await owner.ok<PersonalData>('POST', `/sites/${site}/privacy/export`, { email });
      expect(after.comments).toEqual([]);

      const audit = await owner.ok<AuditPage>('GET', `/audit?site=${site}`);
      const entries = audit.entries.filter((entry) => entry.action.startsWith('privacy.'));
      expect(entries.map((entry) => entry.action)).toEqual([
        'privacy.export',
        'privacy.erase',
        'privacy.export',
      ]);
      expect(JSON.stringify(audit)).not.toContain(email.toLowerCase());
    });

    if (!mails) {
      it('answers 503 mail_off to a request for a link when the server sends no mail', async () => {
        const res = await publicRequest(target(), 'POST', '/api/privacy/requests', {
          body: { email: newEmail() },
        });
        expect(res.status).toBe(503);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('mail_off');
      });
      return;
    }

    const ask = (email: string, reader?: string) =>
      publicRequest(target(), 'POST', '/api/privacy/requests', { body: { email }, reader });
    const linkFor = (email: string) => {
      const mail = mails.filter((each) => each.to === email.toLowerCase()).at(-1);
      const link = mail?.text.match(/https?:\/\/\S+\/privacy\?token=[\w-]+/)?.[0];
      if (!link) throw new Error(`No link mailed to ${email}`);
      return new URL(link);
    };
    const form = (fields: Record<string, string>) =>
      target().request('/privacy', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });

    it('mails a link, answering alike whether or not the email wrote anything', async () => {
      const email = newEmail();
      await writtenBy(email);
      const [known, unknown] = [await ask(email), await ask(newEmail())];
      expect([known.status, unknown.status]).toEqual([202, 202]);
      expect(await known.text()).toBe(await unknown.text());
      const link = linkFor(email);
      expect(link.pathname).toBe('/privacy');
      const mail = mails.at(-2);
      expect(mail?.html).toContain('href="');
    });

    it('shows the link’s page without script, downloads everything, and erases leaving placeholders', async () => {
      const email = newEmail();
      const { site, url, answered } = await writtenBy(email);
      expect((await ask(email)).status).toBe(202);
      const link = linkFor(email);
      const token = link.searchParams.get('token') ?? '';
      const shown = await target().request(`${link.pathname}${link.search}`);
      expect(shown.status).toBe(200);
      expect(shown.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(shown.headers.get('referrer-policy')).toBe('no-referrer');
      const page = await shown.text();
      expect(page).not.toMatch(/<script/i);
      expect(page).toContain('3 comments on 2 pages');
      expect(page).toContain('Download my data');

      const download = await form({ token, action: 'download' });
      expect(download.status).toBe(200);
      expect(download.headers.get('content-disposition')).toContain('attachment');
      const data = (await download.json()) as PersonalData;
      expect(data.comments.map((comment) => comment.body).sort()).toEqual(['Alone', 'Answered', 'Nested']);
      expect(data.comments.every((comment) => comment.site === site)).toBe(true);

      expect((await form({ token, action: 'erase' })).status).toBe(400);
      const erase = await form({ token, action: 'erase', confirm: 'yes' });
      expect(erase.status).toBe(200);
      expect(await erase.text()).toContain('2 comments removed, 1 left as empty placeholders');
      const thread = await readThread(target(), site, url);
      expect(thread.comments[0]).toMatchObject({ id: answered.comment.id, status: 'deleted', html: '' });
      expect(thread.thread.commentCount).toBe(2);
      const again = (await (await form({ token, action: 'download' })).json()) as PersonalData;
      expect(again.comments).toEqual([]);
    });

    it('refuses expired, unknown and malformed links with a page, never a 500', async () => {
      const email = newEmail();
      expect((await ask(email)).status).toBe(202);
      const link = linkFor(email);
      const cases: Array<[Promise<Response>, number]> = [
        [target().request('/privacy?token=nope'), 404],
        [target().request('/privacy?token=%00abc'), 404],
        [form({ token: 'a'.repeat(40), action: 'download' }), 404],
        [form({ token: 'x\0y', action: 'download' }), 400],
        [form({ action: 'download' }), 400],
        [form({ token: link.searchParams.get('token') ?? '', action: 'drop tables' }), 400],
        [form({ action: 'request', email: 'not an email' }), 400],
        [form({ action: 'request', email: 'x'.repeat(10_000) }), 413],
      ];
      for (const [pending, status] of cases) {
        const res = await pending;
        expect(res.status).toBe(status);
        expect(res.headers.get('content-type')).toMatch(/text\/html/);
      }
      target().clock?.advance(60 * 60_000 + 1);
      expect((await target().request(`${link.pathname}${link.search}`)).status).toBe(404);
    });

    it('limits links per email, with a 429 that says nothing about the email', async () => {
      const email = newEmail();
      for (let i = 0; i < 3; i++) expect((await ask(email)).status).toBe(202);
      const res = await ask(email);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBeTruthy();
    });

    it('has a form to ask for a link without script', async () => {
      const ask = await target().request('/privacy');
      expect(ask.status).toBe(200);
      expect(await ask.text()).toContain('<label for="email">Email</label>');
      const email = newEmail();
      const sent = await form({ action: 'request', email });
      expect(sent.status).toBe(200);
      expect(linkFor(email).pathname).toBe('/privacy');
    });
  });
}
