import { describe, expect, it } from 'vitest';
import type { ApiTarget } from '../api/target.ts';
import { adminRequest, cookieFrom, expectAdminError, OWNER, signIn } from './client.ts';

/** Signing in and out, the session cookie, CSRF and sign-in limits. */
export function sessionSuite(target: () => ApiTarget) {
  describe('sessions', () => {
    it('reports that the server has an owner once one is configured', async () => {
      const res = await adminRequest(target(), 'GET', '/setup');
      expect(await res.json()).toEqual({ hasOwner: true });
    });

    it('signs the owner in with an HttpOnly, SameSite=Strict cookie scoped to /admin', async () => {
      const res = await adminRequest(target(), 'POST', '/session', { body: OWNER });
      expect(res.status).toBe(200);
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect(cookie).toMatch(/Path=\/admin/i);
      const session = (await res.json()) as {
        user: { email: string; isAdmin: boolean };
        sites: Array<{ id: string }>;
      };
      expect(session.user).toMatchObject({ email: OWNER.email, isAdmin: true });
      expect(session.sites.map((s) => s.id)).toContain('default');
    });

    it('refuses a wrong password with 401 and the same message as an unknown email', async () => {
      const wrong = await adminRequest(target(), 'POST', '/session', {
        body: { email: OWNER.email, password: 'not it at all' },
        client: '192.0.2.50',
      });
      const unknown = await adminRequest(target(), 'POST', '/session', {
        body: { email: 'nobody@example.test', password: 'not it at all' },
        client: '192.0.2.51',
      });
      const a = await expectAdminError(wrong, 401, 'unauthorized');
      const b = await expectAdminError(unknown, 401, 'unauthorized');
      expect(a.error.message).toBe(b.error.message);
    });

    it('limits sign-in attempts per email, whatever the client', async () => {
      const email = 'target-of-guessing@example.test';
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await adminRequest(target(), 'POST', '/session', {
          body: { email, password: `guess ${i}` },
          client: `192.0.2.${100 + i}`,
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    });

    it('answers 401 without a session and after signing out', async () => {
      await expectAdminError(await adminRequest(target(), 'GET', '/session'), 401, 'unauthorized');
      const owner = await signIn(target());
      expect((await owner.send('GET', '/session')).status).toBe(200);
      expect((await owner.send('DELETE', '/session')).status).toBe(200);
      await expectAdminError(await owner.send('GET', '/session'), 401, 'unauthorized');
    });

    it('refuses a state change without the CSRF token, or from another origin', async () => {
      const owner = await signIn(target());
      const noToken = await adminRequest(target(), 'DELETE', '/session', { cookie: owner.cookie });
      await expectAdminError(noToken, 403, 'csrf');
      const forged = await adminRequest(target(), 'DELETE', '/session', {
        cookie: owner.cookie,
        csrf: 'forged',
      });
      await expectAdminError(forged, 403, 'csrf');
      const crossSite = await owner.send('DELETE', '/session', undefined, { Origin: 'https://evil.example' });
      await expectAdminError(crossSite, 403, 'csrf');
      expect((await owner.send('GET', '/session')).status).toBe(200);
    });

    it('keeps only a hash of the session token: a cookie with a changed token is refused', async () => {
      const owner = await signIn(target());
      const tampered = `${owner.cookie.slice(0, -2)}xy`;
      await expectAdminError(
        await adminRequest(target(), 'GET', '/session', { cookie: tampered }),
        401,
        'unauthorized',
      );
      expect(cookieFrom(await adminRequest(target(), 'POST', '/session', { body: OWNER }))).not.toBe(
        owner.cookie,
      );
    });
  });
}
