import { afterAll, describe, expect, it } from 'vitest';
import type { AdminCommentsPage, Site } from '../../shared/admin-schemas.ts';
import type { ApiTarget } from '../api/target.ts';
import { fixtureText } from '../import/support.ts';
import { pgAvailable } from '../support/postgres.ts';
import { openPostgresTarget, openSqliteTarget } from '../support/targets.ts';
import { openWorkerTarget, workerdAvailable } from '../support/workerd.ts';
import { type AdminClient, expectAdminError, signIn } from './client.ts';
import { newPage, newSite, postComment, publicRequest, readThread } from './site-fixtures.ts';

interface ExportFile {
  format: string;
  version: number;
  site: { id: string; name: string };
  sites: Array<{ id: string; name: string }>;
  comments: Array<Record<string, unknown> & { id: string; status: string }>;
}

/** Sends a file as the dashboard uploads it: the bytes as they are, with the session's CSRF token. */
function upload(target: ApiTarget, client: AdminClient, path: string, file: string) {
  return target.request(`/admin/api${path}`, {
    method: 'POST',
    headers: { Cookie: client.cookie, 'X-CSRF-Token': client.session.csrfToken, 'Content-Type': 'text/xml' },
    body: file,
  });
}

/** A site with every kind of comment Parley keeps: replies, the author's own, held, spam, a placeholder, pins. */
async function richSite(target: ApiTarget, admin: AdminClient) {
  const site = await newSite(admin);
  const url = newPage();
  const first = await postComment(target, {
    site,
    url,
    title: 'Round trip — “quoted”',
    name: 'Ada Lovelace',
    email: 'Ada@Example.org',
    body: 'First, with *markdown* and a [link](https://example.org).\n\nSecond paragraph, ünïcödé 🌿',
  });
  const reply = await postComment(target, {
    site,
    url,
    parentId: first.comment.id,
    name: 'Bo',
    body: 'A reply',
  });
  const deep = await postComment(target, {
    site,
    url,
    parentId: reply.comment.id,
    name: 'Cy',
    body: 'Deeper',
  });
  await admin.ok('POST', `/comments/${first.comment.id}/replies`, { body: 'Thanks, from the author' });
  await postComment(target, { site, url, name: 'Bot', website: 'http://bot.example', body: 'spam' });
  await admin.ok('PATCH', `/sites/${site}`, { settings: { moderation: 'all' } });
  await postComment(target, {
    site,
    url: newPage(),
    name: 'Held',
    email: 'held@example.org',
    body: 'Held back',
  });
  // The reply's author deletes it: it has a reply, so a placeholder stays.
  const deleted = await publicRequest(target, 'DELETE', `/api/comments/${reply.comment.id}`, {
    headers: { Authorization: `Bearer ${reply.editToken}` },
  });
  expect(deleted.status, await deleted.clone().text()).toBe(200);
  await admin.ok('POST', '/comments/actions', { ids: [first.comment.id], action: 'pin' });
  await admin.ok('PATCH', `/comments/${deep.comment.id}`, { body: 'Deeper, tidied by a moderator' });
  const page = await admin.ok<AdminCommentsPage>('GET', `/comments?site=${site}`);
  const thread = page.comments.find((c) => c.id === first.comment.id)?.thread.id ?? '';
  await admin.ok('PATCH', `/threads/${thread}`, { locked: true });
  return { site, url };
}

function roundTrip(name: string, open: () => Promise<ApiTarget>) {
  describe(`export and import on ${name}`, () => {
    let to: ApiTarget | undefined;
    let destination: AdminClient;
    afterAll(() => to?.close());

    it('moves a site to another server with every field of every comment as it was, and adds nothing twice', async () => {
      // One server after the other: two PostgreSQL schemas migrated in one process confuse the migrator, which
      // looks for its tables in every schema.
      const from = await open();
      let exported: string;
      let everything: ExportFile;
      let site: string;
      let url: string;
      let siteName: string;
      let before: Awaited<ReturnType<typeof readThread>>;
      try {
        const source = await signIn(from);
        ({ site, url } = await richSite(from, source));
        exported = await (await source.send('GET', `/sites/${site}/export`)).text();
        siteName = (await source.ok<Site>('GET', `/sites/${site}`)).name;
        before = await readThread(from, site, url);
        everything = (await (await source.send('GET', '/export')).json()) as ExportFile;
      } finally {
        await from.close();
      }
      const file = JSON.parse(exported) as ExportFile;
      expect(file).toMatchObject({ format: 'parley', version: 1, site: { id: site }, sites: [{ id: site }] });
      expect(file.comments.map((c) => c.status).sort()).toEqual([
        'approved',
        'approved',
        'approved',
        'deleted',
        'pending',
        'spam',
      ]);
      // One comment a line, so that a file of any size can be read as a stream.
      expect(exported.split('\n')).toHaveLength(file.comments.length + 3);
      // The export of everything holds every site, this one's comments included.
      expect(everything.sites.map((s) => s.id)).toEqual(expect.arrayContaining(['default', site]));
      expect(everything.comments.filter((c) => c.site === site)).toEqual(file.comments);

      to = await open();
      destination = await signIn(to);
      await destination.ok('POST', '/sites', {
        id: site,
        name: siteName,
        origins: ['https://blog.example.test'],
      });
      const res = await upload(to, destination, `/sites/${site}/import`, exported);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await res.json()).toMatchObject({ format: 'parley', comments: { read: 6, added: 6 } });

      const again = (await (await destination.send('GET', `/sites/${site}/export`)).json()) as ExportFile;
      expect(again.comments).toEqual(file.comments);
      // Readers see the same thread: order, nesting, badge, pin, placeholder, lock.
      const after = await readThread(to, site, url);
      expect(after.comments).toEqual(before.comments);
      expect(after.thread).toMatchObject({ locked: true });

      const twice = await upload(to, destination, `/sites/${site}/import`, exported);
      expect(await twice.json()).toMatchObject({ comments: { added: 0, alreadyPresent: 6 } });
    }, 180_000);

    it('imports a WordPress file from the dashboard, and refuses a malformed one naming the line', async () => {
      if (!to) throw new Error('The first test opens the server');
      const site = await newSite(destination);
      const wxr = fixtureText('wordpress.xml');
      const broken = wxr.replace('<wp:post_id>57', '<wp:post_idd>57');
      const bad = await upload(to, destination, `/sites/${site}/import`, broken);
      const body = await expectAdminError(bad, 422, 'invalid_input', 'file');
      expect(body.error.fields?.file).toMatch(/^line \d+: not well-formed XML/);
      const page = await destination.ok<AdminCommentsPage>('GET', `/comments?site=${site}`);
      expect(page.comments).toEqual([]);

      const res = await upload(to, destination, `/sites/${site}/import`, wxr);
      expect(await res.json()).toMatchObject({
        format: 'wxr',
        comments: { added: 13 },
        lost: { 'author URLs': 5 },
      });
      const thread = await readThread(to, site, 'https://slowmornings.example/2019/03/asking-first/');
      expect(thread.comments.map((c) => [c.depth, c.author.name])).toContainEqual([3, 'Inês Carvalho']);
      await expectAdminError(
        await upload(to, destination, `/sites/${site}/import`, 'hello'),
        422,
        'invalid_input',
      );
    }, 60_000);
  });
}

roundTrip('SQLite', () => openSqliteTarget());
describe.runIf(pgAvailable)('PostgreSQL', () => roundTrip('PostgreSQL', () => openPostgresTarget()));
describe.runIf(workerdAvailable)('D1 in workerd', () => roundTrip('D1 in workerd', openWorkerTarget));
