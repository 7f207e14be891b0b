import { beforeAll, describe, expect, it } from 'vitest';
import type {
  AdminComment,
  AdminCommentsPage,
  AdminThread,
  AdminThreadDetail,
  AuditPage,
  Ban,
  BanCreated,
  BulkResult,
  Stats,
} from '../../shared/admin-schemas.ts';
import type { ErrorBody } from '../../shared/errors.ts';
import type { ApiTarget } from '../api/target.ts';
import { type AdminClient, adminRequest, expectAdminError, signIn } from './client.ts';

const DAY = 24 * 60 * 60_000;

import {
  newMember,
  newPage,
  newReader,
  newSite,
  postComment,
  publicRequest,
  readThread,
} from './site-fixtures.ts';

/** The moderation queue and actions, edits and replies, threads, bans, the audit log and stats. */
export function moderationSuite(target: () => ApiTarget) {
  describe('moderation', () => {
    let admin: AdminClient;
    let siteA: string;
    let siteB: string;
    let ownerA: AdminClient;
    let modA: AdminClient;

    beforeAll(async () => {
      admin = await signIn(target());
      siteA = await newSite(admin, { moderation: 'all' });
      siteB = await newSite(admin, { moderation: 'all' });
      ownerA = await newMember(target(), admin, siteA, 'owner');
      modA = await newMember(target(), admin, siteA, 'moderator');
    });

    const queue = (client: AdminClient, query: string) =>
      client.ok<AdminCommentsPage>('GET', `/comments${query}`);
    const act = (client: AdminClient, ids: string[], action: string) =>
      client.ok<BulkResult>('POST', '/comments/actions', { ids, action });
    /** A comment as the queue shows it (the newest 200 of its site). */
    const find = async (client: AdminClient, site: string, id: string) =>
      (await queue(client, `?site=${site}&limit=200`)).comments.find((c) => c.id === id);
    const threadOf = async (client: AdminClient, commentId: string) =>
      (await find(client, siteA, commentId))?.thread.id;
    /** A held comment on a site: every site in this suite holds all comments until approved. */
    const held = (site: string, input: Record<string, unknown> = {}, reader?: string) =>
      postComment(target(), { site, url: newPage(), ...input }, reader);

    describe('access', () => {
      let onB: { comment: string; thread: string; ban: string };

      beforeAll(async () => {
        const comment = await held(siteB, { email: 'someone@example.org' });
        const page = await queue(admin, `?site=${siteB}`);
        const thread = page.comments.find((c) => c.id === comment.comment.id)?.thread.id ?? '';
        const {
          bans: [ban],
        } = await admin.ok<BanCreated>('POST', `/sites/${siteB}/bans`, {
          commentId: comment.comment.id,
          kinds: ['client'],
        });
        onB = { comment: comment.comment.id, thread, ban: ban?.id ?? '' };
      });

      const routes = (): Array<[string, string, unknown?]> => [
        ['GET', `/comments?site=${siteB}`],
        ['GET', `/comments?thread=${onB.thread}`],
        ['POST', '/comments/actions', { ids: [onB.comment], action: 'approve' }],
        ['PATCH', `/comments/${onB.comment}`, { body: 'edited' }],
        ['POST', `/comments/${onB.comment}/replies`, { body: 'reply' }],
        ['GET', `/threads/${onB.thread}`],
        ['PATCH', `/threads/${onB.thread}`, { locked: true }],
        ['GET', `/sites/${siteB}/bans`],
        ['POST', `/sites/${siteB}/bans`, { commentId: onB.comment, kinds: ['client'] }],
        ['DELETE', `/sites/${siteB}/bans/${onB.ban}`],
        ['GET', `/audit?site=${siteB}`],
        ['GET', `/stats?site=${siteB}`],
      ];

      it('answers 401 to an anonymous caller on every moderation route, before looking at the input', async () => {
        for (const [method, path] of [
          ...routes(),
          ['GET', '/comments'],
          ['GET', '/audit'],
          ['GET', '/stats'],
        ]) {
          const res = await adminRequest(
            target(),
            method,
            path,
            method === 'GET' ? {} : { body: { bad: 1 } },
          );
          expect(`${method} ${path}: ${res.status}`).toBe(`${method} ${path}: 401`);
        }
      });

      it('refuses 403 to the moderator and the owner of site A on every route for site B', async () => {
        for (const member of [modA, ownerA]) {
          for (const [method, path, body] of routes()) {
            const res = await member.send(method, path, body);
            const error = ((await res.json()) as ErrorBody).error;
            expect(`${method} ${path}: ${res.status} ${error?.code}`).toBe(
              `${method} ${path}: 403 forbidden`,
            );
          }
        }
        // Nothing changed on B.
        const comment = await find(admin, siteB, onB.comment);
        expect(comment).toMatchObject({ status: 'pending', body: 'A comment.', thread: { locked: false } });
        expect((await admin.ok<Ban[]>('GET', `/sites/${siteB}/bans`)).map((b) => b.id)).toEqual([onB.ban]);
      });

      it('keeps the audit log to owners: a moderator is refused even on their own site', async () => {
        await expectAdminError(await modA.send('GET', `/audit?site=${siteA}`), 403, 'forbidden');
        await expectAdminError(await modA.send('GET', '/audit'), 403, 'forbidden');
        expect((await ownerA.send('GET', `/audit?site=${siteA}`)).status).toBe(200);
      });

      it('refuses a moderation action without the CSRF token and changes nothing', async () => {
        const { comment } = await held(siteA);
        const res = await adminRequest(target(), 'POST', '/comments/actions', {
          cookie: modA.cookie,
          body: { ids: [comment.id], action: 'approve' },
        });
        await expectAdminError(res, 403, 'csrf');
        expect((await find(modA, siteA, comment.id))?.status).toBe('pending');
      });
    });

    describe('the queue', () => {
      it('lists held comments newest first, with their thread and why they were held', async () => {
        const url = newPage();
        const first = await held(siteA, { url, title: 'Queued', name: 'Ada', email: 'Ada@Example.org' });
        const second = await held(siteA, { url });
        const page = await queue(modA, `?site=${siteA}&status=pending&limit=2`);
        expect(page.comments.map((c) => c.id)).toEqual([second.comment.id, first.comment.id]);
        expect(page.comments[1]).toMatchObject({
          status: 'pending',
          statusReason: 'moderation: all',
          siteId: siteA,
          body: 'A comment.',
          email: 'ada@example.org',
          author: { name: 'Ada' },
          thread: { url, title: 'Queued', locked: false },
          isOwner: false,
          pinned: false,
          editedByModerator: false,
        });
        expect(page.nextCursor).toEqual(expect.any(String));
      });

      it('pages by cursor without repeating or skipping, and filters by thread, status and text', async () => {
        const url = newPage();
        const posted: string[] = [];
        for (let i = 0; i < 5; i++) {
          posted.push((await held(siteA, { url, body: `Needle ${i} in the 50%_ stack` })).comment.id);
        }
        const thread = (await threadOf(modA, posted[0] ?? '')) ?? 'missing';
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: AdminCommentsPage = await queue(
            modA,
            `?thread=${thread}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          expect(page.comments.length).toBeLessThanOrEqual(2);
          seen.push(...page.comments.map((c) => c.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual([...posted].reverse());

        const search = await queue(modA, `?site=${siteA}&q=${encodeURIComponent('NEEDLE 3 in the 50%_')}`);
        expect(search.comments.map((c) => c.id)).toEqual([posted[3]]);
        expect((await queue(modA, `?thread=${thread}&status=approved`)).comments).toEqual([]);
      });

      it('shows a moderator only the sites they moderate, and everything to a server owner', async () => {
        const onB = await held(siteB);
        const mine = await queue(modA, '?limit=200');
        expect(mine.comments.every((c) => c.siteId === siteA)).toBe(true);
        const all = await queue(admin, '?limit=200');
        expect(all.comments.map((c) => c.id)).toContain(onB.comment.id);
      });

      it('refuses a forged cursor with 400 naming it', async () => {
        await expectAdminError(
          await modA.send('GET', '/comments?cursor=nope'),
          400,
          'invalid_input',
          'cursor',
        );
      });
    });

    describe('actions', () => {
      it('approves held comments for every reader, and audits each change with before and after', async () => {
        const url = newPage();
        const a = await held(siteA, { url, body: 'first' });
        const b = await held(siteA, { url, body: 'second' });
        expect((await readThread(target(), siteA, url)).comments).toEqual([]);
        const result = await act(modA, [a.comment.id, b.comment.id], 'approve');
        expect(result.failed).toEqual([]);
        expect(result.comments.map((c) => [c.id, c.status])).toEqual([
          [a.comment.id, 'approved'],
          [b.comment.id, 'approved'],
        ]);
        const view = await readThread(target(), siteA, url);
        expect(view.comments.map((c) => c.id)).toEqual([a.comment.id, b.comment.id]);
        expect(view.thread.commentCount).toBe(2);

        // One action on two comments is one entry, naming who did it and what the comments said, and where.
        const audit = await ownerA.ok<AuditPage>('GET', `/audit?site=${siteA}`);
        const entries = audit.entries.filter((e) => e.targetIds.includes(a.comment.id));
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({
          action: 'comment.approve',
          siteId: siteA,
          actor: { email: modA.session.user.email, name: modA.session.user.name },
          targetIds: [a.comment.id, b.comment.id],
          before: { status: 'pending', statusReason: 'moderation: all' },
          after: { status: 'approved', statusReason: null },
        });
        expect(entries[0]?.comments.map((c) => [c.id, c.excerpt, c.thread.url])).toEqual([
          [a.comment.id, 'first', url],
          [b.comment.id, 'second', url],
        ]);
      });

      it('marks as spam, deletes, restores, and reports per-id failures', async () => {
        const url = newPage();
        const [a, b] = [await held(siteA, { url }), await held(siteA, { url })];
        const onB = await held(siteB);
        await act(modA, [a.comment.id, b.comment.id], 'approve');

        const spam = await act(modA, [a.comment.id, 'zzzzzzzzzzzzzzzz', onB.comment.id], 'spam');
        expect(spam.comments.map((c) => [c.id, c.status, c.statusReason])).toEqual([
          [a.comment.id, 'spam', 'moderator'],
        ]);
        expect(spam.failed.map((f) => f.id)).toEqual(['zzzzzzzzzzzzzzzz', onB.comment.id]);
        expect(spam.failed.every((f) => f.reason.length > 0)).toBe(true);

        const deleted = await act(modA, [b.comment.id], 'delete');
        expect(deleted.comments[0]?.status).toBe('deleted');
        let view = await readThread(target(), siteA, url);
        expect(view.comments.map((c) => [c.id, c.status, c.html])).toEqual([[b.comment.id, 'deleted', '']]);

        const restored = await act(modA, [a.comment.id, b.comment.id], 'restore');
        expect(restored.comments.map((c) => c.status)).toEqual(['approved', 'approved']);
        view = await readThread(target(), siteA, url);
        expect(view.comments.map((c) => c.status)).toEqual(['approved', 'approved']);
        expect(view.comments[1]?.html).toBe('<p>A comment.</p>\n');

        const again = await act(modA, [a.comment.id], 'restore');
        expect(again.failed).toEqual([{ id: a.comment.id, reason: expect.any(String) }]);
      });

      it('pins a comment above the thread on the first page only, and unpins it', async () => {
        const url = newPage();
        const posted: string[] = [];
        for (let i = 0; i < 3; i++) posted.push((await held(siteA, { url, body: `c${i}` })).comment.id);
        await act(modA, posted, 'approve');
        await act(modA, [posted[2] ?? ''], 'pin');
        const first = await readThread(target(), siteA, url, '&limit=2');
        expect(first.pinned.map((c) => [c.id, c.pinned])).toEqual([[posted[2], true]]);
        expect(first.comments.map((c) => c.pinned)).toEqual([false, false]);
        const second = await readThread(target(), siteA, url, `&limit=2&cursor=${first.nextCursor}`);
        expect(second.pinned).toEqual([]);
        expect(second.comments[0]).toMatchObject({ id: posted[2], pinned: true });
        await act(modA, [posted[2] ?? ''], 'unpin');
        expect((await readThread(target(), siteA, url)).pinned).toEqual([]);
        const actions = (await ownerA.ok<AuditPage>('GET', `/audit?site=${siteA}`)).entries
          .filter((e) => e.targetId === posted[2])
          .map((e) => [e.action, e.after]);
        expect(actions.slice(0, 2)).toEqual([
          ['comment.unpin', { pinned: false }],
          ['comment.pin', { pinned: true }],
        ]);
      });

      it('answers 403 when none of the comments is on a site the caller moderates', async () => {
        const onB = await held(siteB);
        await expectAdminError(
          await modA.send('POST', '/comments/actions', { ids: [onB.comment.id], action: 'spam' }),
          403,
          'forbidden',
        );
      });

      it('lets a moderator edit the text: re-rendered, and marked for readers as edited by a moderator', async () => {
        const url = newPage();
        const { comment } = await held(siteA, { url, body: 'Rude words here' });
        await act(modA, [comment.id], 'approve');
        const edited = await modA.ok<AdminComment>('PATCH', `/comments/${comment.id}`, {
          body: 'Kind *words*',
        });
        expect(edited).toMatchObject({
          body: 'Kind *words*',
          html: '<p>Kind <em>words</em></p>\n',
          editedByModerator: true,
        });
        const [shown] = (await readThread(target(), siteA, url)).comments;
        expect(shown).toMatchObject({ html: '<p>Kind <em>words</em></p>\n', editedByModerator: true });
        expect(shown?.editedAt).toEqual(expect.any(Number));
        const audit = await ownerA.ok<AuditPage>('GET', `/audit?site=${siteA}`);
        expect(
          audit.entries.find((e) => e.targetId === comment.id && e.action === 'comment.edit'),
        ).toMatchObject({
          before: { body: 'Rude words here' },
          after: { body: 'Kind *words*' },
        });
        await expectAdminError(
          await modA.send('PATCH', `/comments/${comment.id}`, { body: '' }),
          422,
          'invalid_input',
          'body',
        );
      });

      it('publishes an owner’s reply at once, past moderation, with the author badge', async () => {
        const url = newPage();
        const { comment } = await held(siteA, { url });
        await expectAdminError(
          await ownerA.send('POST', `/comments/${comment.id}/replies`, { body: 'Too early' }),
          422,
          'invalid_input',
        );
        await act(modA, [comment.id], 'approve');
        const res = await ownerA.send('POST', `/comments/${comment.id}/replies`, { body: 'Thanks!' });
        expect(res.status).toBe(201);
        const reply = (await res.json()) as AdminComment;
        expect(reply).toMatchObject({
          parentId: comment.id,
          depth: 1,
          status: 'approved',
          isOwner: true,
          author: { name: ownerA.session.user.name },
          email: ownerA.session.user.email,
        });
        const view = await readThread(target(), siteA, url);
        expect(view.comments.map((c) => [c.id, c.isOwner])).toEqual([
          [comment.id, false],
          [reply.id, true],
        ]);

        // Without the badge setting, the same reply shows like any other.
        await ownerA.ok('PATCH', `/sites/${siteA}`, { settings: { ownerBadge: false } });
        expect((await readThread(target(), siteA, url)).comments[1]?.isOwner).toBe(false);
        await ownerA.ok('PATCH', `/sites/${siteA}`, { settings: { ownerBadge: true } });
      });
    });

    describe('threads', () => {
      it('shows a thread with every comment in any status, depth-first', async () => {
        const url = newPage();
        const a = await held(siteA, { url, name: 'Hedda', body: 'The parent says *this*.' });
        await act(modA, [a.comment.id], 'approve');
        const reply = await held(siteA, { url, parentId: a.comment.id });
        const spam = await held(siteA, { url, website: 'http://bot.example' });
        const inQueue = await queue(modA, `?site=${siteA}&status=pending`);
        const queued = inQueue.comments.find((c) => c.id === reply.comment.id);
        expect(queued?.parent).toEqual({
          id: a.comment.id,
          author: { name: 'Hedda' },
          excerpt: 'The parent says *this*.',
        });
        expect(inQueue.comments.find((c) => c.id === spam.comment.id)?.parent ?? null).toBeNull();
        const thread = (await threadOf(modA, a.comment.id)) ?? '';
        const detail = await modA.ok<AdminThreadDetail>('GET', `/threads/${thread}`);
        expect(detail.thread).toMatchObject({
          id: thread,
          siteId: siteA,
          url,
          locked: false,
          commentCount: 1,
        });
        expect(detail.comments.map((c) => [c.id, c.status])).toEqual([
          [a.comment.id, 'approved'],
          [reply.comment.id, 'pending'],
          [spam.comment.id, 'spam'],
        ]);
        await expectAdminError(await modA.send('GET', '/threads/zzzzzzzzzzzzzzzz'), 404, 'not_found');
      });

      it('locks a thread against new comments, and opens it again', async () => {
        const url = newPage();
        const a = await held(siteA, { url });
        const thread = (await threadOf(modA, a.comment.id)) ?? '';
        const locked = await modA.ok<AdminThread>('PATCH', `/threads/${thread}`, { locked: true });
        expect(locked.locked).toBe(true);
        expect((await readThread(target(), siteA, url)).thread.locked).toBe(true);
        const refused = await publicRequest(target(), 'POST', '/api/comments', {
          body: { site: siteA, url, body: 'Still here?' },
        });
        expect(((await refused.json()) as ErrorBody).error.code).toBe('thread_locked');
        expect(refused.status).toBe(403);

        expect((await modA.ok<AdminThread>('PATCH', `/threads/${thread}`, { locked: false })).locked).toBe(
          false,
        );
        await postComment(target(), { site: siteA, url });
        const audit = await ownerA.ok<AuditPage>('GET', `/audit?site=${siteA}`);
        expect(audit.entries.filter((e) => e.targetId === thread).map((e) => e.action)).toEqual([
          'thread.unlock',
          'thread.lock',
        ]);
      });
    });

    describe('bans', () => {
      it('refuses a banned commenter’s next comment with a clear message, until the ban is lifted', async () => {
        const reader = newReader();
        const { comment } = await held(siteA, { name: 'Troll', email: 'troll@example.org' }, reader);
        const res = await modA.send('POST', `/sites/${siteA}/bans`, {
          commentId: comment.id,
          kinds: ['email', 'client'],
          reason: 'Abuse',
        });
        expect(res.status).toBe(201);
        const { bans, deleted } = (await res.json()) as BanCreated;
        expect(deleted).toEqual([]);
        expect(bans.map((b) => [b.kind, b.label, b.reason, b.siteId])).toEqual([
          ['email', 'Troll', 'Abuse', siteA],
          ['client', 'Troll', 'Abuse', siteA],
        ]);

        // By client, whatever the email; by email, from any client.
        for (const [input, from] of [
          [{ email: 'other@example.org' }, reader],
          [{ email: 'TROLL@example.org' }, newReader()],
        ] as const) {
          const refused = await publicRequest(target(), 'POST', '/api/comments', {
            body: { site: siteA, url: newPage(), body: 'Back again', ...input },
            reader: from,
          });
          expect(refused.status).toBe(403);
          expect(((await refused.json()) as ErrorBody).error).toEqual({
            code: 'banned',
            message: 'You can no longer comment on this site',
          });
        }
        // Other sites are not affected.
        await postComment(target(), { site: siteB, url: newPage(), email: 'troll@example.org' }, reader);

        const listed = await modA.ok<Ban[]>('GET', `/sites/${siteA}/bans`);
        expect(listed.map((b) => b.id).sort()).toEqual(bans.map((b) => b.id).sort());
        const again = await modA.ok<BanCreated>('POST', `/sites/${siteA}/bans`, {
          commentId: comment.id,
          kinds: ['client'],
        });
        expect(again.bans.map((b) => b.id)).toEqual([bans[1]?.id]);

        for (const ban of bans) {
          expect(await modA.ok('DELETE', `/sites/${siteA}/bans/${ban.id}`)).toEqual({ deleted: true });
        }
        await postComment(target(), { site: siteA, url: newPage(), email: 'troll@example.org' }, reader);
        const audit = await ownerA.ok<AuditPage>('GET', `/audit?site=${siteA}`);
        const banEntries = audit.entries.filter((e) => e.action.startsWith('ban.')).slice(0, 3);
        // Banning by email and client at once is one action, one entry; each lift is its own.
        expect(banEntries.map((e) => [e.action, [...e.targetIds].sort()])).toEqual([
          ['ban.delete', [bans[1]?.id]],
          ['ban.delete', [bans[0]?.id]],
          ['ban.create', bans.map((b) => b.id).sort()],
        ]);
      });

      it('ends a ban after a day or a week; a ban for good stays until lifted', async (context) => {
        const clock = target().clock;
        if (!clock) return context.skip('the Worker’s clock cannot be moved');
        const [day, week, forever] = [newReader(), newReader(), newReader()];
        const ban = async (reader: string, duration: string) => {
          const { comment } = await held(siteA, {}, reader);
          const created = await modA.ok<BanCreated>('POST', `/sites/${siteA}/bans`, {
            commentId: comment.id,
            kinds: ['client'],
            duration,
          });
          return created.bans[0];
        };
        const byDay = await ban(day, 'day');
        const byWeek = await ban(week, 'week');
        await ban(forever, 'forever');
        expect(byDay?.expiresAt).toBe(clock.now() + DAY);
        expect(byWeek?.expiresAt).toBe(clock.now() + 7 * DAY);
        const tryPosting = (reader: string) =>
          publicRequest(target(), 'POST', '/api/comments', {
            body: { site: siteA, url: newPage(), body: 'Am I back?' },
            reader,
          });
        for (const reader of [day, week, forever]) expect((await tryPosting(reader)).status).toBe(403);
        clock.advance(DAY);
        try {
          expect((await tryPosting(day)).status).toBe(201);
          expect((await tryPosting(week)).status).toBe(403);
          const listed = await modA.ok<Ban[]>('GET', `/sites/${siteA}/bans`);
          expect(listed.map((b) => b.id)).not.toContain(byDay?.id);
          expect(listed.map((b) => b.id)).toContain(byWeek?.id);
          clock.advance(6 * DAY);
          expect((await tryPosting(week)).status).toBe(201);
          expect((await tryPosting(forever)).status).toBe(403);
          // Banned again, the same commenter's ban is renewed rather than repeated.
          const again = await ban(day, 'week');
          expect(again?.id).toBe(byDay?.id);
          expect((await tryPosting(day)).status).toBe(403);
        } finally {
          clock.advance(-7 * DAY);
        }
      });

      it('bans and deletes every comment of the commenter on the site in one step, logged once', async () => {
        const reader = newReader();
        const url = newPage();
        const first = await held(siteA, { url, name: 'Flooder', email: 'flood@example.org' }, reader);
        await act(modA, [first.comment.id], 'approve');
        const second = await held(siteA, { name: 'Flooder', email: 'flood@example.org' }, reader);
        const third = await held(siteA, { name: 'Flooder', email: 'FLOOD@example.org' }, newReader());
        const bystander = await held(siteA, { url, name: 'Bystander' });
        const elsewhere = await held(siteB, { email: 'flood@example.org' }, reader);

        const res = await modA.send('POST', `/sites/${siteA}/bans`, {
          commentId: first.comment.id,
          kinds: ['email'],
          duration: 'week',
          deleteComments: true,
        });
        expect(res.status, await res.clone().text()).toBe(201);
        const { bans, deleted } = (await res.json()) as BanCreated;
        expect(bans.map((b) => b.kind)).toEqual(['email']);
        expect(deleted.map((c) => [c.id, c.status]).sort()).toEqual(
          [
            [first.comment.id, 'deleted'],
            [second.comment.id, 'deleted'],
            [third.comment.id, 'deleted'],
          ].sort(),
        );
        const shown = (await readThread(target(), siteA, url)).comments.find(
          (c) => c.id === first.comment.id,
        );
        expect(shown?.html ?? '').not.toContain('A comment.');
        expect((await find(modA, siteA, bystander.comment.id))?.status).toBe('pending');
        expect((await find(admin, siteB, elsewhere.comment.id))?.status).toBe('pending');

        const { entries } = await ownerA.ok<AuditPage>('GET', `/audit?site=${siteA}`);
        expect(entries.slice(0, 2).map((e) => [e.action, e.targetIds.length])).toEqual([
          ['comment.delete', 3],
          ['ban.create', 1],
        ]);
        expect(entries[0]?.comments.map((c) => c.author)).toEqual(['Flooder', 'Flooder', 'Flooder']);
      });

      it('refuses a ban by email for a comment that gave none, and a comment of another site', async () => {
        const { comment } = await held(siteA);
        await expectAdminError(
          await modA.send('POST', `/sites/${siteA}/bans`, { commentId: comment.id, kinds: ['email'] }),
          422,
          'invalid_input',
          'kinds',
        );
        await expectAdminError(
          await admin.send('POST', `/sites/${siteB}/bans`, { commentId: comment.id, kinds: ['client'] }),
          422,
          'invalid_input',
          'commentId',
        );
        await expectAdminError(await modA.send('DELETE', `/sites/${siteA}/bans/nothing`), 404, 'not_found');
        await expectAdminError(
          await modA.send('POST', `/sites/${siteA}/bans`, {
            commentId: comment.id,
            kinds: ['client'],
            duration: 'month',
          }),
          422,
          'invalid_input',
          'duration',
        );
      });
    });

    describe('audit log and stats', () => {
      it('names the page and the actor: a moderator’s retitle and lock, with the page’s title and address', async () => {
        const url = newPage();
        const { comment } = await held(siteA, { url, title: 'Draft title' });
        const thread = (await threadOf(modA, comment.id)) ?? '';
        const changed = await modA.ok<AdminThread>('PATCH', `/threads/${thread}`, {
          title: '  How to mend a kettle ',
          locked: true,
        });
        expect(changed).toMatchObject({ title: 'How to mend a kettle', locked: true });
        const detail = await modA.ok<AdminThreadDetail>('GET', `/threads/${thread}`);
        expect(detail.thread.title).toBe('How to mend a kettle');
        await expectAdminError(
          await modA.send('PATCH', `/threads/${thread}`, { title: ' ' }),
          422,
          'invalid_input',
          'title',
        );
        await expectAdminError(await modA.send('PATCH', `/threads/${thread}`, {}), 422, 'invalid_input');

        const { entries } = await ownerA.ok<AuditPage>('GET', `/audit?site=${siteA}`);
        const mine = entries.filter((e) => e.targetId === thread);
        expect(mine.map((e) => [e.action, e.before, e.after])).toEqual([
          ['thread.lock', { locked: false }, { locked: true }],
          ['thread.retitle', { title: 'Draft title' }, { title: 'How to mend a kettle' }],
        ]);
        expect(mine[0]).toMatchObject({
          actor: { name: modA.session.user.name },
          thread: { id: thread, title: 'How to mend a kettle', url },
        });
      });

      it('shows each bulk action as one entry naming every comment, between the entries around it', async () => {
        const site = await newSite(admin, { moderation: 'all' });
        const ids: string[] = [];
        for (let i = 0; i < 8; i++) ids.push((await held(site, { body: `Number ${i}` })).comment.id);
        await act(admin, ids.slice(0, 3), 'spam');
        await act(admin, ids, 'approve');
        const first = await admin.ok<AuditPage>('GET', `/audit?site=${site}`);
        expect(first.entries[0]).toMatchObject({ action: 'comment.approve', targetIds: ids });
        expect(first.entries[0]?.comments).toHaveLength(8);
        expect(first.entries[1]).toMatchObject({ action: 'comment.spam', targetIds: ids.slice(0, 3) });
        expect(first.entries.map((e) => e.action)).toEqual([
          'comment.approve',
          'comment.spam',
          'site.update',
          'site.create',
        ]);
        expect(first.nextCursor).toBeNull();
      });

      it('pages the audit log newest first; a server owner sees every site', async () => {
        const entries: string[] = [];
        let cursor: string | null = null;
        do {
          const page: AuditPage = await ownerA.ok(
            'GET',
            `/audit?site=${siteA}${cursor ? `&cursor=${cursor}` : ''}`,
          );
          entries.push(...page.entries.map((e) => e.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(entries.length).toBeGreaterThan(10);
        expect([...entries].sort().reverse()).toEqual(entries);
        const mine = await ownerA.ok<AuditPage>('GET', '/audit');
        expect(mine.entries.every((e) => e.siteId === siteA)).toBe(true);
        const everything = await admin.ok<AuditPage>('GET', '/audit');
        expect(new Set(everything.entries.map((e) => e.siteId)).size).toBeGreaterThan(1);
      });

      it('counts comments per UTC day for 30 days, and those pending, spam and approved', async () => {
        const site = await newSite(admin, { moderation: 'all' });
        const a = await held(site);
        await held(site);
        await held(site, { website: 'http://bot.example' });
        await act(admin, [a.comment.id], 'approve');
        const stats = await admin.ok<Stats>('GET', `/stats?site=${site}`);
        expect(stats).toMatchObject({ pending: 1, spam: 1, approved: 1 });
        expect(stats.perDay).toHaveLength(30);
        const today = new Date(target().clock?.now() ?? Date.now()).toISOString().slice(0, 10);
        expect(stats.perDay.at(-1)).toEqual({ day: today, count: 3 });
        expect(stats.perDay.slice(0, -1).every((d) => d.count === 0)).toBe(true);
        const days = stats.perDay.map((d) => Date.parse(d.day));
        expect(days.every((day, i) => i === 0 || day - (days[i - 1] ?? 0) === 24 * 60 * 60_000)).toBe(true);
        const own = await modA.ok<Stats>('GET', '/stats');
        expect(own.pending).toBeGreaterThan(0);
      });
    });
  });
}
