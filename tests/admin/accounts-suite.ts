import { describe, expect, it } from 'vitest';
import type {
  AdminComment,
  AuditPage,
  Member,
  Passkey,
  PendingInvite,
  SessionRecord,
  SessionView,
  User,
} from '../../shared/admin-schemas.ts';
import type { CreatedComment, ThreadView } from '../../shared/schemas.ts';
import type { ApiTarget } from '../api/target.ts';
import {
  type AdminClient,
  adminRequest,
  clientFor,
  cookieFrom,
  expectAdminError,
  OWNER,
  signIn,
} from './client.ts';
import {
  type CreationOptions,
  type RequestOptions,
  SoftwareAuthenticator,
} from './software-authenticator.ts';

const DAY = 24 * 60 * 60_000;
const PASSWORD = 'a long enough password';

/** Members and invites, the caller's password and sessions, and passkeys. */
export function accountsSuite(target: () => ApiTarget) {
  let people = 0;
  let sites = 0;

  /** A new site made by the server owner through the API. */
  async function newSite(admin: AdminClient): Promise<string> {
    const id = `acct-${++sites}-${Date.now().toString(36)}`;
    await admin.ok('POST', '/sites', { id, name: `Site ${id}`, origins: ['https://blog.example.test'] });
    return id;
  }

  async function invite(by: AdminClient, site: string, email: string, role: 'owner' | 'moderator') {
    return by.ok<{ inviteUrl: string; expiresAt: number }>('POST', `/sites/${site}/invites`, { email, role });
  }

  const tokenOf = (inviteUrl: string) => new URL(inviteUrl).hash.replace('#token=', '');

  /** Someone new, invited by `by` and signed in through the invite. */
  async function newMember(by: AdminClient, site: string, role: 'owner' | 'moderator') {
    const email = `person-${++people}-${Date.now().toString(36)}@example.test`;
    const { inviteUrl } = await invite(by, site, email, role);
    const res = await adminRequest(target(), 'POST', '/invites/accept', {
      body: { token: tokenOf(inviteUrl), name: `Person ${people}`, password: PASSWORD },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const client = clientFor(target(), cookieFrom(res), (await res.json()) as SessionView);
    return { email, client };
  }

  describe('members and invites', () => {
    it('answers 401 to an anonymous caller on every member, account and passkey route', async () => {
      const routes: Array<[string, string]> = [
        ['GET', '/sites/default/members'],
        ['POST', '/sites/default/invites'],
        ['DELETE', '/sites/default/members/someone'],
        ['GET', '/sessions'],
        ['DELETE', '/sessions/abc'],
        ['POST', '/account/password'],
        ['POST', '/passkeys/register/options'],
        ['POST', '/passkeys/register'],
        ['GET', '/passkeys'],
        ['DELETE', '/passkeys/abc'],
      ];
      const body = { email: 'x@example.test', role: 'moderator', current: 'x', next: 'y'.repeat(12) };
      for (const [method, path] of routes) {
        const res = await adminRequest(target(), method, path, method === 'POST' ? { body } : {});
        expect(`${method} ${path}: ${res.status}`).toBe(`${method} ${path}: 401`);
      }
    });

    it('invites a moderator who joins with a password, is signed in and sees only that site', async () => {
      const admin = await signIn(target());
      const [site, other] = [await newSite(admin), await newSite(admin)];
      const before = target().clock?.now();
      const created = await invite(admin, site, 'New.Moderator@Example.test', 'moderator');
      const link = new URL(created.inviteUrl);
      expect(link.origin).toBe(target().origin);
      expect(link.pathname).toBe('/admin/invite');
      expect(tokenOf(created.inviteUrl)).toMatch(/^[\w-]{40,}$/);
      if (before !== undefined) expect(created.expiresAt).toBe(before + 7 * DAY);

      const token = tokenOf(created.inviteUrl);
      const noPassword = await adminRequest(target(), 'POST', '/invites/accept', { body: { token } });
      await expectAdminError(noPassword, 422, 'invalid_input', 'password');
      const short = await adminRequest(target(), 'POST', '/invites/accept', {
        body: { token, password: 'short' },
      });
      await expectAdminError(short, 422, 'invalid_input', 'password');

      const res = await adminRequest(target(), 'POST', '/invites/accept', {
        body: { token, name: 'Nia Moderator', password: PASSWORD },
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const session = (await res.json()) as SessionView;
      expect(session.user).toMatchObject({ email: 'new.moderator@example.test', name: 'Nia Moderator' });
      expect(session.user.isAdmin).toBe(false);
      expect(session.sites.map((s) => [s.id, s.access])).toEqual([[site, 'moderator']]);
      expect(session.sites.map((s) => s.id)).not.toContain(other);

      const moderator = clientFor(target(), cookieFrom(res), session);
      const again = await moderator.ok<SessionView>('GET', '/session');
      expect(again.sites.map((s) => s.id)).toEqual([site]);
      await signIn(target(), 'new.moderator@example.test', PASSWORD);

      const reused = await adminRequest(target(), 'POST', '/invites/accept', {
        body: { token, password: PASSWORD },
      });
      await expectAdminError(reused, 409, 'conflict');
      const members = await admin.ok<Member[]>('GET', `/sites/${site}/members`);
      expect(members.map((m) => [m.user.email, m.role])).toEqual([
        ['new.moderator@example.test', 'moderator'],
      ]);
    });

    it('refuses an unknown invite token, and an expired one', async (context) => {
      const unknown = await adminRequest(target(), 'POST', '/invites/accept', {
        body: { token: 'x'.repeat(43), password: PASSWORD },
      });
      await expectAdminError(unknown, 404, 'not_found');

      const clock = target().clock;
      if (!clock) return context.skip('the Worker’s clock cannot be moved');
      const admin = await signIn(target());
      const { inviteUrl } = await invite(admin, 'default', `late-${Date.now()}@example.test`, 'moderator');
      clock.advance(7 * DAY);
      try {
        const late = await adminRequest(target(), 'POST', '/invites/accept', {
          body: { token: tokenOf(inviteUrl), password: PASSWORD },
        });
        const body = await expectAdminError(late, 404, 'not_found');
        expect(body.error.message).toMatch(/expired/);
      } finally {
        clock.advance(-7 * DAY);
      }
    });

    it('lets a site owner list and remove members, whose access ends at once', async () => {
      const admin = await signIn(target());
      const site = await newSite(admin);
      const owner = await newMember(admin, site, 'owner');
      const moderator = await newMember(owner.client, site, 'moderator');

      const members = await owner.client.ok<Member[]>('GET', `/sites/${site}/members`);
      expect(members.map((m) => [m.user.email, m.role])).toEqual([
        [owner.email, 'owner'],
        [moderator.email, 'moderator'],
      ]);
      const moderatorId = moderator.client.session.user.id;
      expect(members[1]?.user).toEqual({ id: moderatorId, email: moderator.email, name: expect.any(String) });

      expect(await owner.client.ok('DELETE', `/sites/${site}/members/${moderatorId}`)).toEqual({
        removed: true,
      });
      const after = await moderator.client.ok<SessionView>('GET', '/session');
      expect(after.sites).toEqual([]);
      await expectAdminError(await moderator.client.send('GET', `/sites/${site}/members`), 403, 'forbidden');
      await expectAdminError(
        await owner.client.send('DELETE', `/sites/${site}/members/${moderatorId}`),
        404,
        'not_found',
      );

      const { entries } = await owner.client.ok<AuditPage>('GET', `/audit?site=${site}`);
      const trail = entries
        .filter((e) => e.action.startsWith('member.'))
        .map((e) => [e.action, e.actor.email, e.targetId])
        .reverse();
      expect(trail).toEqual([
        ['member.invite', OWNER.email, null],
        ['member.join', owner.email, owner.client.session.user.id],
        ['member.invite', owner.email, null],
        ['member.join', moderator.email, moderatorId],
        ['member.remove', owner.email, moderatorId],
      ]);
      expect(entries[0]?.before).toEqual({ email: moderator.email, role: 'moderator' });
    });

    it('lists a site’s pending invites to its owners, and revokes one so that its link no longer works', async () => {
      const admin = await signIn(target());
      const site = await newSite(admin);
      const owner = await newMember(admin, site, 'owner');
      const email = `pending-${Date.now().toString(36)}@example.test`;
      const { inviteUrl, expiresAt } = await invite(owner.client, site, email, 'moderator');
      const taken = await invite(
        owner.client,
        site,
        `taken-${Date.now().toString(36)}@example.test`,
        'owner',
      );
      await adminRequest(target(), 'POST', '/invites/accept', {
        body: { token: tokenOf(taken.inviteUrl), password: PASSWORD },
      });

      // The invite the owner accepted is used: only the one still waiting is listed.
      const pending = await owner.client.ok<PendingInvite[]>('GET', `/sites/${site}/invites`);
      expect(pending).toEqual([
        { id: expect.any(String), email, role: 'moderator', createdAt: expect.any(Number), expiresAt },
      ]);
      expect(JSON.stringify(pending)).not.toContain(tokenOf(inviteUrl));
      const moderator = await newMember(owner.client, site, 'moderator');
      await expectAdminError(await moderator.client.send('GET', `/sites/${site}/invites`), 403, 'forbidden');
      await expectAdminError(
        await moderator.client.send('DELETE', `/sites/${site}/invites/${pending[0]?.id}`),
        403,
        'forbidden',
      );
      const listed = await owner.client.ok<PendingInvite[]>('GET', `/sites/${site}/invites`);
      expect(listed.map((each) => each.email)).toEqual([email]);

      expect(await owner.client.ok('DELETE', `/sites/${site}/invites/${pending[0]?.id}`)).toEqual({
        revoked: true,
      });
      expect(await owner.client.ok<PendingInvite[]>('GET', `/sites/${site}/invites`)).toEqual([]);
      const late = await adminRequest(target(), 'POST', '/invites/accept', {
        body: { token: tokenOf(inviteUrl), password: PASSWORD },
      });
      await expectAdminError(late, 404, 'not_found');
      await expectAdminError(
        await owner.client.send('DELETE', `/sites/${site}/invites/${pending[0]?.id}`),
        404,
        'not_found',
      );
      const { entries } = await owner.client.ok<AuditPage>('GET', `/audit?site=${site}`);
      expect(entries[0]).toMatchObject({ action: 'invite.revoke', before: { email, role: 'moderator' } });
    });

    it('never removes a site’s last owner, whoever asks', async () => {
      const admin = await signIn(target());
      const site = await newSite(admin);
      const owner = await newMember(admin, site, 'owner');
      const ownerId = owner.client.session.user.id;
      await expectAdminError(
        await owner.client.send('DELETE', `/sites/${site}/members/${ownerId}`),
        409,
        'conflict',
      );
      await expectAdminError(
        await admin.send('DELETE', `/sites/${site}/members/${ownerId}`),
        409,
        'conflict',
      );

      const second = await newMember(owner.client, site, 'owner');
      expect(await owner.client.ok('DELETE', `/sites/${site}/members/${ownerId}`)).toEqual({ removed: true });
      const left = await second.client.ok<Member[]>('GET', `/sites/${site}/members`);
      expect(left.map((m) => m.user.email)).toEqual([second.email]);
    });

    it('refuses a moderator of site A on site B, and on A’s members, with 403', async () => {
      const admin = await signIn(target());
      const [a, b] = [await newSite(admin), await newSite(admin)];
      const moderator = await newMember(admin, a, 'moderator');
      const ownerOfB = await newMember(admin, b, 'owner');
      const victim = ownerOfB.client.session.user.id;
      for (const site of [b, a, 'no-such-site']) {
        await expectAdminError(
          await moderator.client.send('GET', `/sites/${site}/members`),
          403,
          'forbidden',
        );
        await expectAdminError(
          await moderator.client.send('POST', `/sites/${site}/invites`, {
            email: 'x@example.test',
            role: 'owner',
          }),
          403,
          'forbidden',
        );
        await expectAdminError(
          await moderator.client.send('DELETE', `/sites/${site}/members/${victim}`),
          403,
          'forbidden',
        );
      }
      // A server owner asking about a site that does not exist learns that it does not.
      await expectAdminError(await admin.send('GET', '/sites/no-such-site/members'), 404, 'not_found');
    });

    it('never lets an invite link sign into an existing account without its password', async () => {
      const admin = await signIn(target());
      const [a, b] = [await newSite(admin), await newSite(admin)];
      const person = await newMember(admin, a, 'owner');
      const ownerOfB = await newMember(admin, b, 'owner');
      // The owner of B holds the link they made: on its own it must not open the account.
      const { inviteUrl } = await invite(ownerOfB.client, b, person.email, 'moderator');
      const token = tokenOf(inviteUrl);
      const accept = (password?: string) =>
        adminRequest(target(), 'POST', '/invites/accept', {
          body: { token, ...(password && { password }) },
          client: '198.51.100.20',
        });
      await expectAdminError(await accept(), 422, 'invalid_input', 'password');
      await expectAdminError(await accept('not the right password'), 422, 'invalid_input', 'password');

      const res = await accept(PASSWORD);
      expect(res.status, await res.clone().text()).toBe(200);
      const session = (await res.json()) as SessionView;
      expect(session.user.email).toBe(person.email);
      expect(Object.fromEntries(session.sites.map((s) => [s.id, s.access]))).toEqual({
        [a]: 'owner',
        [b]: 'moderator',
      });
    });

    it('lets someone signed in accept for their own account without a password, and never demotes an owner', async () => {
      const admin = await signIn(target());
      const site = await newSite(admin);
      const person = await newMember(admin, site, 'owner');
      const { inviteUrl } = await invite(admin, site, person.email, 'moderator');
      const res = await person.client.send('POST', '/invites/accept', { token: tokenOf(inviteUrl) });
      expect(res.status, await res.clone().text()).toBe(200);
      const session = (await res.json()) as SessionView;
      expect(session.sites.map((s) => [s.id, s.access])).toEqual([[site, 'owner']]);
    });

    it('refuses member changes without the CSRF token', async () => {
      const admin = await signIn(target());
      const site = await newSite(admin);
      const member = await newMember(admin, site, 'moderator');
      const bare = (method: string, path: string, body?: unknown) =>
        adminRequest(target(), method, path, { cookie: admin.cookie, body });
      await expectAdminError(
        await bare('POST', `/sites/${site}/invites`, { email: 'x@example.test', role: 'moderator' }),
        403,
        'csrf',
      );
      await expectAdminError(
        await bare('DELETE', `/sites/${site}/members/${member.client.session.user.id}`),
        403,
        'csrf',
      );
      const { inviteUrl } = await invite(admin, site, `csrf-${Date.now()}@example.test`, 'moderator');
      await expectAdminError(
        await bare('POST', '/invites/accept', { token: tokenOf(inviteUrl), password: PASSWORD }),
        403,
        'csrf',
      );
      expect(await admin.ok<Member[]>('GET', `/sites/${site}/members`)).toHaveLength(1);
    });
  });

  describe('public name', () => {
    it('lets a member set the name their replies carry, and refuses a blank one naming the field', async () => {
      const admin = await signIn(target());
      const site = await newSite(admin);
      const owner = await newMember(admin, site, 'owner');
      const changed = await owner.client.ok<User>('PATCH', '/account', { name: '  Jo Writer ' });
      expect(changed).toMatchObject({ email: owner.email, name: 'Jo Writer' });
      expect((await owner.client.ok<SessionView>('GET', '/session')).user.name).toBe('Jo Writer');
      await expectAdminError(
        await owner.client.send('PATCH', '/account', { name: ' ' }),
        422,
        'invalid_input',
        'name',
      );
      await expectAdminError(
        await adminRequest(target(), 'PATCH', '/account', { body: { name: 'Nobody' } }),
        401,
        'unauthorized',
      );

      const url = `https://blog.example.test/named-${Date.now().toString(36)}`;
      const posted = await target().request(
        '/api/comments',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Origin: 'https://blog.example.test' },
          body: JSON.stringify({ site, url, body: 'Who wrote this?' }),
        },
        `198.19.7.${people % 250}`,
      );
      expect(posted.status, await posted.clone().text()).toBe(201);
      const { comment } = (await posted.json()) as CreatedComment;
      const reply = await owner.client.ok<AdminComment>('POST', `/comments/${comment.id}/replies`, {
        body: 'I did.',
      });
      expect(reply.author.name).toBe('Jo Writer');
      const thread = await target().request(`/api/comments?site=${site}&url=${encodeURIComponent(url)}`);
      const view = (await thread.json()) as ThreadView;
      expect(view.comments.map((c) => [c.id, c.author.name])).toContainEqual([reply.id, 'Jo Writer']);
    });
  });

  describe('password and sessions', () => {
    it('lists the caller’s sessions, marks the current one and never shows a token or its hash', async () => {
      const admin = await signIn(target());
      const site = await newSite(admin);
      const person = await newMember(admin, site, 'moderator');
      const laptop = person.client;
      await signIn(target(), person.email, PASSWORD);

      const sessions = await laptop.ok<SessionRecord[]>('GET', '/sessions');
      expect(sessions).toHaveLength(2);
      expect(sessions.filter((s) => s.current)).toHaveLength(1);
      const token = laptop.cookie.split('=')[1] ?? '';
      const tokenHash = await sha256Hex(token);
      for (const session of sessions) {
        expect(session.id).not.toContain(token);
        expect(tokenHash).not.toContain(session.id);
      }
      const adminSessions = await admin.ok<SessionRecord[]>('GET', '/sessions');
      expect(adminSessions.map((s) => s.id)).not.toContain(sessions[0]?.id);
    });

    it('revokes one of the caller’s sessions, which gets 401 at once, and nobody else’s', async () => {
      const admin = await signIn(target());
      const site = await newSite(admin);
      const person = await newMember(admin, site, 'moderator');
      const phone = await signIn(target(), person.email, PASSWORD);

      const sessions = await person.client.ok<SessionRecord[]>('GET', '/sessions');
      const other = sessions.find((s) => !s.current);
      if (!other) throw new Error('no second session');
      await expectAdminError(await admin.send('DELETE', `/sessions/${other.id}`), 404, 'not_found');
      expect((await phone.send('GET', '/session')).status).toBe(200);

      expect(await person.client.ok('DELETE', `/sessions/${other.id}`)).toEqual({ revoked: true });
      await expectAdminError(await phone.send('GET', '/session'), 401, 'unauthorized');
      await expectAdminError(await person.client.send('DELETE', `/sessions/${other.id}`), 404, 'not_found');
      expect((await person.client.send('GET', '/session')).status).toBe(200);

      const current = (await person.client.ok<SessionRecord[]>('GET', '/sessions'))[0];
      const res = await person.client.send('DELETE', `/sessions/${current?.id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toMatch(/parley_session=;/);
      await expectAdminError(await person.client.send('GET', '/session'), 401, 'unauthorized');
    });

    it('changes the password after checking the current one, and signs out every other session', async () => {
      const admin = await signIn(target());
      const site = await newSite(admin);
      const person = await newMember(admin, site, 'moderator');
      const elsewhere = await signIn(target(), person.email, PASSWORD);
      const next = 'an even longer new password';

      const wrong = await person.client.send('POST', '/account/password', { current: 'not it at all', next });
      await expectAdminError(wrong, 422, 'invalid_input', 'current');
      const short = await person.client.send('POST', '/account/password', {
        current: PASSWORD,
        next: 'short',
      });
      await expectAdminError(short, 422, 'invalid_input', 'next');
      expect((await elsewhere.send('GET', '/session')).status).toBe(200);

      expect(await person.client.ok('POST', '/account/password', { current: PASSWORD, next })).toEqual({
        changed: true,
      });
      await expectAdminError(await elsewhere.send('GET', '/session'), 401, 'unauthorized');
      expect((await person.client.send('GET', '/session')).status).toBe(200);
      const old = await adminRequest(target(), 'POST', '/session', {
        body: { email: person.email, password: PASSWORD },
        client: '198.51.100.30',
      });
      await expectAdminError(old, 401, 'unauthorized');
      await signIn(target(), person.email, next);
    });

    it('refuses password and session changes without the CSRF token', async () => {
      const admin = await signIn(target());
      const site = await newSite(admin);
      const person = await newMember(admin, site, 'moderator');
      const [session] = await person.client.ok<SessionRecord[]>('GET', '/sessions');
      const bare = (method: string, path: string, body?: unknown) =>
        adminRequest(target(), method, path, { cookie: person.client.cookie, body });
      await expectAdminError(
        await bare('POST', '/account/password', { current: PASSWORD, next: 'a brand new password' }),
        403,
        'csrf',
      );
      await expectAdminError(await bare('DELETE', `/sessions/${session?.id}`), 403, 'csrf');
      const crossSite = await person.client.send(
        'POST',
        '/account/password',
        { current: PASSWORD, next: 'a brand new password' },
        { Origin: 'https://evil.example' },
      );
      await expectAdminError(crossSite, 403, 'csrf');
      await signIn(target(), person.email, PASSWORD);
    });
  });

  describe('passkeys', () => {
    async function registered(name = 'Laptop') {
      const admin = await signIn(target());
      const site = await newSite(admin);
      const person = await newMember(admin, site, 'moderator');
      const authenticator = new SoftwareAuthenticator(target().origin);
      const options = await person.client.ok<CreationOptions>('POST', '/passkeys/register/options', {});
      const response = await authenticator.create(options);
      const passkey = await person.client.ok<Passkey>('POST', '/passkeys/register', { response, name });
      return { ...person, authenticator, passkey, site };
    }

    const loginOptions = async (client = '198.51.100.40') => {
      const res = await adminRequest(target(), 'POST', '/passkeys/login/options', { body: {}, client });
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as RequestOptions & {
        allowCredentials?: unknown[];
        userVerification: string;
      };
    };
    const login = (response: unknown) =>
      adminRequest(target(), 'POST', '/passkeys/login', { body: { response }, client: '198.51.100.41' });

    it('registers a discoverable passkey and signs in with it, no email asked', async () => {
      const admin = await signIn(target());
      const site = await newSite(admin);
      const person = await newMember(admin, site, 'moderator');
      const options = await person.client.ok<
        CreationOptions & { authenticatorSelection: Record<string, unknown>; user: { name: string } }
      >('POST', '/passkeys/register/options', {});
      expect(options.rp.id).toBe(new URL(target().origin).hostname);
      expect(options.user.name).toBe(person.email);
      expect(options.authenticatorSelection).toMatchObject({
        residentKey: 'required',
        userVerification: 'required',
      });

      const authenticator = new SoftwareAuthenticator(target().origin);
      const response = await authenticator.create(options);
      const res = await person.client.send('POST', '/passkeys/register', { response, name: '  Laptop ' });
      expect(res.status, await res.clone().text()).toBe(201);
      const passkey = (await res.json()) as Passkey;
      expect(passkey).toMatchObject({ id: response.id, name: 'Laptop', lastUsedAt: null });
      expect(await person.client.ok<Passkey[]>('GET', '/passkeys')).toEqual([passkey]);

      const request = await loginOptions();
      expect(request.rpId).toBe(options.rp.id);
      expect(request.allowCredentials ?? []).toEqual([]);
      expect(request.userVerification).toBe('required');
      const signedIn = await login(await authenticator.get(request));
      expect(signedIn.status, await signedIn.clone().text()).toBe(200);
      const session = (await signedIn.json()) as SessionView;
      expect(session.user.email).toBe(person.email);
      expect(session.sites.map((s) => s.id)).toEqual([site]);
      const viaPasskey = clientFor(target(), cookieFrom(signedIn), session);
      const [listed] = await viaPasskey.ok<Passkey[]>('GET', '/passkeys');
      expect(listed?.lastUsedAt).toEqual(expect.any(Number));
    });

    it('offers the passkeys already registered as ones to exclude', async () => {
      const { client, authenticator, passkey } = await registered();
      const options = await client.ok<CreationOptions>('POST', '/passkeys/register/options', {});
      expect(options.excludeCredentials?.map((c) => c.id)).toEqual([passkey.id]);
      await expect(authenticator.create(options)).rejects.toThrow(/InvalidStateError/);
    });

    it('refuses a replayed sign-in and a replayed registration', async () => {
      const { client, authenticator } = await registered();
      const assertion = await authenticator.get(await loginOptions());
      expect((await login(assertion)).status).toBe(200);
      await expectAdminError(await login(assertion), 401, 'unauthorized');

      const options = await client.ok<CreationOptions>('POST', '/passkeys/register/options', {});
      const second = new SoftwareAuthenticator(target().origin);
      const response = await second.create(options);
      const replayed = await second.create({ ...options, excludeCredentials: [] });
      expect((await client.send('POST', '/passkeys/register', { response, name: 'Phone' })).status).toBe(201);
      await expectAdminError(
        await client.send('POST', '/passkeys/register', { response: replayed, name: 'Tablet' }),
        422,
        'invalid_input',
        'response',
      );
      expect(await client.ok<Passkey[]>('GET', '/passkeys')).toHaveLength(2);
    });

    it('refuses a challenge older than 5 minutes', async (context) => {
      const clock = target().clock;
      if (!clock) return context.skip('the Worker’s clock cannot be moved');
      const { client, authenticator } = await registered();
      const request = await loginOptions();
      const creation = await client.ok<CreationOptions>('POST', '/passkeys/register/options', {});
      clock.advance(5 * 60_000 + 1);
      try {
        const res = await login(await authenticator.get(request));
        const body = await expectAdminError(res, 401, 'unauthorized');
        expect(body.error.message).toMatch(/expired/);
        const late = await new SoftwareAuthenticator(target().origin).create(creation);
        await expectAdminError(
          await client.send('POST', '/passkeys/register', { response: late, name: 'Late' }),
          422,
          'invalid_input',
          'response',
        );
      } finally {
        clock.advance(-(5 * 60_000 + 1));
      }
    });

    it('refuses an assertion from another origin, without user verification, or with a counter gone back', async () => {
      const { authenticator } = await registered();
      const cases = [
        { origin: 'https://evil.example' },
        { userVerified: false },
        { challenge: 'bm90IGEgY2hhbGxlbmdlIHdlIGlzc3VlZA' },
      ];
      for (const tweaks of cases) {
        const res = await login(await authenticator.get(await loginOptions(), tweaks));
        expect(res.status, JSON.stringify(tweaks)).toBe(401);
      }
      expect((await login(await authenticator.get(await loginOptions(), { counter: 10 }))).status).toBe(200);
      const cloned = await login(await authenticator.get(await loginOptions(), { counter: 5 }));
      await expectAdminError(cloned, 401, 'unauthorized');
    });

    it('keeps a registration challenge to the account it was issued to', async () => {
      const first = await registered();
      const admin = await signIn(target());
      const other = await newMember(admin, first.site, 'moderator');
      const options = await first.client.ok<CreationOptions>('POST', '/passkeys/register/options', {});
      const response = await new SoftwareAuthenticator(target().origin).create(options);
      await expectAdminError(
        await other.client.send('POST', '/passkeys/register', { response, name: 'Stolen' }),
        422,
        'invalid_input',
        'response',
      );
    });

    it('removes only the caller’s own passkey, after which it no longer signs in', async () => {
      const { client, authenticator, passkey } = await registered();
      const admin = await signIn(target());
      await expectAdminError(await admin.send('DELETE', `/passkeys/${passkey.id}`), 404, 'not_found');
      expect(await client.ok('DELETE', `/passkeys/${passkey.id}`)).toEqual({ deleted: true });
      expect(await client.ok<Passkey[]>('GET', '/passkeys')).toEqual([]);
      await expectAdminError(await login(await authenticator.get(await loginOptions())), 401, 'unauthorized');
    });

    it('refuses passkey changes without the CSRF token', async () => {
      const { client, authenticator, passkey } = await registered();
      const bare = (method: string, path: string, body?: unknown) =>
        adminRequest(target(), method, path, { cookie: client.cookie, body });
      await expectAdminError(await bare('POST', '/passkeys/register/options', {}), 403, 'csrf');
      const options = await client.ok<CreationOptions>('POST', '/passkeys/register/options', {});
      const response = await new SoftwareAuthenticator(target().origin).create(options);
      await expectAdminError(
        await bare('POST', '/passkeys/register', { response, name: 'Key' }),
        403,
        'csrf',
      );
      await expectAdminError(await bare('DELETE', `/passkeys/${passkey.id}`), 403, 'csrf');
      expect(await client.ok<Passkey[]>('GET', '/passkeys')).toHaveLength(1);
      expect(authenticator.credentials).toHaveLength(1);
    });
  });
}

async function sha256Hex(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
