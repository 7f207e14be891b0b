import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommentEvent } from '../../server/events.ts';
import { type AdminClient, signIn } from '../admin/client.ts';
import { newPage, newSite, postComment, publicRequest } from '../admin/site-fixtures.ts';
import { openSqliteTarget } from '../support/targets.ts';
import type { ApiTarget } from './target.ts';

/*
 * Every write that changes what readers see is told once to the app's followers (mail, webhooks, live threads),
 * whichever route made it.
 */
describe('comment events', () => {
  let target: ApiTarget;
  let owner: AdminClient;
  const heard: CommentEvent[] = [];

  beforeAll(async () => {
    target = await openSqliteTarget();
    target.events?.listen((event) => {
      heard.push(event);
    });
    owner = await signIn(target);
  });
  afterAll(() => target.close());

  const settled = async () => {
    await target.events?.settle();
    return heard.splice(0).map(({ type, comment }) => `${type}:${comment.id}:${comment.status}`);
  };

  it('tells of a reader posting, editing and deleting', async () => {
    const site = await newSite(owner);
    const url = newPage();
    const first = await postComment(target, { site, url, body: 'First.' });
    expect(await settled()).toEqual([`created:${first.comment.id}:approved`]);

    const auth = { Authorization: `Bearer ${first.editToken}` };
    const edit = await publicRequest(target, 'PATCH', `/api/comments/${first.comment.id}`, {
      body: { body: 'First, edited.' },
      headers: auth,
    });
    expect(edit.status).toBe(200);
    expect(heard[0]?.comment.body).toBe('First, edited.');
    expect(heard[0]?.previous?.body).toBe('First.');
    expect(await settled()).toEqual([`edited:${first.comment.id}:approved`]);

    const removed = await publicRequest(target, 'DELETE', `/api/comments/${first.comment.id}`, {
      headers: auth,
    });
    expect(removed.status).toBe(200);
    expect(await settled()).toEqual([`deleted:${first.comment.id}:approved`]);
  });

  it('tells of a held comment, then of its approval, a pin and a removal by a moderator', async () => {
    const site = await newSite(owner, { moderation: 'all' });
    const held = await postComment(target, { site, url: newPage(), body: 'Held.' });
    const id = held.comment.id;
    expect(await settled()).toEqual([`created:${id}:pending`]);

    for (const action of ['approve', 'pin', 'spam']) {
      await owner.ok('POST', '/comments/actions', { ids: [id], action });
    }
    expect(await settled()).toEqual([
      `approved:${id}:approved`,
      `updated:${id}:approved`,
      `deleted:${id}:spam`,
    ]);
  });

  it('tells of a moderator reply as a new comment', async () => {
    const site = await newSite(owner);
    const parent = await postComment(target, { site, url: newPage() });
    await settled();
    const reply = await owner.ok<{ id: string }>('POST', `/comments/${parent.comment.id}/replies`, {
      body: 'Thanks.',
    });
    expect(await settled()).toEqual([`created:${reply.id}:approved`]);
  });
});
