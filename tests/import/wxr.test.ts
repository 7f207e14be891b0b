import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyedHash } from '../../server/crypto.ts';
import { ImportFormatError } from '../../server/import/records.ts';
import type { Store } from '../../server/store/store.ts';
import { fixtureText, importText, SECRET, sqliteStore, storedComments } from './support.ts';

describe('importing a WordPress export', () => {
  let store: Store;
  let close: () => Promise<void>;
  const wxr = fixtureText('wordpress.xml');

  beforeEach(async () => {
    ({ store, close } = await sqliteStore());
  });
  afterEach(() => close());

  it('brings each post over as a thread keyed like the widget keys it, with its title', async () => {
    await importText(store, 'wxr', wxr);
    const first = await store.findThread('default', 'slowmornings.example/2019/03/asking-first');
    const second = await store.findThread('default', 'slowmornings.example/2019/04/tea');
    expect(first).toMatchObject({ title: 'Why asking first is not weakness', comment_count: 8 });
    expect(second).toMatchObject({ title: 'Tomás on tea & patience', comment_count: 2 });
    // A page without comments makes no thread.
    expect(await store.findThread('default', 'slowmornings.example/about')).toBeUndefined();
  });

  it('keeps nesting, names, emails (hashed as for new comments), original times and statuses', async () => {
    const report = await importText(store, 'wxr', wxr);
    const rows = await storedComments(store);
    const byBody = (start: string) => rows.find((row) => row.body.startsWith(start));

    const gosia = byBody('Hello Inês');
    expect(gosia).toMatchObject({
      author_name: 'Małgorzata W.',
      author_email: 'gosia.w@example.org',
      email_hash: await keyedHash(SECRET, 'email:gosia.w@example.org'),
      status: 'approved',
      depth: 0,
      created_at: Date.UTC(2019, 2, 4, 9, 15),
    });
    expect(gosia?.body).toContain('\n\nSo I wrote.');
    expect(gosia?.body).toContain("within the hour & we're having coffee");
    expect(gosia?.html).toContain('<p>Thank you for the nudge. Dziękuję! 🌱</p>');
    expect(gosia?.client_hash).toBe((await keyedHash(SECRET, 'ip:198.51.100.7')).slice(0, 32));

    // Four levels of a conversation, each reply under the one it answers.
    const chain = ['Hello Inês', 'Gosia, this made', 'It went well', '❤️'].map(byBody);
    chain.forEach((row, depth) => {
      expect(row?.depth).toBe(depth);
      if (depth > 0) expect(row?.parent_id).toBe(chain[depth - 1]?.id);
      expect(row?.root_id).toBe(gosia?.id);
    });
    expect(byBody('It went well')?.body).toContain('[This is the path](https://www.example.org/river-walk)');
    expect(byBody('Gosia, this made')?.html).toContain('<em>everything</em>');

    expect(byBody('Great post!')?.status).toBe('spam');
    // WordPress leaves the GMT date at zeros for some held comments; the local date stands in.
    expect(byBody('Waiting in the queue')).toMatchObject({
      status: 'pending',
      created_at: Date.UTC(2019, 2, 12, 18, 45),
    });

    // A binned comment with a reply stays as a placeholder that keeps nothing of what was said.
    const ana = byBody("Please don't");
    const placeholder = rows.find((row) => row.id === ana?.parent_id);
    expect(placeholder).toMatchObject({
      status: 'deleted',
      body: '',
      html: '',
      author_name: '',
      author_email: null,
    });
    expect(rows.some((row) => row.body.includes('Nobody answered'))).toBe(false);
    expect(rows.some((row) => row.body.includes('as Inês put it'))).toBe(false);

    expect(report.comments).toEqual({
      read: 14,
      added: 13,
      alreadyPresent: 0,
      deletedWithoutReplies: 1,
      orphans: 0,
    });
    expect(report.added).toEqual({ approved: 10, pending: 1, spam: 1, deleted: 1 });
    expect(report.lost).toEqual({ 'author URLs': 5, 'pingbacks and trackbacks': 1 });
  });

  it("gives the Author badge to the post author's own comments only", async () => {
    await importText(store, 'wxr', wxr);
    const owners = (await storedComments(store)).filter((row) => row.is_owner === 1).map((row) => row.body);
    expect(owners).toEqual([
      expect.stringMatching(/^Gosia, this made/),
      '❤️',
      expect.stringMatching(/^Kenji, fair/),
      // Tomás wrote the second post; on the first, he is a reader like any other.
      expect.stringMatching(/^> just a reader\n\nNever just a reader/),
    ]);
  });

  it('adds nothing when the same file is imported again', async () => {
    await importText(store, 'wxr', wxr);
    const before = await storedComments(store);
    const again = await importText(store, 'wxr', wxr, { batchSize: 500 });
    expect(again.comments).toMatchObject({ added: 0, alreadyPresent: 13 });
    expect(await storedComments(store)).toEqual(before);
    expect(
      (await store.findThread('default', 'slowmornings.example/2019/03/asking-first'))?.comment_count,
    ).toBe(8);
  });

  it('refuses a malformed file naming the line, importing nothing; --partial imports the rest', async () => {
    const bad = wxr.replace(
      '<wp:comment_approved><![CDATA[spam]]>',
      '<wp:comment_approved><![CDATA[maybe]]>',
    );
    const line = bad.split('\n').findIndex((text) => text.includes('cheap pills')) + 1;
    const error = await importText(store, 'wxr', bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFormatError);
    expect((error as Error).message).toMatch(
      /^line \d+: <wp:comment_approved> "maybe" is not 1, 0, spam or trash$/,
    );
    expect(Number((error as ImportFormatError).where.slice(5))).toBe(line - 2);
    expect(await storedComments(store)).toEqual([]);

    const partial = await importText(store, 'wxr', bad, { partial: true });
    expect(partial.invalidCount).toBe(1);
    expect(partial.comments.added).toBe(12);
  });

  it('refuses XML that is not well-formed, with its line, and with --partial keeps what came before', async () => {
    const cut = wxr.replace('<wp:post_id>57</wp:post_id>', '<wp:post_id>57</wp:post_idd>');
    const error = await importText(store, 'wxr', cut).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^line \d+: not well-formed XML/);
    expect(await storedComments(store)).toEqual([]);
    const partial = await importText(store, 'wxr', cut, { partial: true });
    expect(partial.stoppedAt).toMatch(/^line \d+/);
    expect(partial.comments.added).toBe(11);
  });
});
