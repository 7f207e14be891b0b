import type { Kysely } from 'kysely';
import type { Database, MemberRow, SessionRow, UserRow } from './schema.ts';

/**
 * People who run sites: accounts, their sessions and their roles on sites.
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

  insertSession(session: SessionRow): Promise<void>;
  /** The session with this id (a hash of the cookie token) if it has not expired at `now`. */
  getSession(id: string, now: number): Promise<SessionRow | undefined>;
  /** Records use, and slides the expiry forward. */
  touchSession(id: string, now: number, expiresAt: number): Promise<void>;
  listSessions(userId: string, now: number): Promise<SessionRow[]>;
  deleteSession(id: string): Promise<void>;
  /** Revokes every session of the user except `keepId`. */
  deleteOtherSessions(userId: string, keepId: string): Promise<void>;

  /** Every site role the user holds. */
  listMemberships(userId: string): Promise<MemberRow[]>;
  getMembership(siteId: string, userId: string): Promise<MemberRow | undefined>;
  upsertMembership(member: MemberRow): Promise<void>;
  deleteMembership(siteId: string, userId: string): Promise<void>;
  /** Members of a site with their accounts, oldest first. */
  listMembers(siteId: string): Promise<Array<MemberRow & { email: string; name: string }>>;
}

export function accountQueries(db: Kysely<Database>): AccountStore {
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
  };
}
