import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import type { CommentRow, NewDeliveryRow, SubscriptionRow, WebhookRow } from '../../server/store/schema.ts';
import type { Store } from '../../server/store/store.ts';
import { commentRow } from '../support/factories.ts';
import type { OpenedStore } from './contract.ts';

const NOW = Date.UTC(2026, 2, 1, 12);
const MINUTE = 60_000;

/** Webhooks and their delivery log, privacy links and data by email hash, and feeds: alike on every engine. */
export function hooksContract(name: string, open: () => Promise<OpenedStore>) {
  describe(`webhook, privacy and feed store contract on ${name}`, () => {
    let opened: OpenedStore;
    let store: Store;
    let n = 0;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await store.migrate();
    });
    afterAll(() => opened?.close());

    async function newSite() {
      const id = `hooks-site-${++n}`;
      await store.insertSite({ id, name: id, settings: {}, now: NOW });
      return id;
    }

    async function newThread(siteId: string, title: string | null = 'A page') {
      const key = `example.com/hooks-${++n}`;
      return store.ensureThread({ id: newId(NOW), siteId, key, url: `https://${key}`, title, now: NOW });
    }

    async function comment(
      threadId: string,
      siteId: string,
      spec: Partial<CommentRow> = {},
      parent?: CommentRow,
    ) {
      const row = commentRow(threadId, parent, { site_id: siteId, ...spec });
      await store.insertComment(row);
      return row;
    }

    const webhook = (siteId: string): WebhookRow => ({
      id: newId(NOW),
      site_id: siteId,
      url: 'https://hooks.example/in',
      secret: 'whsec_test',
      events: 'comment.created,comment.deleted',
      created_by: 'user',
      created_at: NOW + ++n,
    });

    const delivery = (webhookId: string, overrides: Partial<NewDeliveryRow> = {}): NewDeliveryRow => ({
      id: newId(NOW),
      webhook_id: webhookId,
      event: 'comment.created',
      comment_id: null,
      payload: '{"event":"comment.created"}',
      status: 'pending',
      next_attempt_at: NOW,
      lease_until: null,
      lease_token: null,
      response_code: null,
      duration_ms: null,
      error: null,
      created_at: NOW + ++n,
      last_attempt_at: null,
      ...overrides,
    });

    it('keeps a site’s webhooks, oldest first, and removes one with its log', async () => {
      const site = await newSite();
      const [first, second] = [webhook(site), webhook(site)];
      await store.insertWebhook(first);
      await store.insertWebhook(second);
      expect((await store.listWebhooks(site)).map((row) => row.id)).toEqual([first.id, second.id]);
      expect(await store.getWebhook(first.id)).toEqual(first);
      await store.insertDeliveries([delivery(first.id)]);
      await store.deleteWebhook(first.id);
      expect(await store.getWebhook(first.id)).toBeUndefined();
      expect(await store.listDeliveries(first.id, 10)).toEqual([]);
      expect(await store.listWebhooks(site)).toHaveLength(1);
    });

    it('leases a due delivery to one sender of many racing for it, and records only the holder’s attempt', async () => {
      const site = await newSite();
      const hook = webhook(site);
      await store.insertWebhook(hook);
      const row = delivery(hook.id);
      await store.insertDeliveries([row]);
      expect((await store.dueDeliveries(NOW, 100)).map((due) => due.id)).toContain(row.id);

      const claims = await Promise.all(
        ['a', 'b', 'c', 'd'].map((token) => store.claimDelivery(row.id, token, NOW, NOW + MINUTE)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      const holder = ['a', 'b', 'c', 'd'][claims.indexOf(true)] ?? '';
      expect((await store.dueDeliveries(NOW, 100)).map((due) => due.id)).not.toContain(row.id);

      const outcome = {
        status: 'pending' as const,
        nextAttemptAt: NOW + 30_000,
        responseCode: 500,
        durationMs: 12,
        error: 'Answered 500',
        at: NOW,
      };
      await store.recordAttempt(row.id, 'not-the-holder', { ...outcome, status: 'delivered' });
      expect((await store.getDelivery(row.id))?.status).toBe('pending');
      await store.recordAttempt(row.id, holder, outcome);
      expect(await store.getDelivery(row.id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        response_code: 500,
        duration_ms: 12,
        error: 'Answered 500',
        lease_until: null,
        next_attempt_at: NOW + 30_000,
        last_attempt_at: NOW,
      });
      // Not due until its retry time; then anyone may claim it again.
      expect(await store.claimDelivery(row.id, 'e', NOW + 1000, NOW + MINUTE)).toBe(false);
      expect(await store.claimDelivery(row.id, 'e', NOW + 30_000, NOW + 30_000 + MINUTE)).toBe(true);
    });

    it('gives an expired lease to the next sender', async () => {
      const site = await newSite();
      const hook = webhook(site);
      await store.insertWebhook(hook);
      const row = delivery(hook.id);
      await store.insertDeliveries([row]);
      expect(await store.claimDelivery(row.id, 'crashed', NOW, NOW + MINUTE)).toBe(true);
      expect(await store.claimDelivery(row.id, 'next', NOW + MINUTE / 2, NOW + MINUTE)).toBe(false);
      expect(await store.claimDelivery(row.id, 'next', NOW + MINUTE + 1, NOW + 2 * MINUTE)).toBe(true);
    });

    it('lists a webhook’s log newest first and prunes finished deliveries only', async () => {
      const site = await newSite();
      const hook = webhook(site);
      await store.insertWebhook(hook);
      const rows = Array.from({ length: 60 }, (_, i) =>
        delivery(hook.id, { created_at: NOW + i, status: i < 50 ? 'delivered' : 'pending' }),
      );
      await store.insertDeliveries(rows);
      const log = await store.listDeliveries(hook.id, 50);
      expect(log).toHaveLength(50);
      expect(log[0]?.id).toBe(rows[59]?.id);
      await store.pruneDeliveries(NOW + 100);
      const left = await store.listDeliveries(hook.id, 100);
      expect(left.map((row) => row.status)).toEqual(Array(10).fill('pending'));
    });

    it('finds a privacy link’s email until it expires', async () => {
      await store.insertPrivacyToken(
        { id: 'hash-1', email: 'ada@example.org', expires_at: NOW + MINUTE },
        NOW,
      );
      expect(await store.findPrivacyToken('hash-1', NOW)).toBe('ada@example.org');
      expect(await store.findPrivacyToken('hash-1', NOW + MINUTE + 1)).toBeUndefined();
      expect(await store.findPrivacyToken('other', NOW)).toBeUndefined();
      // Expired links are dropped when the next one is made.
      await store.insertPrivacyToken(
        { id: 'hash-2', email: 'b@example.org', expires_at: NOW + 3 * MINUTE },
        NOW + 2 * MINUTE,
      );
      expect(await store.findPrivacyToken('hash-1', NOW)).toBeUndefined();
    });

    it('lists an email hash’s comments of any status with their pages, on every site or on some', async () => {
      const [a, b] = [await newSite(), await newSite()];
      const [ta, tb] = [await newThread(a, 'Page A'), await newThread(b, null)];
      const hash = `email-${++n}`;
      const mine = [
        await comment(ta.id, a, { email_hash: hash }),
        await comment(ta.id, a, { email_hash: hash, status: 'pending' }),
        await comment(tb.id, b, { email_hash: hash, status: 'spam' }),
      ];
      await comment(ta.id, a, { email_hash: 'someone-else' });
      const all = await store.listCommentsByEmail(hash);
      expect(all.map((row) => row.id)).toEqual(mine.map((row) => row.id));
      expect(all[0]).toMatchObject({ thread_site_id: a, thread_url: ta.url, thread_title: 'Page A' });
      expect(all[2]).toMatchObject({ thread_site_id: b, thread_title: null });
      expect((await store.listCommentsByEmail(hash, [b])).map((row) => row.id)).toEqual([mine[2]?.id]);
      expect(await store.listCommentsByEmail(hash, [])).toEqual([]);
    });

    it('lists bans by an email hash, and clears the audit’s quoted text and the deliveries of comments', async () => {
      const site = await newSite();
      const hash = `banned-${++n}`;
      await store.insertBan({
        id: newId(NOW),
        site_id: site,
        kind: 'email',
        value_hash: hash,
        label: 'Ada',
        reason: 'spam',
        created_by: 'user',
        created_at: NOW,
      });
      expect((await store.listBansByEmail(hash)).map((ban) => ban.label)).toEqual(['Ada']);
      expect(await store.listBansByEmail(hash, ['elsewhere'])).toEqual([]);

      const thread = await newThread(site);
      const row = await comment(thread.id, site);
      await store.insertAudit({
        id: newId(NOW),
        site_id: site,
        actor_id: 'user',
        actor_email: 'mod@example.org',
        action: 'comment.edit',
        target_id: row.id,
        before_json: '{"body":"what they said"}',
        after_json: '{"body":"edited"}',
        created_at: NOW,
      });
      await store.forgetAuditOf([row.id]);
      const [entry] = await store.listAudit({ siteIds: [site], limit: 10 });
      expect(entry).toMatchObject({ target_id: row.id, before_json: null, after_json: null });

      const hook = webhook(site);
      await store.insertWebhook(hook);
      await store.insertDeliveries([delivery(hook.id, { comment_id: row.id }), delivery(hook.id)]);
      await store.deleteDeliveriesOf([row.id]);
      expect((await store.listDeliveries(hook.id, 10)).map((each) => each.comment_id)).toEqual([null]);
    });

    it('forgets the hashes of an erased placeholder, with the count right', async () => {
      const site = await newSite();
      const thread = await newThread(site);
      const parent = await comment(thread.id, site, { email_hash: 'h', client_hash: 'c', verified: 1 });
      await comment(thread.id, site, {}, parent);
      await store.updateComment(parent, { status: 'deleted', scrub: true, forget: true });
      expect(await store.getComment(parent.id)).toMatchObject({
        status: 'deleted',
        body: '',
        author_name: '',
        author_email: null,
        email_hash: null,
        client_hash: '',
        verified: 0,
      });
      expect((await store.getThread(thread.id))?.comment_count).toBe(1);
    });

    const subscription = (siteId: string, emailHash: string, browserHash: string): SubscriptionRow => ({
      id: `sub-${++n}`,
      site_id: siteId,
      email: 'ada@example.org',
      email_hash: emailHash,
      browser_hash: browserHash,
      lang: 'en',
      origin: 'https://comments.example',
      created_at: NOW + n,
      confirm_sent_at: null,
      confirmed_at: null,
      unsubscribed_at: null,
    });

    it('lists and erases an email hash’s reply subscriptions with their watches and waiting replies, by site', async () => {
      const [a, b] = [await newSite(), await newSite()];
      const thread = await newThread(a);
      const hash = `subscriber-${++n}`;
      const [otherHash, elsewhere] = [`other-${n}`, `elsewhere-${n}`];
      const onA = await store.ensureSubscription(subscription(a, hash, 'browser-1'));
      const onB = await store.ensureSubscription(subscription(b, hash, 'browser-2'));
      const other = await store.ensureSubscription(subscription(a, otherHash, 'browser-1'));
      const [mine, theirs] = [await comment(thread.id, a), await comment(thread.id, a)];
      await store.watchComment(mine.id, onA.id);
      await store.watchComment(elsewhere, onB.id);
      await store.watchComment(theirs.id, other.id);
      for (const each of [onA, other]) await store.confirmSubscription(each.id, NOW);
      const replyToMine = await comment(thread.id, a, {}, mine);
      const replyToTheirs = await comment(thread.id, a, {}, theirs);
      await store.noteReply({ id: replyToMine.id, parentId: mine.id, emailHash: null, now: NOW + 1 });
      await store.noteReply({ id: replyToTheirs.id, parentId: theirs.id, emailHash: null, now: NOW + 1 });

      const all = await store.listMailByEmail(hash);
      expect(all.subscriptions.map((row) => row.id)).toEqual([onA.id, onB.id]);
      expect(all.subscriptions[0]).toMatchObject({
        site_id: a,
        browser_hash: 'browser-1',
        confirmed_at: NOW,
      });
      expect(all.watches).toEqual(
        expect.arrayContaining([
          { subscription_id: onA.id, comment_id: mine.id },
          { subscription_id: onB.id, comment_id: elsewhere },
        ]),
      );
      expect(all.watches).toHaveLength(2);
      expect(all.notices).toEqual([
        { subscription_id: onA.id, comment_id: replyToMine.id, created_at: NOW + 1 },
      ]);
      expect((await store.listMailByEmail(hash, [b])).subscriptions.map((row) => row.id)).toEqual([onB.id]);
      expect(await store.listMailByEmail(hash, [])).toEqual({ subscriptions: [], watches: [], notices: [] });

      expect(await store.eraseMailByEmail(hash, [b])).toBe(1);
      expect((await store.listMailByEmail(hash)).subscriptions.map((row) => row.id)).toEqual([onA.id]);
      expect(await store.eraseMailByEmail(hash, [])).toBe(0);
      expect(await store.eraseMailByEmail(hash)).toBe(1);
      expect(await store.listMailByEmail(hash)).toEqual({ subscriptions: [], watches: [], notices: [] });
      expect(await store.getSubscription(onA.id)).toBeUndefined();
      // No reply to the erased reader's comments is noted any more; someone else's subscription is untouched.
      await store.noteReply({ id: `late-${n}`, parentId: mine.id, emailHash: null, now: NOW + 2 });
      expect(await store.dueReplySubscriptions(NOW + 10, NOW, 10)).toEqual([other.id]);
      const kept = await store.listMailByEmail(otherHash);
      expect([kept.subscriptions.length, kept.watches.length, kept.notices.length]).toEqual([1, 1, 1]);
    });

    it('lists and drops the outbox messages to an email, sent or not, whatever the case of the address', async () => {
      const address = `reader-${++n}@example.org`;
      const ids = [newId(NOW), newId(NOW + 1), newId(NOW + 2)];
      await store.enqueueMail({ id: ids[0] ?? '', recipient: address, message: '{"subject":"one"}' }, NOW);
      await store.enqueueMail(
        { id: ids[1] ?? '', recipient: address.toUpperCase(), message: '{"subject":"two"}' },
        NOW + 1,
      );
      await store.enqueueMail({ id: ids[2] ?? '', recipient: 'else@example.org', message: '{}' }, NOW + 2);
      const claim = `claim-${n}`;
      await store.claimMail({ claimId: claim, now: NOW + 5, leaseMs: MINUTE, limit: 10 });
      await store.markMailSent(ids[0] ?? '', claim, NOW + 6);

      const listed = await store.listMailTo(address.toUpperCase());
      expect(listed.map((row) => [row.id, row.message, row.sent_at])).toEqual([
        [ids[0], '{"subject":"one"}', NOW + 6],
        [ids[1], '{"subject":"two"}', null],
      ]);
      expect(await store.dropMailTo(address)).toBe(2);
      expect(await store.listMailTo(address)).toEqual([]);
      expect((await store.listMail(50)).map((row) => row.id)).toContain(ids[2]);
    });

    it('lists a site’s or a thread’s approved comments newest first, and versions the site’s comments', async () => {
      const site = await newSite();
      const version = await store.siteCommentsVersion(site);
      expect(version).toBe(0);
      const [one, two] = [await newThread(site, 'One'), await newThread(site, 'Two')];
      const older = await comment(one.id, site);
      await comment(one.id, site, { status: 'pending' });
      const newer = await comment(two.id, site);
      const grown = await store.siteCommentsVersion(site);
      expect(grown).toBeGreaterThan(version);
      const feed = await store.listFeedComments({ siteId: site, limit: 50 });
      expect(feed.map((row) => row.id)).toEqual([newer.id, older.id]);
      expect(feed[0]).toMatchObject({
        thread_url: two.url,
        thread_title: 'Two',
        author_name: older.author_name,
      });
      expect(
        (await store.listFeedComments({ siteId: site, threadId: one.id, limit: 50 })).map((r) => r.id),
      ).toEqual([older.id]);
      expect(await store.listFeedComments({ siteId: site, limit: 1 })).toHaveLength(1);
      await store.updateComment(older, { body: 'Edited', html: '<p>Edited</p>', editedAt: NOW });
      expect(await store.siteCommentsVersion(site)).toBeGreaterThan(grown);
      expect(typeof (await store.siteCommentsVersion(site))).toBe('number');
    });
  });
}
