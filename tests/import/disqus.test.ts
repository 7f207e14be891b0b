import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyedHash } from '../../server/crypto.ts';
import type { Store } from '../../server/store/store.ts';
import { fixtureText, importText, SECRET, sqliteStore, storedComments } from './support.ts';

describe('importing a Disqus export', () => {
  let store: Store;
  let close: () => Promise<void>;
  const xml = fixtureText('disqus.xml');

  beforeEach(async () => {
    ({ store, close } = await sqliteStore());
  });
  afterEach(() => close());

  it('brings threads, replies (even one listed before its parent), statuses and authors over', async () => {
    const report = await importText(store, 'disqus', xml, { siteId: 'default' });
    const birds = await store.findThread('default', 'fieldnotes.example/2021/birds-at-dawn');
    expect(birds).toMatchObject({
      title: "Birds at dawn: a beginner's list",
      url: 'https://fieldnotes.example/2021/birds-at-dawn/',
      comment_count: 2,
    });
    expect(await store.findThread('default', 'fieldnotes.example/2021/owls')).toMatchObject({
      comment_count: 1,
    });

    const rows = await storedComments(store);
    const inBirds = rows.filter((row) => row.thread_id === birds?.id);
    const [first, placeholder, reply, spam] = inBirds;
    expect(first).toMatchObject({
      author_name: 'Jonas Weiß',
      author_email: null,
      email_hash: null,
      depth: 0,
      created_at: Date.parse('2021-05-01T07:30:00Z'),
      body: 'Lovely list. I heard a blackbird at 4:52 this morning — before any light at all.\n\nDoes anyone else keep a notebook by the window?',
    });
    expect(placeholder).toMatchObject({ status: 'deleted', parent_id: first?.id, body: '', author_name: '' });
    expect(reply).toMatchObject({
      parent_id: placeholder?.id,
      depth: 2,
      author_email: 'guest@example.net',
      email_hash: await keyedHash(SECRET, 'email:guest@example.net'),
    });
    expect(spam).toMatchObject({ status: 'spam', body: 'buy followers http://spam.example' });
    expect(rows.find((row) => row.thread_id !== birds?.id)?.body).toBe(
      'Barn owls at the edge of the field every night this week.\nSilent as paper.',
    );
    expect(report.comments).toMatchObject({ read: 5, added: 5, orphans: 0 });
    expect(report.lost).toEqual({ 'Disqus user names and avatars': 2 });
  });

  it('adds nothing the second time', async () => {
    await importText(store, 'disqus', xml);
    const again = await importText(store, 'disqus', xml);
    expect(again.comments).toMatchObject({ added: 0, alreadyPresent: 5 });
    expect(await storedComments(store)).toHaveLength(5);
  });

  it('keeps a reply whose parent is missing from the file, as a top-level comment', async () => {
    const orphan = xml.replace('<parent dsq:id="7002" />', '<parent dsq:id="404" />');
    const report = await importText(store, 'disqus', orphan);
    expect(report.comments.orphans).toBe(1);
    const rows = await storedComments(store);
    expect(rows.find((row) => row.body.startsWith('Yes! Mine'))).toMatchObject({ parent_id: null, depth: 0 });
    // Its old parent, deleted and now without a reply, is not brought over.
    expect(rows.filter((row) => row.status === 'deleted')).toEqual([]);
  });
});
