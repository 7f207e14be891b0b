import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import type { BanRow, CommentRow, NewAuditRow, NewBanRow } from '../../server/store/schema.ts';
import type { Store } from '../../server/store/store.ts';
import { commentRow } from '../support/factories.ts';
import type { OpenedStore } from './contract.ts';

const NOW = Date.UTC(2026, 0, 15, 12);
const DAY = 24 * 60 * 60_000;

/** The moderation queue, threads, pins, bans, the audit log and counts: what every engine must do alike. */
export function moderationContract(name: string, open: () => Promise<OpenedStore>) {
  describe(`moderation store contract on ${name}`, () => {
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
      const id = `mod-site-${++n}`;
      await store.insertSite({ id, name: id, settings: {}, now: NOW });
      return id;
    }

    async function newThread(siteId: string) {
      const key = `example.com/moderated-${++n}`;
      return store.ensureThread({ id: newId(NOW), siteId, key, url: `https://${key}`, title: 'T', now: NOW });
    }

    /** Comments created one minute apart from `start`, in the order given. */
    async function seed(
      threadId: string,
      siteId: string,
      specs: Array<Partial<CommentRow>>,
      start = NOW,
    ): Promise<CommentRow[]> {
      const rows: CommentRow[] = [];
      for (const [i, spec] of specs.entries()) {
        const created = start + i * 60_000;
        const row = commentRow(threadId, undefined, {
          id: newId(created),
          site_id: siteId,
          created_at: created,
          ...spec,
        });
        row.root_id = row.id;
        row.path = row.id;
        await store.insertComment(row);
        rows.push(row);
      }
      return rows;
    }

    const audit = (siteId: string | null, action: string, at: number): NewAuditRow => ({
      id: newId(at),
      site_id: siteId,
      actor_id: 'user-1',
      actor_email: 'owner@example.test',
      action,
      target_id: 'target',
      before_json: JSON.stringify({ status: 'pending' }),
      after_json: JSON.stringify({ status: 'approved' }),
      created_at: at,
    });

    it('lists comments newest first with their threads, filtered by site, status and thread', async () => {
      const [a, b] = [await newSite(), await newSite()];
      const [ta, tb] = [await newThread(a), await newThread(b)];
      const rows = await seed(ta.id, a, [
        { status: 'pending' },
        { status: 'approved' },
        { status: 'pending' },
      ]);
      await seed(tb.id, b, [{ status: 'pending' }]);
      const pending = await store.listComments({ siteIds: [a], status: 'pending', limit: 10 });
      expect(pending.map((r) => r.id)).toEqual([rows[2]?.id, rows[0]?.id]);
      expect(pending[0]).toMatchObject({ thread_site_id: a, thread_key: ta.key, thread_url: ta.url });
      const both = await store.listComments({ siteIds: [a, b], status: 'pending', limit: 10 });
      expect(both).toHaveLength(3);
      expect(await store.listComments({ siteIds: [], limit: 10 })).toEqual([]);
      const byThread = await store.listComments({ threadId: tb.id, limit: 10 });
      expect(byThread.map((r) => r.thread_site_id)).toEqual([b]);
    });

    it('pages the queue by keyset, including comments created in the same millisecond', async () => {
      const site = await newSite();
      const thread = await newThread(site);
      const rows = await seed(
        thread.id,
        site,
        Array.from({ length: 9 }, () => ({ status: 'pending' as const })),
      );
      // Three comments share one created_at: the id breaks the tie.
      const at = NOW + 3 * DAY;
      const same = await seed(
        thread.id,
        site,
        [1, 2, 3].map(() => ({ status: 'pending' as const, created_at: at })),
        at,
      );
      const all = [...rows, ...same];
      const seen: string[] = [];
      let before: { createdAt: number; id: string } | undefined;
      for (;;) {
        const page = await store.listComments({ siteIds: [site], status: 'pending', before, limit: 4 });
        expect(page.length).toBeLessThanOrEqual(5);
        seen.push(...page.slice(0, 4).map((r) => r.id));
        if (page.length <= 4) break;
        const last = page[3];
        if (!last) throw new Error('short page');
        before = { createdAt: last.created_at, id: last.id };
      }
      const expected = [...all].sort((x, y) => y.created_at - x.created_at || (y.id < x.id ? -1 : 1));
      expect(seen).toEqual(expected.map((r) => r.id));
    });

    it('searches body, name and email case-insensitively, with % and _ taken literally', async () => {
      const site = await newSite();
      const thread = await newThread(site);
      const [body, name, email, percent] = await seed(thread.id, site, [
        { body: 'I LOVE Ünïcode here' },
        { author_name: 'Zoë Quill' },
        { author_email: 'Quill@Example.org' },
        { body: 'a 100% genuine offer' },
      ]);
      const search = async (q: string) =>
        (await store.listComments({ siteIds: [site], q, limit: 10 })).map((r) => r.id).sort();
      // Letters beyond ASCII match in the case they were written: SQLite's lower() folds ASCII only.
      expect(await search('love Ünïcode')).toEqual([body?.id]);
      expect(await search('QUILL')).toEqual([name?.id, email?.id].sort());
      expect(await search('0% g')).toEqual([percent?.id]);
      expect(await search('%')).toEqual([percent?.id]);
      expect(await search('_')).toEqual([]);
    });

    it('reads comments by id in any number, with their threads', async () => {
      const site = await newSite();
      const thread = await newThread(site);
      const rows = await seed(
        thread.id,
        site,
        Array.from({ length: 120 }, () => ({})),
      );
      const ids = [...rows.map((r) => r.id), 'missing000000000'];
      const mod = await store.getModComments(ids);
      expect(mod.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
      expect(mod.every((r) => r.thread_key === thread.key)).toBe(true);
      expect((await store.getComments(ids)).length).toBe(120);
    });

    it('lists a whole thread in every status, depth-first', async () => {
      const site = await newSite();
      const thread = await newThread(site);
      const parent = commentRow(thread.id, undefined, { site_id: site, status: 'spam' });
      const reply = commentRow(thread.id, parent, { site_id: site, status: 'pending' });
      const second = commentRow(thread.id, undefined, { site_id: site, status: 'deleted' });
      for (const row of [parent, reply, second]) await store.insertComment(row);
      const listed = await store.listThreadComments(thread.id);
      expect(listed.map((r) => [r.id, r.status])).toEqual([
        [parent.id, 'spam'],
        [reply.id, 'pending'],
        [second.id, 'deleted'],
      ]);
    });

    it('pins comments, lists the approved pinned ones, and bumps the thread version', async () => {
      const site = await newSite();
      const thread = await newThread(site);
      const [a, b, c] = await seed(thread.id, site, [{}, {}, { status: 'pending' }]);
      if (!a || !b || !c) throw new Error('missing rows');
      const before = (await store.getThread(thread.id))?.version ?? 0;
      await store.updateComment(b, { pinned: true });
      await store.updateComment(c, { pinned: true });
      expect((await store.listPinned(thread.id)).map((r) => r.id)).toEqual([b.id]);
      expect((await store.getThread(thread.id))?.version).toBe(before + 2);
      await store.updateComment(b, { pinned: false, editedByModerator: true });
      expect(await store.listPinned(thread.id)).toEqual([]);
      expect(await store.getComment(b.id)).toMatchObject({ pinned: 0, edited_by_moderator: 1 });
    });

    it('locks and unlocks a thread, bumping its version', async () => {
      const thread = await newThread(await newSite());
      await store.setThreadLocked(thread.id, 1);
      expect(await store.getThread(thread.id)).toMatchObject({ locked: 1, version: 1 });
      await store.setThreadLocked(thread.id, -1);
      expect(await store.getThread(thread.id)).toMatchObject({ locked: -1, version: 2 });
      expect(await store.getThread('nothing')).toBeUndefined();
    });

    it('finds a site with its thread in one query, and the site alone before anyone comments', async () => {
      const site = await newSite();
      const thread = await newThread(site);
      const found = await store.findSiteThread(site, thread.key);
      expect(found?.site).toMatchObject({ id: site, version: 0 });
      expect(found?.thread).toEqual(await store.getThread(thread.id));
      expect(await store.findSiteThread(site, 'example.com/nobody-here')).toEqual({ site: found?.site });
      expect(await store.findSiteThread('no-such-site', thread.key)).toBeUndefined();
    });

    it('keeps only the settings a site stored as overrides, merged over the defaults', async () => {
      const site = await newSite();
      await store.updateSite(site, { settings: { maxLinks: 9, origins: ['https://a.example'] } });
      const record = await store.getSite(site);
      expect(record?.overrides).toEqual({ maxLinks: 9, origins: ['https://a.example'] });
      expect(record?.settings).toMatchObject({ maxLinks: 9, moderation: 'none' });
      expect(record?.version).toBe(1);
    });

    it('tells whether a commenter has an approved comment on a site, by email hash or client hash', async () => {
      const [site, other] = [await newSite(), await newSite()];
      const thread = await newThread(site);
      await seed(thread.id, site, [
        { email_hash: 'email-a', client_hash: 'client-a' },
        { email_hash: 'email-b', client_hash: 'client-b', status: 'pending' },
      ]);
      expect(await store.hasApprovedComment(site, { emailHash: 'email-a', clientHash: 'x' })).toBe(true);
      expect(await store.hasApprovedComment(site, { emailHash: null, clientHash: 'client-a' })).toBe(true);
      expect(await store.hasApprovedComment(site, { emailHash: 'email-b', clientHash: 'client-b' })).toBe(
        false,
      );
      expect(await store.hasApprovedComment(other, { emailHash: 'email-a', clientHash: 'client-a' })).toBe(
        false,
      );
    });

    it('stores bans and matches them by email hash or client hash on their own site only', async () => {
      const [site, other] = [await newSite(), await newSite()];
      const ban = (kind: BanRow['kind'], value: string, at: number): NewBanRow => ({
        id: newId(at),
        site_id: site,
        kind,
        value_hash: value,
        label: 'Spammer',
        reason: 'links',
        created_by: 'user-1',
        created_at: at,
      });
      const byEmail = ban('email', 'email-x', NOW);
      const byClient = ban('client', 'client-y', NOW + 1);
      await store.insertBan(byEmail);
      await store.insertBan(byClient);
      expect((await store.findBan(site, { emailHash: 'email-x', clientHash: 'other' }, NOW))?.id).toBe(
        byEmail.id,
      );
      expect((await store.findBan(site, { emailHash: null, clientHash: 'client-y' }, NOW))?.id).toBe(
        byClient.id,
      );
      expect(
        await store.findBan(site, { emailHash: 'client-y', clientHash: 'email-x' }, NOW),
      ).toBeUndefined();
      expect(
        await store.findBan(other, { emailHash: 'email-x', clientHash: 'client-y' }, NOW),
      ).toBeUndefined();
      expect((await store.findBanOf(site, 'email', 'email-x'))?.id).toBe(byEmail.id);
      expect((await store.listBans(site, NOW)).map((b) => b.id)).toEqual([byClient.id, byEmail.id]);
      await store.deleteBan(byEmail.id);
      expect(await store.getBan(byEmail.id)).toBeUndefined();
      expect((await store.listBans(site, NOW)).map((b) => b.id)).toEqual([byClient.id]);
    });

    it('lets a ban end: from its expiry on it no longer matches nor is listed', async () => {
      const site = await newSite();
      const id = newId(NOW);
      await store.insertBan({
        id,
        site_id: site,
        kind: 'client',
        value_hash: 'client-z',
        label: 'For a day',
        reason: '',
        created_by: 'user-1',
        created_at: NOW,
        expires_at: NOW + 1000,
      });
      const commenter = { emailHash: null, clientHash: 'client-z' };
      expect((await store.findBan(site, commenter, NOW + 999))?.id).toBe(id);
      expect(await store.findBan(site, commenter, NOW + 1000)).toBeUndefined();
      expect(await store.listBans(site, NOW + 1000)).toEqual([]);
      await store.renewBan(id, { expiresAt: null, reason: 'for good' });
      expect((await store.findBan(site, commenter, NOW + 10_000))?.reason).toBe('for good');
    });

    it('keeps the audit log newest first, per site or whole, paged by id', async () => {
      const [site, other] = [await newSite(), await newSite()];
      const entries = [
        audit(site, 'comment.approve', NOW + 1),
        audit(other, 'comment.spam', NOW + 2),
        audit(null, 'admin.create', NOW + 3),
        audit(site, 'thread.lock', NOW + 4),
      ];
      for (const entry of entries) await store.insertAudit(entry);
      const mine = await store.listAudit({ siteIds: [site], limit: 10 });
      expect(mine.map((e) => e.action)).toEqual(['thread.lock', 'comment.approve']);
      expect(mine[0]).toMatchObject({
        before_json: '{"status":"pending"}',
        actor_email: 'owner@example.test',
      });
      const firstPage = await store.listAudit({ limit: 2 });
      expect(firstPage.length).toBe(3);
      const rest = await store.listAudit({ before: firstPage[1]?.id, limit: 10 });
      expect([...firstPage.slice(0, 2), ...rest].map((e) => e.id)).toEqual(
        [...(await store.listAudit({ limit: 100 }))].map((e) => e.id),
      );
      expect(await store.listAudit({ siteIds: [], limit: 10 })).toEqual([]);
    });

    it('counts comments by status and by creation ranges, per site or across sites', async () => {
      const [site, other] = [await newSite(), await newSite()];
      const [ts, to] = [await newThread(site), await newThread(other)];
      const day0 = Date.UTC(2025, 5, 1);
      await seed(ts.id, site, [{ status: 'pending' }, { status: 'spam' }], day0);
      await seed(ts.id, site, [{}], day0 + DAY);
      await seed(to.id, other, [{}], day0 + DAY + 5);
      expect(await store.countByStatus([site])).toEqual({ approved: 1, pending: 1, spam: 1, deleted: 0 });
      const both = await store.countByStatus([site, other]);
      expect(both.approved).toBe(2);
      const ranges: Array<[number, number]> = [
        [day0 - DAY, day0],
        [day0, day0 + DAY],
        [day0 + DAY, day0 + 2 * DAY],
      ];
      expect(await store.countCreatedIn([site], ranges)).toEqual([0, 2, 1]);
      expect(await store.countCreatedIn([site, other], ranges)).toEqual([0, 2, 2]);
      expect(await store.countCreatedIn([], ranges)).toEqual([0, 0, 0]);
      const everywhere = await store.countCreatedIn(undefined, ranges);
      expect(everywhere[2]).toBeGreaterThanOrEqual(2);
    });

    it('reads a site’s comments oldest first, page by page, for an export', async () => {
      const site = await newSite();
      const thread = await newThread(site);
      const rows = await seed(
        thread.id,
        site,
        Array.from({ length: 7 }, (_, i) => ({ status: i % 2 ? ('spam' as const) : ('approved' as const) })),
      );
      const seen: string[] = [];
      let after: { createdAt: number; id: string } | undefined;
      for (;;) {
        const page = await store.listSiteComments(site, after, 3);
        seen.push(...page.map((r) => r.id));
        const last = page.at(-1);
        if (page.length < 3 || !last) break;
        after = { createdAt: last.created_at, id: last.id };
      }
      expect(seen).toEqual(rows.map((r) => r.id));
    });
  });
}
