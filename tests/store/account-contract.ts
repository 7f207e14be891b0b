import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/ids.ts';
import type { InviteRow, PasskeyRow, UserRow } from '../../server/store/schema.ts';
import type { Store } from '../../server/store/store.ts';
import { DEFAULT_SITE_SETTINGS } from '../../shared/admin-schemas.ts';
import type { OpenedStore } from './contract.ts';

const NOW = Date.UTC(2026, 0, 15, 12);
const DAY = 24 * 60 * 60_000;

/** Accounts, memberships, invites, passkeys and WebAuthn challenges: what every engine must do alike. */
export function accountContract(name: string, open: () => Promise<OpenedStore>) {
  describe(`account store contract on ${name}`, () => {
    let opened: OpenedStore;
    let store: Store;
    let people = 0;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await store.migrate();
    });
    afterAll(() => opened?.close());

    async function newUser(overrides: Partial<UserRow> = {}): Promise<UserRow> {
      const n = ++people;
      const user: UserRow = {
        id: newId(NOW + n),
        email: `person-${n}@example.test`,
        name: `Person ${n}`,
        password_hash: null,
        is_admin: 0,
        created_at: NOW + n,
        ...overrides,
      };
      await store.insertUser(user);
      return user;
    }

    async function newSite() {
      const id = `site-${++people}`;
      await store.insertSite({ id, name: id, settings: DEFAULT_SITE_SETTINGS, now: NOW });
      return id;
    }

    const invite = (overrides: Partial<InviteRow>): InviteRow => ({
      id: `invite-${++people}`,
      site_id: 'default',
      email: 'invitee@example.test',
      role: 'moderator',
      created_by: 'someone',
      created_at: NOW,
      expires_at: NOW + 7 * DAY,
      accepted_at: null,
      ...overrides,
    });

    const passkey = (userId: string, overrides: Partial<PasskeyRow> = {}): PasskeyRow => ({
      id: `credential-${++people}`,
      user_id: userId,
      public_key: 'pQECAyYgASFYIA',
      counter: 0,
      transports: '["internal"]',
      name: 'Laptop',
      created_at: NOW,
      last_used_at: null,
      ...overrides,
    });

    it('removes a moderator and any owner but the last', async () => {
      const site = await newSite();
      const [first, second, moderator] = [await newUser(), await newUser(), await newUser()];
      for (const [user, role] of [
        [first, 'owner'],
        [second, 'owner'],
        [moderator, 'moderator'],
      ] as const) {
        await store.upsertMembership({ site_id: site, user_id: user.id, role, created_at: NOW });
      }
      expect(await store.removeMemberKeepingAnOwner(site, moderator.id)).toBe(true);
      expect(await store.removeMemberKeepingAnOwner(site, first.id)).toBe(true);
      expect(await store.removeMemberKeepingAnOwner(site, second.id)).toBe(false);
      expect((await store.listMembers(site)).map((m) => [m.user_id, m.role])).toEqual([[second.id, 'owner']]);
      expect(await store.removeMemberKeepingAnOwner(site, 'nobody')).toBe(false);
    });

    it('counts only the owners of the same site when removing one', async () => {
      const [a, b] = [await newSite(), await newSite()];
      const owner = await newUser();
      const elsewhere = await newUser();
      await store.upsertMembership({ site_id: a, user_id: owner.id, role: 'owner', created_at: NOW });
      await store.upsertMembership({ site_id: b, user_id: elsewhere.id, role: 'owner', created_at: NOW });
      expect(await store.removeMemberKeepingAnOwner(a, owner.id)).toBe(false);
    });

    it('revokes all of a user’s sessions and nobody else’s', async () => {
      const [user, other] = [await newUser(), await newUser()];
      for (const [id, owner] of [
        ['s-1', user],
        ['s-2', user],
        ['s-3', other],
      ] as const) {
        await store.insertSession({
          id: `${id}-${owner.id}`,
          user_id: owner.id,
          csrf_token: 'csrf',
          user_agent: 'test',
          created_at: NOW,
          last_seen_at: NOW,
          expires_at: NOW + DAY,
        });
      }
      await store.deleteUserSessions(user.id);
      expect(await store.listSessions(user.id, NOW)).toEqual([]);
      expect(await store.listSessions(other.id, NOW)).toHaveLength(1);
    });

    it('keeps an invite by token hash and hands it out once, even to concurrent claims', async () => {
      const open = invite({});
      await store.insertInvite(open);
      expect(await store.getInvite(open.id)).toEqual(open);
      const claims = await Promise.all([1, 2, 3].map(() => store.claimInvite(open.id, NOW + 1)));
      const won = claims.filter((claim) => claim !== undefined);
      expect(won).toHaveLength(1);
      expect(won[0]).toMatchObject({ id: open.id, accepted_at: NOW + 1, role: 'moderator' });
      expect(await store.getInvite(open.id)).toMatchObject({ accepted_at: NOW + 1 });
      expect(await store.claimInvite('no-such-invite', NOW)).toBeUndefined();
    });

    it('refuses to claim an expired invite', async () => {
      const stale = invite({ expires_at: NOW });
      await store.insertInvite(stale);
      expect(await store.claimInvite(stale.id, NOW)).toBeUndefined();
      expect(await store.getInvite(stale.id)).toMatchObject({ accepted_at: null });
    });

    it('claims an invite and creates its account together, or neither, for concurrent new accounts', async () => {
      const email = `together-${++people}@example.test`;
      const invites = [1, 2, 3, 4].map(() => invite({ email }));
      for (const each of invites) await store.insertInvite(each);
      const accounts = invites.map((_, i) => ({
        id: newId(NOW + 100 + i),
        email,
        name: `Racer ${i}`,
        password_hash: `hash ${i}`,
        is_admin: 0,
        created_at: NOW + i,
      }));
      const outcomes = await Promise.all(
        invites.map((each, i) => store.claimInviteForNewUser(each.id, accounts[i] as UserRow, NOW + 1)),
      );
      expect([...outcomes].sort()).toEqual(['created', 'taken', 'taken', 'taken']);
      const winner = outcomes.indexOf('created');
      expect(await store.findUserByEmail(email)).toEqual(accounts[winner]);
      for (const [i, each] of invites.entries()) {
        expect(await store.getInvite(each.id)).toMatchObject({ accepted_at: i === winner ? NOW + 1 : null });
        if (i !== winner) expect(await store.getUser(accounts[i]?.id ?? '')).toBeUndefined();
      }

      const spent = invite({ email: `spent-${people}@example.test`, accepted_at: NOW });
      const expired = invite({ email: `expired-${people}@example.test`, expires_at: NOW });
      for (const each of [spent, expired]) {
        await store.insertInvite(each);
        const account = { ...(accounts[0] as UserRow), id: newId(NOW + 200), email: each.email };
        expect(await store.claimInviteForNewUser(each.id, account, NOW + 1)).toBe('spent');
        expect(await store.findUserByEmail(each.email)).toBeUndefined();
      }
    });

    it('stores passkeys per user, finds one by credential id and records its use', async () => {
      const [user, other] = [await newUser(), await newUser()];
      const first = passkey(user.id, { created_at: NOW });
      const second = passkey(user.id, { created_at: NOW + 1, name: 'Phone' });
      const theirs = passkey(other.id);
      for (const row of [first, second, theirs]) await store.insertPasskey(row);

      expect((await store.listPasskeys(user.id)).map((p) => p.name)).toEqual(['Laptop', 'Phone']);
      expect(await store.getPasskey(theirs.id)).toEqual(theirs);
      await store.usePasskey(first.id, 7, NOW + 60_000);
      expect(await store.getPasskey(first.id)).toMatchObject({ counter: 7, last_used_at: NOW + 60_000 });
      await expect(store.insertPasskey({ ...theirs, user_id: user.id })).rejects.toThrow();
    });

    it('deletes a passkey only for its owner', async () => {
      const [user, other] = [await newUser(), await newUser()];
      const key = passkey(user.id);
      await store.insertPasskey(key);
      expect(await store.deletePasskey(other.id, key.id)).toBe(false);
      expect(await store.getPasskey(key.id)).toBeDefined();
      expect(await store.deletePasskey(user.id, key.id)).toBe(true);
      expect(await store.getPasskey(key.id)).toBeUndefined();
      expect(await store.deletePasskey(user.id, key.id)).toBe(false);
    });

    it('hands out a challenge once, only for its purpose and before it expires', async () => {
      const row = { user_id: 'u1', purpose: 'register', expires_at: NOW + 300_000 } as const;
      await store.insertChallenge({ ...row, challenge: 'c-once' }, NOW);
      const taken = await Promise.all([1, 2].map(() => store.takeChallenge('c-once', 'register', NOW)));
      expect(taken.filter(Boolean)).toEqual([{ ...row, challenge: 'c-once' }]);

      await store.insertChallenge({ ...row, challenge: 'c-purpose' }, NOW);
      expect(await store.takeChallenge('c-purpose', 'login', NOW)).toBeUndefined();
      // A challenge offered for the wrong purpose is spent all the same: it was shown to someone.
      expect(await store.takeChallenge('c-purpose', 'register', NOW)).toBeUndefined();

      await store.insertChallenge({ ...row, challenge: 'c-late' }, NOW);
      expect(await store.takeChallenge('c-late', 'register', NOW + 300_000)).toBeUndefined();
    });

    it('drops expired challenges when storing a new one', async () => {
      await store.insertChallenge(
        { challenge: 'c-old', user_id: null, purpose: 'login', expires_at: NOW },
        NOW,
      );
      await store.insertChallenge(
        { challenge: 'c-new', user_id: null, purpose: 'login', expires_at: NOW + DAY },
        NOW + 1,
      );
      // Taken with a clock from before its expiry: absent because it was pruned, not because it is late.
      expect(await store.takeChallenge('c-old', 'login', NOW - 1)).toBeUndefined();
      expect(await store.takeChallenge('c-new', 'login', NOW + 1)).toMatchObject({ user_id: null });
    });
  });
}
