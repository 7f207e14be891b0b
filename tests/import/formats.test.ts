import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectFormat } from '../../server/import/detect.ts';
import { importComments } from '../../server/import/writer.ts';
import { readIsso } from '../../server/node/isso.ts';
import type { Store } from '../../server/store/store.ts';
import { fixtureText, importText, NOW, SECRET, sqliteStore, storedComments } from './support.ts';

describe('format detection', () => {
  it('tells every format from the start of its file', () => {
    expect(detectFormat(fixtureText('wordpress.xml'))).toBe('wxr');
    expect(detectFormat(fixtureText('disqus.xml'))).toBe('disqus');
    expect(detectFormat(fixtureText('remark42-backup.jsonl'))).toBe('remark42');
    expect(detectFormat(fixtureText('commento.json'))).toBe('commento');
    expect(detectFormat('{"format":"parley","version":1,"sites":[],"comments":[\n]}\n')).toBe('parley');
    expect(detectFormat('SQLite format 3\u0000…')).toBe('isso');
    expect(detectFormat('<html><body>not an export</body></html>')).toBeUndefined();
    expect(detectFormat('{"some":"json"}')).toBeUndefined();
  });
});

describe('importing other formats', () => {
  let store: Store;
  let dir: string;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dir, close } = await sqliteStore());
  });
  afterEach(() => close());

  it('reads a Remark42 backup: markdown as written, admins as the author, pins, edits and placeholders', async () => {
    const report = await importText(store, 'remark42', fixtureText('remark42-backup.jsonl'));
    const [lea, owner, placeholder, jun] = await storedComments(store);
    expect(await store.findThread('default', 'notes.example/trains')).toMatchObject({ title: 'On trains' });
    expect(lea).toMatchObject({
      body: 'Night trains are back! Took the one to Vienna last spring.',
      is_owner: 0,
    });
    expect(owner).toMatchObject({
      body: 'Same! The *sleeper* was tiny but fine.',
      is_owner: 1,
      pinned: 1,
      parent_id: lea?.id,
      edited_at: Date.parse('2022-04-10T09:35:00Z'),
    });
    expect(placeholder).toMatchObject({ status: 'deleted', parent_id: owner?.id, author_name: '' });
    expect(jun).toMatchObject({ body: 'Why was that removed?', parent_id: placeholder?.id, depth: 3 });
    expect(report.lost).toEqual({ 'votes and scores': 1, avatars: 1 });
  });

  it('reads a Commento export: pages from domain and path, moderators as the author, held and flagged', async () => {
    const report = await importText(store, 'commento', fixtureText('commento.json'));
    const rows = await storedComments(store);
    expect(await store.findThread('default', 'recipes.example/bread/sourdough')).toMatchObject({
      comment_count: 2,
    });
    const byBody = (start: string) => rows.find((row) => row.body.startsWith(start));
    expect(byBody('My starter')).toMatchObject({ author_name: 'Hannah', author_email: 'hannah@example.org' });
    expect(byBody('So glad')).toMatchObject({ is_owner: 1, parent_id: byBody('My starter')?.id });
    expect(byBody('Can I use rye')).toMatchObject({ status: 'pending', author_name: 'Anonymous' });
    expect(byBody('cheap watches')?.status).toBe('spam');
    expect(report.lost).toEqual({ 'votes and scores': 1, 'author URLs': 1 });
  });

  it('reads an Isso database, with page paths made whole by the base URL', async () => {
    const path = join(dir, 'comments.db');
    const isso = new SQLite(path);
    isso.exec(`
      create table threads (id integer primary key, uri varchar(256) unique, title varchar(256));
      create table comments (tid references threads(id), id integer primary key, parent integer, created float not null,
        modified float, mode integer, remote_addr varchar, text varchar, author varchar, email varchar,
        website varchar, likes integer default 0, dislikes integer default 0, voters blob not null default '',
        notification integer default 0);
      insert into threads values (1, '/posts/kites/', 'Kites in winter');
      insert into comments values (1, 1, null, 1600000000.5, null, 1, '192.0.2.0', 'Flew one **yesterday**.', 'Ola', 'ola@example.org', 'https://ola.example', 2, 0, '', 0);
      insert into comments values (1, 2, 1, 1600000100, 1600000200, 4, '192.0.2.0', '', null, null, null, 0, 0, '', 0);
      insert into comments values (1, 3, 2, 1600000300, null, 1, '192.0.2.0', 'Reply to a deleted one', 'Per', null, null, 0, 0, '', 0);
      insert into comments values (1, 4, null, 1600000400, null, 2, '192.0.2.0', 'Held', 'New', null, null, 0, 0, '', 0);
    `);
    isso.close();
    const options = { format: 'isso' as const, secret: SECRET, now: NOW };
    await expect(importComments(store, () => readIsso(path, undefined), options)).rejects.toThrow(
      /--base-url/,
    );
    const report = await importComments(store, () => readIsso(path, 'https://kites.example'), options);
    const [ola, placeholder, per, held] = await storedComments(store);
    expect(await store.findThread('default', 'kites.example/posts/kites')).toMatchObject({
      title: 'Kites in winter',
    });
    expect(ola).toMatchObject({
      body: 'Flew one **yesterday**.',
      created_at: 1600000000500,
      author_email: 'ola@example.org',
    });
    expect(placeholder).toMatchObject({ status: 'deleted', parent_id: ola?.id });
    expect(per).toMatchObject({ parent_id: placeholder?.id, depth: 2 });
    expect(held?.status).toBe('pending');
    expect(report.lost).toEqual({ 'author URLs': 1, 'votes and scores': 1 });
  });

  it('refuses a Parley export with a broken line, naming it, and reads a reformatted one whole', async () => {
    const line = JSON.stringify({
      id: '0kpfye5c0kq7nw30',
      site: 'default',
      thread: { key: 'a.example/p', url: 'https://a.example/p', title: 'P', locked: 0 },
      parentId: null,
      status: 'approved',
      statusReason: null,
      body: 'Hi',
      html: '<p>Hi</p>\n',
      author: { name: 'A', email: null, avatar: 'abcdef', isOwner: false },
      pinned: false,
      editedByModerator: false,
      createdAt: 1_700_000_000_000,
      editedAt: null,
    });
    const head =
      '{"format":"parley","version":1,"exportedAt":1,"sites":[{"id":"default","name":"D"}],"comments":[';
    const broken = `${head}\n${line}\n,{"id":"x"}\n]}\n`;
    await expect(importText(store, 'parley', broken)).rejects.toThrow(/^line 3: /);
    expect(await storedComments(store)).toEqual([]);
    const pretty = JSON.stringify(JSON.parse(`${head}${line}]}`), null, 2);
    const report = await importText(store, 'parley', pretty);
    expect(report.comments.added).toBe(1);
    expect((await storedComments(store))[0]).toMatchObject({
      id: '0kpfye5c0kq7nw30',
      avatar: 'abcdef',
      html: '<p>Hi</p>\n',
    });
  });
});
