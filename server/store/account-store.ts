import { type Kysely, sql } from 'kysely';
import type { Atomic } from './atomic.ts';
import type {
  AuthChallengeRow,
  Database,
  InviteRow,
  MemberRow,
  PasskeyRow,
  SessionRow,
  UserRow,
} from './schema.ts';

/**
 * People who run sites: accounts, their sessions, passkeys and roles on sites, and the invites that hand out roles.
 *
 * @example
 * const user = await store.findUserByEmail('owner@example.com');
 * const roles = await store.listMemberships(user.id);
 */
export interface AccountStore {
  /** Creates an account; fails if the email is taken. */
  insertUser(user: UserRow): Promise<void>;
  getUser(id: string): Promise<UserRow | undefined>;
  /** By lowercased email. */
  findUserByEmail(email: string): Promise<UserRow | undefined>;
  /** Server owners, oldest first. */
  listAdmins(): Promise<UserRow[]>;
  setPassword(userId: string, passwordHash: string): Promise<void>;
  /** Sets the account's public name, the one its replies from the dashboard carry. */
  setUserName(userId: string, name: string): Promise<void>;

  insertSession(session: SessionRow): Promise<void>;
  /** The session with this id (a hash of the cookie token) if it has not expired at `now`. */
  getSession(id: string, now: number): Promise<SessionRow | undefined>;
  /** Records use, and slides the expiry forward. */
  touchSession(id: string, now: number, expiresAt: number): Promise<void>;
  listSessions(userId: string, now: number): Promise<SessionRow[]>;
  deleteSession(id: string): Promise<void>;
  /** Revokes every session of the user except `keepId`. */
  deleteOtherSessions(userId: string, keepId: string): Promise<void>;
  /** Revokes every session of the user (after a password reset from the command line). */
  deleteUserSessions(userId: string): Promise<void>;

  /** Every site role the user holds. */
  listMemberships(userId: string): Promise<MemberRow[]>;
  getMembership(siteId: string, userId: string): Promise<MemberRow | undefined>;
  upsertMembership(member: MemberRow): Promise<void>;
  deleteMembership(siteId: string, userId: string): Promise<void>;
  /**
   * Removes a member unless that would leave the site without an owner; true when a row was removed. One
   * statement, so two owners removing each other at once cannot both succeed on SQLite and D1 (PostgreSQL's
   * default isolation could still let them).
   *
   * @example if (!(await store.removeMemberKeepingAnOwner('blog', userId))) throw conflict;
   */
  removeMemberKeepingAnOwner(siteId: string, userId: string): Promise<boolean>;
  /** Members of a site with their accounts, oldest first. */
  listMembers(siteId: string): Promise<Array<MemberRow & { email: string; name: string }>>;

  /** Stores an invite; its id is the SHA-256 of the token in the link. */
  insertInvite(invite: InviteRow): Promise<void>;
  /** The invite with this id (token hash), used or expired ones included. */
  getInvite(id: string): Promise<InviteRow | undefined>;
  /** A site's invites neither used nor expired at `now`, oldest first. */
  listPendingInvites(siteId: string, now: number): Promise<InviteRow[]>;
  /** Withdraws an unused invite of the site; false when it has none with that id (or it was used). */
  revokeInvite(siteId: string, id: string): Promise<boolean>;
  /**
   * Marks the invite used if it is unused and unexpired at `now`, in one statement: of concurrent callers, only
   * one gets the invite back; the others get undefined.
   */
  claimInvite(id: string, now: number): Promise<InviteRow | undefined>;
  /**
   * Claims the invite and creates the account it is for, as one unit: both happen or neither does. `created`
   * when they did; otherwise the invite is left as it was, and the answer says why: `taken` when an account with
   * the email exists by now (a parallel acceptance of another invite made it), `spent` when the invite was used
   * or has expired.
   *
   * @example if ((await store.claimInviteForNewUser(invite.id, user, now)) !== 'created') throw conflict;
   */
  claimInviteForNewUser(id: string, user: UserRow, now: number): Promise<'created' | 'taken' | 'spent'>;

  /** Stores a verified passkey; its id is the WebAuthn credential id (base64url). */
  insertPasskey(passkey: PasskeyRow): Promise<void>;
  /** By credential id, whoever it belongs to (for sign-in, where the credential names its owner). */
  getPasskey(id: string): Promise<PasskeyRow | undefined>;
  /** The user's passkeys, oldest first. */
  listPasskeys(userId: string): Promise<PasskeyRow[]>;
  /** Records a sign-in: the authenticator's new signature counter and the time. */
  usePasskey(id: string, counter: number, now: number): Promise<void>;
  /** Removes one of the user's passkeys; false when the user has none with that id. */
  deletePasskey(userId: string, id: string): Promise<boolean>;

  /** Stores a WebAuthn challenge, first dropping challenges that expired before `now` (two round trips). */
  insertChallenge(challenge: AuthChallengeRow, now: number): Promise<void>;
  /**
   * Removes the challenge and returns it if it was issued for `purpose` and is unexpired at `now`: each challenge
   * can be taken once, from any instance.
   *
   * @example const issued = await store.takeChallenge(clientData.challenge, 'login', now);
   */
  takeChallenge(
    challenge: string,
    purpose: AuthChallengeRow['purpose'],
    now: number,
  ): Promise<AuthChallengeRow | undefined>;
}

export function accountQueries(db: Kysely<Database>, atomic: Atomic): AccountStore {
  return {
    async insertUser(user) {
      await db.insertInto('users').values(user).execute();
    },
    getUser: (id) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
    findUserByEmail: (email) =>
      db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst(),
    listAdmins: () =>
      db.selectFrom('users').selectAll().where('is_admin', '=', 1).orderBy('created_at').execute(),
    async setPassword(userId, passwordHash) {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
    },
    async setUserName(userId, name) {
      await db.updateTable('users').set({ name }).where('id', '=', userId).execute();
    },

    async insertSession(session) {
      await db.insertInto('sessions').values(session).execute();
    },
    getSession: (id, now) =>
      db
        .selectFrom('sessions')
        .selectAll()
        .where('id', '=', id)
        .where('expires_at', '>', now)
        .executeTakeFirst(),
    async touchSession(id, now, expiresAt) {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: now, expires_at: expiresAt })
        .where('id', '=', id)
        .execute();
    },
    listSessions: (userId, now) =>
      db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('expires_at', '>', now)
        .orderBy('last_seen_at', 'desc')
        .execute(),
    async deleteSession(id) {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
    },
    async deleteOtherSessions(userId, keepId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepId).execute();
    },
    async deleteUserSessions(userId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },

    listMemberships: (userId) =>
      db.selectFrom('site_members').selectAll().where('user_id', '=', userId).execute(),
    getMembership: (siteId, userId) =>
      db
        .selectFrom('site_members')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('user_id', '=', userId)
        .executeTakeFirst(),
    async upsertMembership(member) {
      await db
        .insertInto('site_members')
        .values(member)
        .onConflict((oc) => oc.columns(['site_id', 'user_id']).doUpdateSet({ role: member.role }))
        .execute();
    },
    async deleteMembership(siteId, userId) {
      await db
        .deleteFrom('site_members')
        .where('site_id', '=', siteId)
        .where('user_id', '=', userId)
        .execute();
    },
    async removeMemberKeepingAnOwner(siteId, userId) {
      const removed = await db
        .deleteFrom('site_members')
        .where('site_id', '=', siteId)
        .where('user_id', '=', userId)
        .where((eb) =>
          eb.or([
            eb('role', '!=', 'owner'),
            eb(
              eb
                .selectFrom('site_members as owners')
                .select((count) => count.fn.countAll().as('n'))
                .where('owners.site_id', '=', siteId)
                .where('owners.role', '=', 'owner'),
              '>',
              1,
            ),
          ]),
        )
        .returning('user_id')
        .execute();
      return removed.length > 0;
    },
    listMembers: (siteId) =>
      db
        .selectFrom('site_members')
        .innerJoin('users', 'users.id', 'site_members.user_id')
        .select([
          'site_members.site_id',
          'site_members.user_id',
          'site_members.role',
          'site_members.created_at',
          'users.email',
          'users.name',
        ])
        .where('site_members.site_id', '=', siteId)
        .orderBy('site_members.created_at')
        .execute(),

    async insertInvite(invite) {
      await db.insertInto('invites').values(invite).execute();
    },
    getInvite: (id) => db.selectFrom('invites').selectAll().where('id', '=', id).executeTakeFirst(),
    listPendingInvites: (siteId, now) =>
      db
        .selectFrom('invites')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('accepted_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('created_at')
        .execute(),
    async revokeInvite(siteId, id) {
      const removed = await db
        .deleteFrom('invites')
        .where('id', '=', id)
        .where('site_id', '=', siteId)
        .where('accepted_at', 'is', null)
        .returning('id')
        .execute();
      return removed.length > 0;
    },
    claimInvite: (id, now) =>
      db
        .updateTable('invites')
        .set({ accepted_at: now })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst(),
    async claimInviteForNewUser(id, user, now) {
      // Two statements, each conditional on the state the other leaves, run as one unit (a transaction; a batch
      // on D1): the account is inserted only while the invite is open and the email free, and the invite is
      // claimed only if that account now exists. Of parallel acceptances for one email, one creates the account;
      // the others insert nothing, so claim nothing.
      const open = db
        .selectFrom('invites')
        .select('id')
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('expires_at', '>', now);
      const insert = db
        .insertInto('users')
        .columns(['id', 'email', 'name', 'password_hash', 'is_admin', 'created_at'])
        .expression(
          db
            .selectNoFrom([
              sql<string>`${user.id}`.as('id'),
              sql<string>`${user.email}`.as('email'),
              sql<string>`${user.name}`.as('name'),
              sql<string | null>`${user.password_hash}`.as('password_hash'),
              sql<number>`${user.is_admin}`.as('is_admin'),
              sql<number>`${user.created_at}`.as('created_at'),
            ])
            .where((eb) => eb.exists(open)),
        )
        .onConflict((oc) => oc.column('email').doNothing());
      const claim = db
        .updateTable('invites')
        .set({ accepted_at: now })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where((eb) => eb.exists(eb.selectFrom('users').select('id').where('id', '=', user.id)))
        .returning('id');
      const [, claimed] = await atomic([insert.compile(), claim.compile()]);
      if (claimed && claimed.rows.length > 0) return 'created';
      return (await open.executeTakeFirst()) ? 'taken' : 'spent';
    },

    async insertPasskey(passkey) {
      await db.insertInto('passkeys').values(passkey).execute();
    },
    getPasskey: (id) => db.selectFrom('passkeys').selectAll().where('id', '=', id).executeTakeFirst(),
    listPasskeys: (userId) =>
      db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').execute(),
    async usePasskey(id, counter, now) {
      await db.updateTable('passkeys').set({ counter, last_used_at: now }).where('id', '=', id).execute();
    },
    async deletePasskey(userId, id) {
      const removed = await db
        .deleteFrom('passkeys')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returning('id')
        .execute();
      return removed.length > 0;
    },

    async insertChallenge(challenge, now) {
      await db.deleteFrom('auth_challenges').where('expires_at', '<=', now).execute();
      await db.insertInto('auth_challenges').values(challenge).execute();
    },
    async takeChallenge(challenge, purpose, now) {
      const taken = await db
        .deleteFrom('auth_challenges')
        .where('challenge', '=', challenge)
        .returningAll()
        .executeTakeFirst();
      return taken && taken.purpose === purpose && taken.expires_at > now ? taken : undefined;
    },
  };
}
