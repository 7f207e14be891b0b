import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiTarget } from '../api/target.ts';
import { openSqliteTarget } from '../support/targets.ts';
import { adminRequest, expectAdminError, OWNER, signIn } from './client.ts';

// Behind a TLS proxy the app sees http://internal-host; PARLEY_PUBLIC_URL says what people actually use.
describe('behind a proxy, with PARLEY_PUBLIC_URL', () => {
  let target: ApiTarget;
  beforeAll(async () => {
    target = await openSqliteTarget({ PARLEY_PUBLIC_URL: 'https://comments.example.com' });
  });
  afterAll(() => target?.close());

  it('writes invite links for the public address', async () => {
    const owner = await signIn(target);
    const res = await owner.send('POST', '/sites/default/invites', {
      email: 'mod@example.test',
      role: 'moderator',
    });
    const { inviteUrl } = (await res.json()) as { inviteUrl: string };
    expect(inviteUrl).toMatch(/^https:\/\/comments\.example\.com\/admin\/invite#token=/);
  });

  it('takes the public origin as its own in the same-origin check', async () => {
    const owner = await signIn(target);
    const fromPublic = await owner.send('GET', '/session', undefined, {
      Origin: 'https://comments.example.com',
    });
    expect(fromPublic.status).toBe(200);
    const internal = await owner.send('DELETE', '/session', undefined, { Origin: 'http://localhost' });
    await expectAdminError(internal, 403, 'csrf');
    const signedOut = await owner.send('DELETE', '/session', undefined, {
      Origin: 'https://comments.example.com',
    });
    expect(signedOut.status).toBe(200);
  });

  it('marks the session cookie Secure from the public address, though the proxy says nothing of https', async () => {
    const res = await adminRequest(target, 'POST', '/session', { body: OWNER });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it('tells browsers to use https only, on every kind of answer', async () => {
    for (const path of ['/api/health', '/admin/api/session', '/api/no-such-route']) {
      const res = await target.request(path);
      expect(res.headers.get('strict-transport-security'), path).toBe('max-age=31536000');
    }
  });
});

describe('without PARLEY_PUBLIC_URL, over plain http', () => {
  let target: ApiTarget;
  beforeAll(async () => {
    target = await openSqliteTarget();
  });
  afterAll(() => target?.close());

  it('sends no HSTS and a cookie without Secure, which the browser would refuse to send back', async () => {
    const res = await adminRequest(target, 'POST', '/session', { body: OWNER });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).not.toMatch(/Secure/i);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});
