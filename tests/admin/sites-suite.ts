import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, Site } from '../../shared/admin-schemas.ts';
import { DEFAULT_SITE_SETTINGS } from '../../shared/admin-schemas.ts';
import type { ApiTarget } from '../api/target.ts';
import { type AdminClient, adminRequest, expectAdminError, signIn } from './client.ts';
import { newMember, newPage, newSite, postComment, publicRequest } from './site-fixtures.ts';

interface ExportFile {
  site: { id: string; name: string };
  exportedAt: number;
  comments: Array<{
    id: string;
    status: string;
    body: string;
    html: string;
    thread: { url: string; title: string | null };
    author: { name: string; email: string | null };
    createdAt: number;
  }>;
}

/** Creating, reading and changing sites, and exporting their comments. */
export function sitesSuite(target: () => ApiTarget) {
  describe('sites', () => {
    let admin: AdminClient;
    let site: string;
    let other: string;
    let owner: AdminClient;
    let moderator: AdminClient;

    beforeAll(async () => {
      admin = await signIn(target());
      [site, other] = [await newSite(admin), await newSite(admin)];
      owner = await newMember(target(), admin, site, 'owner');
      moderator = await newMember(target(), admin, site, 'moderator');
    });

    it('answers 401 to an anonymous caller on every site route, before looking at the input', async () => {
      const routes: Array<[string, string]> = [
        ['GET', '/sites'],
        ['POST', '/sites'],
        ['GET', `/sites/${site}`],
        ['PATCH', `/sites/${site}`],
        ['GET', `/sites/${site}/export`],
      ];
      for (const [method, path] of routes) {
        const res = await adminRequest(target(), method, path, method === 'GET' ? {} : { body: { bad: 1 } });
        expect(`${method} ${path}: ${res.status}`).toBe(`${method} ${path}: 401`);
      }
    });

    it('refuses 403 to members of one site on every route of another, and to non-admins creating sites', async () => {
      const routes: Array<[string, string, unknown?]> = [
        ['GET', `/sites/${other}`],
        ['PATCH', `/sites/${other}`, { name: 'Taken over' }],
        ['GET', `/sites/${other}/export`],
        ['GET', '/sites/no-such-site'],
        ['POST', '/sites', { id: 'by-a-member', name: 'Mine', origins: ['https://mine.example'] }],
      ];
      for (const member of [owner, moderator]) {
        for (const [method, path, body] of routes) {
          const res = await member.send(method, path, body);
          expect(`${method} ${path}: ${res.status}`).toBe(`${method} ${path}: 403`);
          expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
        }
      }
      await expectAdminError(await admin.send('GET', '/sites/no-such-site'), 404, 'not_found');
    });

    it('lets only owners change settings or export; moderators may read the site', async () => {
      const read = await moderator.ok<Site>('GET', `/sites/${site}`);
      expect(read).toMatchObject({ id: site, access: 'moderator' });
      await expectAdminError(
        await moderator.send('PATCH', `/sites/${site}`, { name: 'x' }),
        403,
        'forbidden',
      );
      await expectAdminError(await moderator.send('GET', `/sites/${site}/export`), 403, 'forbidden');
      expect((await owner.ok<Site>('GET', `/sites/${site}`)).access).toBe('owner');
    });

    it('refuses a site change without the CSRF token', async () => {
      const res = await adminRequest(target(), 'PATCH', `/sites/${site}`, {
        cookie: owner.cookie,
        body: { name: 'Forged' },
      });
      await expectAdminError(res, 403, 'csrf');
      expect((await owner.ok<Site>('GET', `/sites/${site}`)).name).not.toBe('Forged');
    });

    it('creates a site with its origins normalized and the default settings, once per id', async () => {
      const id = `created-${Date.now().toString(36)}`;
      const res = await admin.send('POST', '/sites', {
        id,
        name: 'A new blog',
        origins: ['https://Blog.Example.com:443', 'http://localhost:4000'],
      });
      expect(res.status).toBe(201);
      const created = (await res.json()) as Site;
      expect(created).toMatchObject({ id, name: 'A new blog', access: 'admin' });
      expect(created.settings.origins).toEqual(['https://blog.example.com', 'http://localhost:4000']);
      expect(created.settings).toMatchObject({
        moderation: 'none',
        maxLinks: DEFAULT_SITE_SETTINGS.maxLinks,
      });
      const again = await admin.send('POST', '/sites', { id, name: 'Again', origins: ['https://x.example'] });
      await expectAdminError(again, 409, 'conflict', 'id');
      const listed = await admin.ok<Site[]>('GET', '/sites');
      expect(listed.map((s) => s.id)).toContain(id);
    });

    it.each([
      ['an id with capitals', { id: 'Bad-Id', name: 'x', origins: ['https://a.example'] }, 'id'],
      ['no origins', { id: 'no-origins', name: 'x', origins: [] }, 'origins'],
      [
        'an origin without a scheme',
        { id: 'no-scheme', name: 'x', origins: ['blog.example.com'] },
        'origins.0',
      ],
      [
        'an origin of another scheme',
        { id: 'ftp-origin', name: 'x', origins: ['https://a.example', 'ftp://a.example'] },
        'origins.1',
      ],
      ['an empty name', { id: 'no-name', name: ' ', origins: ['https://a.example'] }, 'name'],
    ])('refuses a site with %s, naming the field', async (_label, body, field) => {
      await expectAdminError(await admin.send('POST', '/sites', body), 422, 'invalid_input', field);
    });

    it('lists to a member only the sites they have a role on', async () => {
      const listed = await moderator.ok<Site[]>('GET', '/sites');
      expect(listed.map((s) => [s.id, s.access])).toEqual([[site, 'moderator']]);
    });

    it('shows the default site with the server configuration filling the settings it never set', async () => {
      const view = await admin.ok<Site>('GET', '/sites/default');
      // TARGET_ENV: PARLEY_MAX_DEPTH=3, PARLEY_EDIT_WINDOW_MS=900000.
      expect(view.settings).toMatchObject({
        origins: [],
        maxDepth: 3,
        editWindowMinutes: 15,
        moderation: 'none',
      });
    });

    it('merges a partial settings change, audits only what changed, and reaches readers at once', async () => {
      const url = newPage();
      await postComment(target(), { site, url });
      const path = `/api/comments?site=${site}&url=${encodeURIComponent(url)}`;
      const first = await publicRequest(target(), 'GET', path);
      const etag = first.headers.get('etag') ?? '';

      const before = await owner.ok<Site>('GET', `/sites/${site}`);
      const changed = await owner.ok<Site>('PATCH', `/sites/${site}`, {
        name: 'Renamed',
        settings: { requireName: true, maxLinks: before.settings.maxLinks },
      });
      expect(changed.name).toBe('Renamed');
      expect(changed.settings).toEqual({ ...before.settings, requireName: true });

      const revalidated = await publicRequest(target(), 'GET', path, { headers: { 'If-None-Match': etag } });
      expect(revalidated.status).toBe(200);
      expect(
        ((await revalidated.json()) as { settings: { requireName: boolean } }).settings.requireName,
      ).toBe(true);

      const audit = await owner.ok<AuditPage>('GET', `/audit?site=${site}`);
      const entry = audit.entries.find((e) => e.action === 'site.update');
      expect(entry).toMatchObject({
        siteId: site,
        targetId: site,
        before: { name: before.name, requireName: false },
        after: { name: 'Renamed', requireName: true },
      });
      expect(entry?.after).not.toHaveProperty('maxLinks');
      expect(audit.entries.map((e) => e.action)).toContain('site.create');
    });

    it('keeps only scheme, host and port of origins copied from the address bar', async () => {
      const id = `copied-${Date.now().toString(36)}`;
      const created = await admin.ok<Site>('POST', '/sites', {
        id,
        name: 'Copied',
        origins: ['https://Blog.Example.com/', ' HTTPS://blog.example.com/posts/hello?x=1#top '],
      });
      expect(created.settings.origins).toEqual(['https://blog.example.com']);
      const changed = await admin.ok<Site>('PATCH', `/sites/${id}`, {
        settings: { origins: ['http://localhost:4000/', 'https://www.example.org/blog/'] },
      });
      expect(changed.settings.origins).toEqual(['http://localhost:4000', 'https://www.example.org']);
      const res = await publicRequest(target(), 'POST', '/api/comments', {
        body: { site: id, url: 'https://www.example.org/blog/a', body: 'From the saved origin' },
        origin: 'https://www.example.org',
      });
      expect(res.status, await res.clone().text()).toBe(201);
    });

    it.each([
      [
        'an origin that is not one',
        { origins: ['https://ok.example', 'not an origin'] },
        'settings.origins.1',
      ],
      ['an origin with credentials', { origins: ['https://user:pw@a.example'] }, 'settings.origins.0'],
      ['a moderation mode that does not exist', { moderation: 'sometimes' }, 'settings.moderation'],
      ['a negative edit window', { editWindowMinutes: -1 }, 'settings.editWindowMinutes'],
      ['a reply depth over the limit', { maxDepth: 65 }, 'settings.maxDepth'],
      ['a blank blocked word', { blockedWords: [' '] }, 'settings.blockedWords.0'],
    ])('refuses %s, naming the field', async (_label, settings, field) => {
      const res = await owner.send('PATCH', `/sites/${site}`, { settings });
      await expectAdminError(res, 422, 'invalid_input', field);
    });

    it('exports every comment of the site, any status, with emails, as a download', async () => {
      const exportedSite = await newSite(admin);
      const url = newPage();
      const kept = await postComment(target(), {
        site: exportedSite,
        url,
        title: 'Exported post',
        name: 'Ada',
        email: 'Ada@Example.org',
        body: 'Keep *this*',
      });
      const spam = await postComment(target(), { site: exportedSite, url, website: 'http://spam.example' });
      await postComment(target(), { site: other, url });
      const res = await admin.send('GET', `/sites/${exportedSite}/export`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(
        new RegExp(`^attachment; filename="parley-${exportedSite}-\\d{4}-\\d{2}-\\d{2}\\.json"$`),
      );
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const file = (await res.json()) as ExportFile;
      expect(file.site.id).toBe(exportedSite);
      expect(file.comments.map((c) => [c.id, c.status])).toEqual([
        [kept.comment.id, 'approved'],
        [spam.comment.id, 'spam'],
      ]);
      expect(file.comments[0]).toMatchObject({
        body: 'Keep *this*',
        html: '<p>Keep <em>this</em></p>\n',
        thread: { url, title: 'Exported post' },
        author: { name: 'Ada', email: 'ada@example.org' },
        createdAt: kept.comment.createdAt,
      });
    });

    it('exports an empty site as a valid file', async () => {
      const empty = await newSite(admin);
      const file = (await (await admin.send('GET', `/sites/${empty}/export`)).json()) as ExportFile;
      expect(file.comments).toEqual([]);
    });
  });
}
