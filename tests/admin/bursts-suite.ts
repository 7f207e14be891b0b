import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../shared/admin-schemas.ts';
import { type ApiTarget, TARGET_ENV } from '../api/target.ts';
import { type AdminClient, adminRequest, expectAdminError, signIn } from './client.ts';
import { newMember, newSite } from './site-fixtures.ts';

const PASSWORD = 'a long enough password';
const MAX = Number(TARGET_ENV.PARLEY_SIGN_IN_LIMIT_MAX);
const BURST = 40;
const FIFTEEN_MINUTES = 15 * 60_000;

let clients = 0;
/** A client address no other test uses, so only this test's attempts count against it. */
const newClient = () => `2001:db8:b::${(++clients).toString(16)}`;

const tokenOf = (inviteUrl: string) => new URL(inviteUrl).hash.replace('#token=', '');

// What wrangler's local proxy answers, in place of the Worker's answer, to the requests in flight when it restarts
// the Worker; under a burst it sometimes does. Whether such a request was counted is unknown.
const LOST_IN_RESTART = 'Your worker restarted mid-request';

interface Burst {
  /** The answers to the wrong attempts, less any lost in a restart of the local Worker. */
  statuses: number[];
  /** The answer to the right attempt, unless it was lost. */
  right: Response | undefined;
}

/**
 * Sends `BURST - 1` wrong attempts and then the right one, all at once. Each attempt must be counted before it is
 * checked: if the limit were checked apart from the count, every attempt of the burst would pass the check, and
 * the right password, sent last, would get in.
 */
async function burst(
  wrong: (i: number) => Promise<Response>,
  right: () => Promise<Response>,
): Promise<Burst> {
  const attempts = Array.from({ length: BURST - 1 }, (_, i) => wrong(i));
  attempts.push(right());
  const answers = await Promise.all(
    attempts.map(async (res) => {
      const answer = await res;
      const lost = answer.status === 503 && (await answer.clone().text()).startsWith(LOST_IN_RESTART);
      return lost ? undefined : answer;
    }),
  );
  const last = answers.pop();
  const statuses: number[] = [];
  for (const answer of answers) {
    if (!answer) continue;
    await answer.arrayBuffer();
    statuses.push(answer.status);
  }
  return { statuses, right: last };
}

/** How many of each status, e.g. `{ 401: 5, 429: 34 }`. */
function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/**
 * Only the limit's worth of wrong attempts were checked (answered `failure`), the rest refused with 429, and so was
 * the right password. With answers lost to a restart of the local Worker, at most the limit's worth.
 */
async function expectOnlyTheLimitChecked({ statuses, right }: Burst, failure: number) {
  const counts = tally(statuses);
  expect(Object.keys(counts).sort(), JSON.stringify(counts)).toEqual(
    [String(failure), '429'].filter((status) => Number(status) in counts),
  );
  if (statuses.length === BURST - 1) expect(counts).toEqual({ [failure]: MAX, 429: BURST - 1 - MAX });
  else expect(counts[failure] ?? 0).toBeLessThanOrEqual(MAX);
  if (right) {
    await expectAdminError(right, 429, 'rate_limited');
    expect(Number(right.headers.get('Retry-After'))).toBeGreaterThan(0);
  }
}

/** Password attempts in parallel bursts, and parallel acceptances of invites. */
export function burstsSuite(target: () => ApiTarget) {
  describe('bursts', () => {
    async function member(): Promise<{ admin: AdminClient; person: AdminClient; email: string }> {
      const admin = await signIn(target());
      const person = await newMember(target(), admin, await newSite(admin), 'moderator');
      return { admin, person, email: person.session.user.email };
    }

    const signInFrom = (client: string, email: string, password: string) =>
      adminRequest(target(), 'POST', '/session', { body: { email, password }, client });

    it('verifies at most the limit of a parallel burst of sign-ins from one client; the right password sent last in it gets 429', async () => {
      const { email } = await member();
      const client = newClient();
      const answers = await burst(
        (i) => signInFrom(client, email, `wrong guess ${i}`),
        () => signInFrom(client, email, PASSWORD),
      );
      await expectOnlyTheLimitChecked(answers, 401);
    });

    it('verifies at most the limit of a parallel burst of sign-ins for one email from many clients', async () => {
      const { email } = await member();
      const answers = await burst(
        (i) => signInFrom(newClient(), email, `wrong guess ${i}`),
        () => signInFrom(newClient(), email, PASSWORD),
      );
      await expectOnlyTheLimitChecked(answers, 401);
    });

    it('lets a right password in under the limit, even in parallel, without counting it', async () => {
      const { email } = await member();
      const client = newClient();
      for (let i = 0; i < MAX - 2; i++) {
        await expectAdminError(await signInFrom(client, email, `wrong ${i}`), 401, 'unauthorized');
      }
      const rights = await Promise.all([1, 2].map(() => signInFrom(client, email, PASSWORD)));
      expect(rights.map((res) => res.status)).toEqual([200, 200]);
      // Only failures count: two more wrong guesses are still answered, the next is refused.
      const after = [];
      for (let i = 0; i < 3; i++) after.push((await signInFrom(client, email, `wrong again ${i}`)).status);
      expect(after).toEqual([401, 401, 429]);
    });

    it('verifies at most the limit of a parallel burst of passwords on an invite for an existing account', async () => {
      const { admin, email } = await member();
      const site = await newSite(admin);
      const { inviteUrl } = await admin.ok<{ inviteUrl: string }>('POST', `/sites/${site}/invites`, {
        email,
        role: 'moderator',
      });
      const client = newClient();
      const accept = (password: string) =>
        adminRequest(target(), 'POST', '/invites/accept', {
          body: { token: tokenOf(inviteUrl), password },
          client,
        });
      const answers = await burst(
        (i) => accept(`wrong guess ${i}`),
        () => accept(PASSWORD),
      );
      await expectOnlyTheLimitChecked(answers, 422);

      // The refused attempts left the invite as it was: once the window has passed, the right password joins.
      const clock = target().clock;
      if (!clock) return;
      clock.advance(FIFTEEN_MINUTES);
      try {
        const joined = await accept(PASSWORD);
        expect(joined.status, await joined.clone().text()).toBe(200);
      } finally {
        clock.advance(-FIFTEEN_MINUTES);
      }
    });

    it('verifies at most the limit of a parallel burst of current passwords on a password change', async () => {
      const { person } = await member();
      const next = 'a brand new long password';
      const change = (current: string) => person.send('POST', '/account/password', { current, next });
      const answers = await burst(
        (i) => change(`wrong guess ${i}`),
        () => change(PASSWORD),
      );
      await expectOnlyTheLimitChecked(answers, 422);
    });

    it('gives one account to parallel acceptances of invites for one new email; the others keep their invite', async () => {
      const admin = await signIn(target());
      const sites = [await newSite(admin), await newSite(admin)];
      const email = `racer-${Date.now().toString(36)}-${++clients}@example.test`;
      const tokens: string[] = [];
      for (const site of [...sites, ...sites]) {
        const { inviteUrl } = await admin.ok<{ inviteUrl: string }>('POST', `/sites/${site}/invites`, {
          email,
          role: 'moderator',
        });
        tokens.push(tokenOf(inviteUrl));
      }
      const passwords = tokens.map((_, i) => `${PASSWORD} number ${i}`);
      const accept = (i: number, password = passwords[i]) =>
        adminRequest(target(), 'POST', '/invites/accept', {
          body: { token: tokens[i], name: 'Racer', password },
          client: newClient(),
        });
      const answers = await Promise.all(tokens.map((_, i) => accept(i)));
      const statuses = answers.map((res) => res.status);
      const winner = statuses.indexOf(200);
      expect(winner, JSON.stringify(statuses)).toBeGreaterThanOrEqual(0);
      // A loser either raced the winner (409) or came after it and gave another password than the account's (422).
      for (const [i, res] of answers.entries()) {
        if (i === winner) continue;
        if (res.status === 409) await expectAdminError(res, 409, 'conflict');
        else await expectAdminError(res, 422, 'invalid_input', 'password');
      }

      // Each loser's invite is still good: with the new account's password, it joins that account.
      for (const i of tokens.keys()) {
        if (i === winner) continue;
        const again = await accept(i, passwords[winner]);
        expect(again.status, await again.clone().text()).toBe(200);
        expect(((await again.json()) as SessionView).user.email).toBe(email);
      }
      const last = await signIn(target(), email, passwords[winner]);
      expect(last.session.sites.map((s) => s.id).sort()).toEqual([...sites].sort());
    });
  });
}
