import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/node/database.ts';
import { kyselyStore } from '../../server/store/kysely-store.ts';
import type { Store } from '../../server/store/store.ts';
import type { NotificationsView } from '../../shared/admin-schemas.ts';
import { signIn } from '../admin/client.ts';
import { newPage, newSite, postComment, readThread } from '../admin/site-fixtures.ts';
import type { ApiTarget } from '../api/target.ts';
import { inProcessTarget } from '../support/in-process.ts';

// No transport configured (a sender alone is not enough): everything works, and says mail is off.
describe('with no mail configured', () => {
  let target: ApiTarget;
  let store: Store;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-mail-off-'));
    store = kyselyStore(openDatabase(`file:${join(dir, 'parley.db')}`));
    await store.migrate();
    target = inProcessTarget(store, () => store.close(), { PARLEY_MAIL_FROM: 'Parley <c@example.test>' });
  });
  afterAll(async () => {
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts, holds and moderates as before, queues nothing, and the session, settings and thread say mail is off', async () => {
    const owner = await signIn(target);
    expect(owner.session.mail).toBe(false);
    const site = await newSite(owner, { moderation: 'all' });
    expect(await owner.ok<NotificationsView>('GET', `/sites/${site}/notifications`)).toEqual({
      level: 'held',
      mail: false,
    });
    expect(
      await owner.ok<NotificationsView>('PATCH', `/sites/${site}/notifications`, { level: 'all' }),
    ).toEqual({
      level: 'all',
      mail: false,
    });
    const url = newPage();
    const { comment } = await postComment(target, {
      site,
      url,
      email: 'reader@example.test',
      body: 'Mail me',
      notify: true,
      browserKey: 'some-browser-key-aaaaaaaaaa',
    });
    expect(comment.status).toBe('pending');
    await owner.ok('POST', '/comments/actions', { ids: [comment.id], action: 'approve' });
    const thread = await readThread(target, site, url);
    expect(thread.comments.map((each) => each.id)).toEqual([comment.id]);
    expect(thread.settings.mail).toBeUndefined();
    await target.events?.settle();
    expect(await store.listMail(10)).toEqual([]);
  });
});
