import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../server/app.ts';
import { createBackground } from '../../server/background.ts';
import { smtpTransport } from '../../server/node/smtp-transport.ts';
import type { Store } from '../../server/store/store.ts';
import type { NotificationsView } from '../../shared/admin-schemas.ts';
import type { PersonalData } from '../../shared/privacy-schemas.ts';
import type { ThreadView } from '../../shared/schemas.ts';
import { type AdminClient, signIn } from '../admin/client.ts';
import {
  newMember,
  newPage,
  newSite,
  postComment,
  publicRequest,
  readThread,
} from '../admin/site-fixtures.ts';
import type { ApiTarget } from '../api/target.ts';
import { mailLinks, type Received, type SmtpServer, startSmtp } from './smtp.ts';

/*
 * Mail end to end against a real SMTP server on loopback: the app queues, the background sends over SMTP with a
 * login, and the links in what arrives are followed back into the app.
 */

export const MAIL_ENV = {
  PARLEY_MAIL_FROM: 'Parley <comments@blog.example.test>',
  PARLEY_MAIL_BATCH_MS: '60000',
  PARLEY_MAIL_RETRY_MS: '30000',
};

export type MailTargetOpener = (
  env: Record<string, string>,
  deps: Pick<AppDeps, 'mailTransport' | 'background'>,
) => Promise<{ target: ApiTarget; store: Store }>;

const KEY = 'browser-key-aaaaaaaaaaaaaaaa';

/** The path and query of a link, for the in-process app. */
const local = (url: string) => {
  const link = new URL(url);
  return `${link.pathname}${link.search}`;
};

export function mailSuite(name: string, open: MailTargetOpener) {
  describe(`mail on ${name}`, () => {
    let smtp: SmtpServer;
    let target: ApiTarget;
    let store: Store;
    let owner: AdminClient;
    const background = createBackground((error) => console.error(error));

    beforeAll(async () => {
      smtp = await startSmtp();
      ({ target, store } = await open(MAIL_ENV, { mailTransport: smtpTransport(smtp.url), background }));
      owner = await signIn(target);
    });
    afterAll(async () => {
      await target?.events?.settle();
      await background.run();
      await target?.close();
      await smtp?.close();
    });

    const page = (site: string) => ({ site, url: newPage() });
    const to = (address: string) => (message: Received) => message.to === address;
    const about = (site: string) => (message: Received) => message.subject.includes(`Site ${site}`);
    const click = (url: string, method: 'GET' | 'POST', headers: Record<string, string> = {}) =>
      target.request(local(url), { method, headers: { Accept: 'text/html', ...headers } });
    /** Lets time pass on the app's clock, then runs what is due once the comment events are followed. */
    const later = async (ms: number) => {
      await target.events?.settle();
      target.clock?.advance(ms);
      await background.run();
    };

    it('the dashboard and the thread say mail is on', async () => {
      expect(owner.session.mail).toBe(true);
      const site = await newSite(owner);
      expect((await readThread(target, site, newPage())).settings.mail).toBe(true);
    });

    it('mails a held comment to the owner, with the page and one-click links that ask first and work once', async () => {
      const site = await newSite(owner, { moderation: 'all' });
      const where = page(site);
      const { comment } = await postComment(target, { ...where, name: 'Ada', body: 'Is this **held**?' });
      expect(comment.status).toBe('pending');
      const [mail] = await smtp.waitFor(about(site));
      if (!mail) throw new Error('no mail');
      expect(mail.to).toBe('owner@example.test');
      expect(mail.from).toBe('comments@blog.example.test');
      expect(mail.subject).toBe(`Held for moderation on Site ${site}: Ada`);
      expect(mail.text).toContain(where.url);
      expect(mail.text).toContain('> Is this **held**?');
      expect(mail.html).toContain('Is this **held**?');
      expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i);
      const [approve, spam, remove] = mailLinks(mail);
      expect(approve).toMatch(/\/mail\/moderate\?t=m\.a\./);
      expect(spam).toMatch(/\/mail\/moderate\?t=m\.s\./);
      expect(remove).toMatch(/\/mail\/moderate\?t=m\.d\./);

      // A scanner's GET changes nothing: it shows a button that POSTs.
      const shown = await click(approve ?? '', 'GET');
      expect(shown.status).toBe(200);
      const html = await shown.text();
      expect(html).toContain('<form method="post"');
      expect(shown.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect((await readThread(target, site, where.url)).comments).toHaveLength(0);

      const done = await click(approve ?? '', 'POST');
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('<h1>Approved</h1>');
      expect((await readThread(target, site, where.url)).comments.map((c) => c.id)).toEqual([comment.id]);

      // Used: neither it nor another link of the same mail works again.
      expect((await click(approve ?? '', 'POST')).status).toBe(410);
      expect((await click(remove ?? '', 'POST')).status).toBe(410);
      const json = await target.request(local(spam ?? ''), { method: 'POST' });
      expect(json.status).toBe(410);
      expect(await json.json()).toMatchObject({ error: { code: 'link_spent' } });
      expect((await readThread(target, site, where.url)).comments).toHaveLength(1);

      const audit = await owner.ok<{ entries: Array<{ action: string }> }>('GET', `/audit?site=${site}`);
      expect(audit.entries.map((entry) => entry.action)).toContain('comment.approve');
    });

    it('one-click links expire after 7 days, and a forged one does nothing', async () => {
      const site = await newSite(owner, { moderation: 'all' });
      const where = page(site);
      await postComment(target, { ...where, body: 'Late' });
      const [mail] = await smtp.waitFor(about(site));
      const [approve = ''] = mailLinks(mail as Received);
      const forged = approve.replace(/.$/, (last) => (last === '0' ? '1' : '0'));
      expect((await click(forged, 'POST')).status).toBe(404);
      target.clock?.advance(8 * 86_400_000);
      const expired = await click(approve, 'POST');
      expect(expired.status).toBe(410);
      expect(await expired.text()).toContain('expired');
      expect((await readThread(target, site, where.url)).comments).toHaveLength(0);
    });

    it('mails the owner when an edit holds a comment that was shown', async () => {
      const site = await newSite(owner, { blockedWords: ['casino'] });
      const where = page(site);
      const created = await postComment(target, { ...where, name: 'Eve', body: 'Harmless at first' });
      expect(created.comment.status).toBe('approved');
      await later(0);
      expect(smtp.inbox.filter(about(site))).toHaveLength(0);
      const edit = await publicRequest(target, 'PATCH', `/api/comments/${created.comment.id}`, {
        body: { body: 'Now about a casino' },
        headers: { Authorization: `Bearer ${created.editToken}` },
      });
      expect(edit.status).toBe(200);
      expect(((await edit.json()) as { comment: { status: string } }).comment.status).toBe('pending');
      const [mail] = await smtp.waitFor(about(site));
      expect(mail?.subject).toBe(`Held for moderation on Site ${site}: Eve`);
      expect(mail?.text).toContain('> Now about a casino');
    });

    it('never lets what a reader wrote into the HTML part unescaped', async () => {
      const site = await newSite(owner, { moderation: 'all' });
      await postComment(target, {
        ...page(site),
        name: '<img src=x onerror=alert(1)>',
        body: '<script>alert("body")</script> and <a href="javascript:x">link</a>',
      });
      const [mail] = await smtp.waitFor(about(site));
      const html = (mail as Received).html;
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<a href="javascript');
      expect(html).toContain('&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;');
      expect((mail as Received).text).toContain('<script>alert("body")</script>');
    });

    it('each member chooses: a moderator asking for every comment gets approved ones, an owner who chose off none', async () => {
      const site = await newSite(owner);
      const moderator = await newMember(target, owner, site, 'moderator');
      expect(await moderator.ok<NotificationsView>('GET', `/sites/${site}/notifications`)).toEqual({
        level: 'off',
        mail: true,
      });
      expect(await owner.ok<NotificationsView>('GET', `/sites/${site}/notifications`)).toEqual({
        level: 'held',
        mail: true,
      });
      await moderator.ok('PATCH', `/sites/${site}/notifications`, { level: 'all' });
      await owner.ok('PATCH', `/sites/${site}/notifications`, { level: 'off' });
      const bad = await moderator.send('PATCH', `/sites/${site}/notifications`, { level: 'sometimes' });
      expect(bad.status).toBe(422);

      await postComment(target, { ...page(site), name: 'Grace', body: 'Shown at once' });
      const [mail] = await smtp.waitFor(about(site));
      expect(mail?.to).toBe(moderator.session.user.email);
      expect(mail?.subject).toBe(`New comment on Site ${site}: Grace`);
      // An approved comment's mail offers spam and delete only.
      expect(mailLinks(mail as Received).map((link) => link.match(/t=m\.(\w)/)?.[1])).toEqual(['s', 'd']);
      await background.run();
      expect(smtp.inbox.filter(about(site))).toHaveLength(1);
    });

    it('a reader opts in, confirms, gets replies with one-click unsubscribe, and unsubscribing stops them', async () => {
      const site = await newSite(owner);
      const where = page(site);
      const reader = 'reader-one@example.test';
      const { comment } = await postComment(target, {
        ...where,
        name: 'Reader',
        email: reader,
        body: 'Tell me when someone answers',
        notify: true,
        browserKey: KEY,
        lang: 'fr-CA',
      });
      const [confirm] = await smtp.waitFor(to(reader));
      // The reader's language (fr-CA falls back to fr).
      expect(confirm?.subject).toBe(`Confirmez les réponses par e-mail sur Site ${site}`);
      expect(confirm?.headers.get('list-unsubscribe')).toBeUndefined();
      const [confirmUrl = ''] = mailLinks(confirm as Received);
      expect(confirmUrl).toMatch(/\/mail\/confirm\?t=c\./);

      // A reply before confirming is not mailed.
      await postComment(target, { ...where, parentId: comment.id, name: 'Early', body: 'Too early' });
      await later(120_000);
      expect(smtp.inbox.filter(to(reader))).toHaveLength(1);

      const confirmPage = await click(confirmUrl, 'GET');
      expect(await confirmPage.text()).toContain('<form method="post"');
      expect((await click(confirmUrl, 'POST')).status).toBe(200);

      await postComment(target, { ...where, parentId: comment.id, name: 'Bob', body: 'An <b>answer</b>' });
      // Replies wait for the batch window before they go out.
      await background.run();
      expect(smtp.inbox.filter(to(reader))).toHaveLength(1);
      await later(61_000);
      const [, reply] = await smtp.waitFor(to(reader), 2);
      if (!reply) throw new Error('no reply mail');
      expect(reply.subject).toBe('Bob a répondu à votre commentaire');
      expect(reply.text).toContain('> An <b>answer</b>');
      expect(reply.html).toContain('An &lt;b&gt;answer&lt;/b&gt;');
      expect(reply.html).toContain('lang="fr-CA"');
      const unsubscribe = reply.raw.match(
        /^List-Unsubscribe:\s+<(http:\/\/localhost\/mail\/unsubscribe\?t=u\.[0-9a-z.]+)>\r?$/m,
      )?.[1];
      expect(unsubscribe, reply.raw.slice(0, 2000)).toBeTruthy();
      expect(reply.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);

      // RFC 8058: what a mail client sends on "unsubscribe".
      const oneClick = await target.request(local(unsubscribe ?? ''), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(oneClick.status).toBe(200);

      await postComment(target, { ...where, parentId: comment.id, name: 'Carol', body: 'Anyone there?' });
      await later(61_000);
      await later(61_000);
      expect(smtp.inbox.filter(to(reader))).toHaveLength(2);
    });

    it('batches replies that arrive together into one mail', async () => {
      const site = await newSite(owner);
      const where = page(site);
      const reader = 'reader-two@example.test';
      const first = await postComment(target, {
        ...where,
        email: reader,
        body: 'One',
        notify: true,
        browserKey: KEY,
      });
      const second = await postComment(target, {
        ...where,
        email: reader,
        body: 'Two',
        notify: true,
        browserKey: KEY,
      });
      const [confirm] = await smtp.waitFor(to(reader));
      // One confirmation for the address, however many comments asked.
      await background.run();
      expect(smtp.inbox.filter(to(reader))).toHaveLength(1);
      await click(mailLinks(confirm as Received)[0] ?? '', 'POST');

      await postComment(target, { ...where, parentId: first.comment.id, name: 'R1', body: 'First answer' });
      await postComment(target, { ...where, parentId: second.comment.id, name: 'R2', body: 'Second answer' });
      target.clock?.advance(30_000);
      await postComment(target, { ...where, parentId: first.comment.id, name: 'R3', body: 'Third answer' });
      // The reader's own reply to themselves is not news to them.
      await postComment(target, { ...where, parentId: first.comment.id, email: reader, body: 'Self' });
      await later(61_000);
      const [, batch] = await smtp.waitFor(to(reader), 2);
      expect(batch?.subject).toBe('3 new replies to your comments');
      for (const words of ['First answer', 'Second answer', 'Third answer'])
        expect(batch?.text).toContain(words);
      expect(batch?.text).not.toContain('Self');
      await later(61_000);
      expect(smtp.inbox.filter(to(reader))).toHaveLength(2);
    });

    it('a confirmed address earns the verified mark on later comments from that browser only', async () => {
      const site = await newSite(owner);
      const where = page(site);
      const reader = 'reader-three@example.test';
      await postComment(target, { ...where, email: reader, body: 'First', notify: true, browserKey: KEY });
      const [confirm] = await smtp.waitFor(to(reader));
      await click(mailLinks(confirm as Received)[0] ?? '', 'POST');
      const same = await postComment(target, { ...where, email: reader, body: 'Again', browserKey: KEY });
      const other = await postComment(target, {
        ...where,
        email: reader,
        body: 'Elsewhere',
        browserKey: 'another-browser-bbbbbbbbbbbb',
      });
      const stranger = await postComment(target, {
        ...where,
        email: 'x@example.test',
        body: 'Hi',
        browserKey: KEY,
      });
      expect(same.comment.verified).toBe(true);
      const thread: ThreadView = await readThread(target, site, where.url);
      const verified = Object.fromEntries(thread.comments.map((c) => [c.id, c.verified ?? false]));
      expect(verified[same.comment.id]).toBe(true);
      expect(verified[other.comment.id]).toBe(false);
      expect(verified[stranger.comment.id]).toBe(false);
      expect(JSON.stringify(thread)).not.toContain(KEY);
    });

    it('a subscribed reader asks for their data by mail, downloads the subscription with the comments, and erases both', async () => {
      const site = await newSite(owner);
      const where = page(site);
      const elsewhere = page(site);
      const reader = 'reader-privacy@example.test';
      const mine = { name: 'Pia', email: reader, notify: true, browserKey: KEY };
      const answered = await postComment(target, { ...where, ...mine, body: 'Answer me' });
      const alone = await postComment(target, { ...elsewhere, ...mine, body: 'Nobody answers' });
      const [confirm] = await smtp.waitFor(to(reader));
      expect((await click(mailLinks(confirm as Received)[0] ?? '', 'POST')).status).toBe(200);
      const marked = await postComment(target, { ...elsewhere, ...mine, body: 'Verified now' });
      expect(marked.comment.verified).toBe(true);
      await postComment(target, {
        ...where,
        parentId: answered.comment.id,
        name: 'Bob',
        body: 'First answer',
      });
      await later(61_000);
      await smtp.waitFor(to(reader), 2);

      const asked = await publicRequest(target, 'POST', '/api/privacy/requests', { body: { email: reader } });
      expect(asked.status).toBe(202);
      const [, , privacyMail] = await smtp.waitFor(to(reader), 3);
      expect(privacyMail?.subject).toBe('Your comments at localhost');
      const linkText = privacyMail?.text.match(/https?:\/\/\S+\/privacy\?token=[\w-]+/)?.[0] ?? '';
      expect(privacyMail?.html).toContain(`href="${linkText}"`);
      const link = new URL(linkText);
      const token = link.searchParams.get('token') ?? '';
      const form = (fields: Record<string, string>) =>
        target.request('/privacy', {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token, ...fields }).toString(),
        });

      const shown = await click(linkText, 'GET');
      expect(shown.status).toBe(200);
      const shownHtml = await shown.text();
      expect(shownHtml).toContain('3 comments on 2 pages');
      expect(shownHtml).toContain('1 subscription to reply emails');

      const download = await form({ action: 'download' });
      expect(download.status).toBe(200);
      const data = (await download.json()) as PersonalData;
      expect(data.comments.map((comment) => [comment.body, comment.verified])).toEqual([
        ['Answer me', false],
        ['Nobody answers', false],
        ['Verified now', true],
      ]);
      expect(data.subscriptions).toHaveLength(1);
      expect(data.subscriptions[0]).toMatchObject({
        site,
        email: reader,
        lang: 'en',
        origin: 'http://localhost',
        confirmedAt: expect.any(Number),
        unsubscribedAt: null,
      });
      expect(data.subscriptions[0]?.browserHash).toMatch(/^[0-9a-f]{32}$/);
      expect(data.subscriptions[0]?.watching.sort()).toEqual(
        [answered.comment.id, alone.comment.id, marked.comment.id].sort(),
      );
      // The confirmation, the reply and the privacy link itself are in the outbox, sent.
      expect(data.mail.map((mail) => (mail.message as { subject: string }).subject)).toEqual([
        `Confirm replies by email on Site ${site}`,
        'Bob replied to your comment',
        'Your comments at localhost',
      ]);
      expect(JSON.stringify(data)).not.toContain(KEY);

      // A reply noted for the next mail, then the erasure before that mail is due.
      await postComment(target, {
        ...where,
        parentId: answered.comment.id,
        name: 'Cy',
        body: 'Second answer',
      });
      await target.events?.settle();
      const erase = await form({ action: 'erase', confirm: 'yes' });
      expect(erase.status).toBe(200);
      const erasedHtml = await erase.text();
      expect(erasedHtml).toContain('2 comments removed, 1 left as empty placeholders');
      expect(erasedHtml).toContain('reply emails stopped');
      const thread = await readThread(target, site, where.url);
      expect(thread.comments.map((c) => [c.id, c.status, c.author.name])).toEqual([
        [answered.comment.id, 'deleted', ''],
        [expect.any(String), 'approved', 'Bob'],
        [expect.any(String), 'approved', 'Cy'],
      ]);
      expect((await readThread(target, site, elsewhere.url)).comments).toEqual([]);
      await later(61_000);
      await later(61_000);
      expect(smtp.inbox.filter(to(reader))).toHaveLength(3);
      expect(await store.listMailTo(reader)).toEqual([]);
      // The same browser no longer earns the mark: the subscription that proved the address is gone.
      const after = await postComment(target, {
        ...where,
        name: 'Pia',
        email: reader,
        browserKey: KEY,
        body: 'Back',
      });
      expect(after.comment.verified).toBeUndefined();

      // The link works for its hour, then not.
      const again = (await (await form({ action: 'download' })).json()) as PersonalData;
      expect(again.subscriptions).toEqual([]);
      expect(again.comments.map((comment) => comment.body)).toEqual(['Back']);
      target.clock?.advance(60 * 60_000);
      expect((await click(linkText, 'GET')).status).toBe(404);
      expect((await form({ action: 'download' })).status).toBe(404);
      expect((await form({ action: 'erase', confirm: 'yes' })).status).toBe(404);
    });

    it('retries after the SMTP server was down, with backoff', async () => {
      const site = await newSite(owner, { moderation: 'all' });
      await smtp.down();
      try {
        await postComment(target, { ...page(site), body: 'While the mail server is away' });
        await target.events?.settle();
        await background.run();
        const queued = (await store.listMail(20)).find((row) => row.message.includes(`Site ${site}`));
        expect(queued).toMatchObject({ attempts: 1, sent_at: null, failed_at: null });
        expect(queued?.last_error).toBeTruthy();
      } finally {
        await smtp.up();
      }
      // Not yet due: the first retry waits 30 s.
      await later(10_000);
      expect(smtp.inbox.filter(about(site))).toHaveLength(0);
      await later(25_000);
      await smtp.waitFor(about(site));
    });

    it('takes "Email me replies" only with an email, and never echoes the browser key', async () => {
      const site = await newSite(owner);
      const res = await publicRequest(target, 'POST', '/api/comments', {
        body: { ...page(site), body: 'No email', notify: true, browserKey: KEY },
      });
      expect(res.status).toBe(201);
      const bad = await publicRequest(target, 'POST', '/api/comments', {
        body: { ...page(site), body: 'Bad key', browserKey: 'short' },
      });
      expect(bad.status).toBe(422);
      expect(await bad.json()).toMatchObject({ error: { fields: { browserKey: expect.any(String) } } });
    });
  });
}
