import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import type { SubscriptionRow } from '../../server/store/schema.ts';
import type { Store } from '../../server/store/store.ts';
import type { OpenedStore } from './contract.ts';

/** The mail tables' behaviour on every engine: the outbox's claims, subscriptions, batched replies, used links. */
export function mailContract(name: string, open: () => Promise<OpenedStore>) {
  describe(`mail store contract on ${name}`, () => {
    let opened: OpenedStore;
    let store: Store;
    let counter = 0;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await store.migrate();
    });
    afterAll(() => opened?.close());

    const T = 1_800_000_000_000;
    const unique = () => `${++counter}-${Date.now().toString(36)}`;
    const queue = async (count: number, now: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const id = newId(now);
        ids.push(id);
        await store.enqueueMail({ id, recipient: `r${i}@example.test`, message: '{"subject":"s"}' }, now);
      }
      return ids;
    };
    const pending = async () => (await store.listMail(500)).filter((row) => !row.sent_at && !row.failed_at);

    it('queues a message once per id, and claims each due message for one claimer at a time', async () => {
      const now = T;
      const [id = ''] = await queue(1, now);
      await store.enqueueMail({ id, recipient: 'other@example.test', message: '{}' }, now);
      const rows = await store.claimMail({ claimId: 'a', now, leaseMs: 60_000, limit: 10 });
      expect(rows.map((row) => row.id)).toContain(id);
      expect(rows.find((row) => row.id === id)).toMatchObject({ recipient: 'r0@example.test', attempts: 0 });
      // Held: nobody else gets it until the lease runs out.
      expect(await store.claimMail({ claimId: 'b', now: now + 1000, leaseMs: 60_000, limit: 10 })).toEqual(
        [],
      );
      const taken = await store.claimMail({ claimId: 'c', now: now + 61_000, leaseMs: 60_000, limit: 10 });
      expect(taken.map((row) => row.id)).toContain(id);
      // The first claimer's late word no longer counts.
      await store.markMailSent(id, 'a', now + 62_000);
      expect((await store.listMail(500)).find((row) => row.id === id)?.sent_at).toBeNull();
      await store.markMailSent(id, 'c', now + 62_000);
      expect((await store.listMail(500)).find((row) => row.id === id)).toMatchObject({
        sent_at: now + 62_000,
        attempts: 1,
      });
      expect(await store.claimMail({ claimId: 'd', now: now + 999_000, leaseMs: 60_000, limit: 10 })).toEqual(
        [],
      );
    });

    it('parallel claimers split the due messages between them, none twice', async () => {
      const now = T + 10_000_000;
      const ids = await queue(12, now);
      const claims = await Promise.all(
        ['p1', 'p2', 'p3'].map((claimId) => store.claimMail({ claimId, now, leaseMs: 60_000, limit: 12 })),
      );
      const got = claims.flatMap((rows) => rows.map((row) => row.id));
      expect(new Set(got).size).toBe(got.length);
      expect(got.sort()).toEqual([...ids].sort());
      for (const [index, rows] of claims.entries()) {
        for (const row of rows) await store.markMailSent(row.id, `p${index + 1}`, now);
      }
      expect(await pending()).toEqual([]);
    });

    it('a failed attempt is counted and due again later, or given up', async () => {
      const now = T + 20_000_000;
      const [id = ''] = await queue(1, now);
      await store.claimMail({ claimId: 'f', now, leaseMs: 60_000, limit: 5 });
      await store.markMailFailed(id, 'f', { error: 'connection refused', retryAt: now + 30_000, now });
      expect((await store.listMail(500)).find((row) => row.id === id)).toMatchObject({
        attempts: 1,
        next_attempt_at: now + 30_000,
        last_error: 'connection refused',
        lease_until: null,
        failed_at: null,
      });
      expect(await store.claimMail({ claimId: 'g', now: now + 29_000, leaseMs: 60_000, limit: 5 })).toEqual(
        [],
      );
      const again = await store.claimMail({ claimId: 'g', now: now + 30_000, leaseMs: 60_000, limit: 5 });
      expect(again.map((row) => row.id)).toEqual([id]);
      await store.markMailFailed(id, 'g', { error: 'still refused', retryAt: null, now: now + 30_000 });
      expect((await store.listMail(500)).find((row) => row.id === id)).toMatchObject({
        attempts: 2,
        failed_at: now + 30_000,
      });
      expect(await store.claimMail({ claimId: 'h', now: now + 9e9, leaseMs: 60_000, limit: 5 })).toEqual([]);
      await store.pruneMail(now + 30_001);
      expect((await store.listMail(500)).find((row) => row.id === id)).toBeUndefined();
    });

    it('keeps each member’s choice per site', async () => {
      const site = `site-${unique()}`;
      expect(await store.listMailPreferences(site)).toEqual(new Map());
      await store.setMailPreference(site, 'u1', 'all');
      await store.setMailPreference(site, 'u2', 'off');
      await store.setMailPreference(site, 'u1', 'held');
      expect(await store.listMailPreferences(site)).toEqual(
        new Map([
          ['u1', 'held'],
          ['u2', 'off'],
        ]),
      );
    });

    const subscription = (site: string, email: string, browser: string): SubscriptionRow => ({
      id: newId(T),
      site_id: site,
      email,
      email_hash: `hash-${email}`,
      browser_hash: browser,
      lang: 'en',
      origin: 'https://comments.example.test',
      created_at: T,
      confirm_sent_at: null,
      confirmed_at: null,
      unsubscribed_at: null,
    });

    it('one subscription per address and browser; one confirmation mail per address and hour; verified by browser', async () => {
      const site = `site-${unique()}`;
      const a = await store.ensureSubscription(subscription(site, 'ada@example.test', 'b1'));
      const again = await store.ensureSubscription(subscription(site, 'ada@example.test', 'b1'));
      expect(again.id).toBe(a.id);
      const b = await store.ensureSubscription(subscription(site, 'ada@example.test', 'b2'));
      expect(b.id).not.toBe(a.id);

      expect(await store.claimConfirmation(a.id, T, T - 3_600_000)).toBe(true);
      expect(await store.claimConfirmation(b.id, T + 1000, T + 1000 - 3_600_000)).toBe(false);
      expect(await store.claimConfirmation(b.id, T + 3_700_000, T + 100_000)).toBe(true);

      expect(await store.isVerifiedBrowser(site, 'hash-ada@example.test', 'b1')).toBe(false);
      await store.confirmSubscription(a.id, T + 5000);
      expect(await store.getSubscription(a.id)).toMatchObject({ confirmed_at: T + 5000 });
      expect(await store.isVerifiedBrowser(site, 'hash-ada@example.test', 'b1')).toBe(true);
      expect(await store.isVerifiedBrowser(site, 'hash-ada@example.test', 'b2')).toBe(false);
      expect(await store.isVerifiedBrowser(`${site}-other`, 'hash-ada@example.test', 'b1')).toBe(false);

      await store.unsubscribe(b.id, T + 6000);
      expect((await store.getSubscription(a.id))?.unsubscribed_at).toBe(T + 6000);
      expect((await store.getSubscription(b.id))?.unsubscribed_at).toBe(T + 6000);
      // Confirming again lifts the stop; the first confirmation time stays.
      await store.confirmSubscription(a.id, T + 7000);
      expect(await store.getSubscription(a.id)).toMatchObject({
        confirmed_at: T + 5000,
        unsubscribed_at: null,
      });
    });

    it('notes replies to watched comments of confirmed readers, batches them, and hands each batch out once', async () => {
      const site = `site-${unique()}`;
      const sub = await store.ensureSubscription(subscription(site, 'bo@example.test', 'b'));
      const unconfirmed = await store.ensureSubscription(subscription(site, 'cy@example.test', 'b'));
      await store.confirmSubscription(sub.id, T);
      const watched = newId(T);
      const other = newId(T);
      await store.watchComment(watched, sub.id);
      await store.watchComment(watched, unconfirmed.id);
      await store.watchComment(other, unconfirmed.id);

      const reply = (id: string, parentId: string, at: number, emailHash: string | null = null) =>
        store.noteReply({ id, parentId, emailHash, now: at });
      const r1 = newId(T);
      const r2 = newId(T);
      await reply(r1, watched, T + 1000);
      await reply(r1, watched, T + 1000);
      await reply(r2, watched, T + 50_000);
      await reply(newId(T), watched, T + 2000, 'hash-bo@example.test');
      await reply(newId(T), other, T + 1000);

      expect(await store.dueReplySubscriptions(T + 500, T - 600_000, 10)).not.toContain(sub.id);
      const due = await store.dueReplySubscriptions(T + 1000, T - 600_000, 100);
      expect(due).toContain(sub.id);
      expect(due).not.toContain(unconfirmed.id);

      const [first, second] = await Promise.all([
        store.takeReplies(sub.id, 'digest-1', T + 60_000, T - 600_000),
        store.takeReplies(sub.id, 'digest-2', T + 60_000, T - 600_000),
      ]);
      const taken = [first, second].filter((batch) => batch && batch.replies.length > 0);
      expect(taken).toHaveLength(1);
      expect(taken[0]?.replies.map((note) => note.commentId)).toEqual([r1, r2]);
      const digest = taken[0]?.digestId ?? '';
      expect(await store.dueReplySubscriptions(T + 9e9, T, 100)).not.toContain(sub.id);

      // A taker that stopped before queueing: its batch is taken again under the same id.
      const stale = await store.takeReplies(sub.id, 'digest-3', T + 700_000, T + 61_000);
      expect(stale).toEqual({ digestId: digest, replies: taken[0]?.replies });
      await store.dropReplies(digest);
      expect(await store.dueReplySubscriptions(T + 9e9, T + 9e9, 100)).not.toContain(sub.id);
    });

    it('a one-click link nonce is used once', async () => {
      const nonce = `n${unique()}`;
      const results = await Promise.all([store.useMailLink(nonce, T), store.useMailLink(nonce, T)]);
      expect(results.sort()).toEqual([false, true]);
      expect(await store.useMailLink(nonce, T + 1)).toBe(false);
      // Forgotten only once links of its age have long expired.
      await store.pruneMail(T);
      expect(await store.useMailLink(nonce, T + 2)).toBe(false);
      await store.pruneMail(T + 1);
      expect(await store.useMailLink(nonce, T + 3)).toBe(true);
    });
  });
}
