import { beforeAll, describe, expect, it } from 'vitest';
import type { AdminComment, AdminCommentsPage } from '../../shared/admin-schemas.ts';
import type { ApiTarget } from '../api/target.ts';
import { type AdminClient, signIn } from './client.ts';
import { newMember, newPage, newSite, postComment, readThread } from './site-fixtures.ts';

/** A member's reply from the dashboard, as the dashboard and readers see it. */
export function ownerReplySuite(target: () => ApiTarget) {
  describe('owner replies', () => {
    let site: string;
    let owner: AdminClient;

    beforeAll(async () => {
      const admin = await signIn(target());
      site = await newSite(admin, { moderation: 'none' });
      owner = await newMember(target(), admin, site, 'owner');
    });

    const reply = async (commentId: string, body: string) => {
      const res = await owner.send('POST', `/comments/${commentId}/replies`, { body });
      expect(res.status, await res.clone().text()).toBe(201);
      return (await res.json()) as AdminComment;
    };

    it('answers with the comment it replies to: its id, author and the start of its text', async () => {
      const url = newPage();
      const { comment } = await postComment(target(), {
        site,
        url,
        name: 'Ingrid',
        body: 'Does this work on *Workers* too?',
      });
      const answer = await reply(comment.id, 'It does.');
      expect(answer.parent).toEqual({
        id: comment.id,
        author: { name: 'Ingrid' },
        excerpt: 'Does this work on *Workers* too?',
      });
      // The queue shows the same reply the same way.
      const queue = await owner.ok<AdminCommentsPage>('GET', `/comments?site=${site}`);
      expect(queue.comments.find((c) => c.id === answer.id)?.parent).toEqual(answer.parent);
    });

    it('gives one email one avatar, written from the widget or from the dashboard', async () => {
      const url = newPage();
      const email = owner.session.user.email;
      const { comment } = await postComment(target(), {
        site,
        url,
        name: 'Same person',
        email: email.toUpperCase(),
        body: 'From the widget.',
      });
      const answer = await reply(comment.id, 'From the dashboard.');
      expect(answer.author.avatar).toBe(comment.author.avatar);
      const thread = await readThread(target(), site, url);
      expect(thread.comments.map((c) => c.author.avatar)).toEqual([
        comment.author.avatar,
        comment.author.avatar,
      ]);
    });
  });
}
