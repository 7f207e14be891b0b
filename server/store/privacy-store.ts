import { type Kysely, sql } from 'kysely';
import { chunks } from './chunks.ts';
import type { BanRow, CommentRow, Database, OutboxRow, SubscriptionRow } from './schema.ts';

/** A comment with the page it is on, for a person's own copy of their data. */
export interface PersonalComment extends CommentRow {
  thread_site_id: string;
  thread_url: string;
  thread_title: string | null;
}

/** A reader's reply subscriptions, with the comments each watches and the replies waiting for its next mail. */
export interface PersonalMail {
  subscriptions: SubscriptionRow[];
  watches: Array<{ subscription_id: string; comment_id: string }>;
  notices: Array<{ subscription_id: string; comment_id: string; created_at: number }>;
}

/**
 * What privacy requests read and change: the links mailed to prove an email, and everything kept under an email's
 * keyed hash. Erasing goes through the comment writes (`updateComment`, `removeComment`), so counts, thread
 * versions and followers stay right.
 *
 * @example
 * await store.insertPrivacyToken({ id: await sha256(token), email, expires_at: now + HOUR }, now);
 * const email = await store.findPrivacyToken(await sha256(token), now);
 */
export interface PrivacyStore {
  /** Keeps a link's token hash and email; drops links that expired before `now`. */
  insertPrivacyToken(token: { id: string; email: string; expires_at: number }, now: number): Promise<void>;
  /** The email a link proves, while it has not expired. */
  findPrivacyToken(id: string, now: number): Promise<string | undefined>;
  /**
   * Every comment stored with this email hash, any status, on these sites (undefined: every site), oldest first,
   * with its page.
   */
  listCommentsByEmail(emailHash: string, siteIds?: readonly string[]): Promise<PersonalComment[]>;
  /** Bans by this email hash, on these sites (undefined: every site). */
  listBansByEmail(emailHash: string, siteIds?: readonly string[]): Promise<BanRow[]>;
  /** Drops the webhook deliveries that carry these comments, whatever their state. */
  deleteDeliveriesOf(commentIds: readonly string[]): Promise<void>;
  /** Clears the before and after fields (which may quote the text) of audit entries about these comments. */
  forgetAuditOf(commentIds: readonly string[]): Promise<void>;
  /**
   * The reply subscriptions of this email hash on these sites (undefined: every site), oldest first, with their
   * watched comments and waiting replies.
   */
  listMailByEmail(emailHash: string, siteIds?: readonly string[]): Promise<PersonalMail>;
  /**
   * Removes those subscriptions with their watches and waiting replies, and answers how many subscriptions went.
   * Waiting replies go first and the subscriptions last, so an interrupted call leaves them findable to erase again.
   */
  eraseMailByEmail(emailHash: string, siteIds?: readonly string[]): Promise<number>;
  /** Every outbox message addressed to this email (compared lowercased), sent or not, oldest first. */
  listMailTo(email: string): Promise<OutboxRow[]>;
  /** Removes every outbox message addressed to this email, sent or not, and answers how many went. */
  dropMailTo(email: string): Promise<number>;
}

export function privacyQueries(db: Kysely<Database>): PrivacyStore {
  const subscriptionsOf = (emailHash: string, siteIds?: readonly string[]) =>
    siteIds?.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('mail_subscriptions')
          .selectAll()
          .where('email_hash', '=', emailHash)
          .$if(siteIds !== undefined, (query) => query.where('site_id', 'in', siteIds ?? []))
          .orderBy('created_at')
          .orderBy('id')
          .execute();

  return {
    async insertPrivacyToken(token, now) {
      await db.deleteFrom('privacy_tokens').where('expires_at', '<', now).execute();
      await db.insertInto('privacy_tokens').values(token).execute();
    },
    async findPrivacyToken(id, now) {
      const row = await db
        .selectFrom('privacy_tokens')
        .select('email')
        .where('id', '=', id)
        .where('expires_at', '>=', now)
        .executeTakeFirst();
      return row?.email;
    },
    async listCommentsByEmail(emailHash, siteIds) {
      if (siteIds?.length === 0) return [];
      let query = db
        .selectFrom('comments as c')
        .innerJoin('threads as t', 't.id', 'c.thread_id')
        .selectAll('c')
        .select(['t.site_id as thread_site_id', 't.url as thread_url', 't.title as thread_title'])
        .where('c.email_hash', '=', emailHash);
      if (siteIds) query = query.where('t.site_id', 'in', siteIds);
      return query.orderBy('c.created_at').orderBy('c.id').execute();
    },
    async listBansByEmail(emailHash, siteIds) {
      if (siteIds?.length === 0) return [];
      let query = db
        .selectFrom('bans')
        .selectAll()
        .where('kind', '=', 'email')
        .where('value_hash', '=', emailHash);
      if (siteIds) query = query.where('site_id', 'in', siteIds);
      return query.orderBy('created_at').execute();
    },
    async deleteDeliveriesOf(commentIds) {
      for (const slice of chunks([...new Set(commentIds)])) {
        await db.deleteFrom('webhook_deliveries').where('comment_id', 'in', slice).execute();
      }
    },
    async forgetAuditOf(commentIds) {
      for (const slice of chunks([...new Set(commentIds)])) {
        await db
          .updateTable('audit_log')
          .set({ before_json: null, after_json: null })
          .where('target_id', 'in', slice)
          .execute();
      }
    },
    async listMailByEmail(emailHash, siteIds) {
      const subscriptions = await subscriptionsOf(emailHash, siteIds);
      const ids = subscriptions.map((row) => row.id);
      const watches: PersonalMail['watches'] = [];
      const notices: PersonalMail['notices'] = [];
      for (const slice of chunks(ids)) {
        watches.push(
          ...(await db
            .selectFrom('mail_watches')
            .select(['subscription_id', 'comment_id'])
            .where('subscription_id', 'in', slice)
            .orderBy('comment_id')
            .execute()),
        );
        notices.push(
          ...(await db
            .selectFrom('mail_reply_notices')
            .select(['subscription_id', 'comment_id', 'created_at'])
            .where('subscription_id', 'in', slice)
            .orderBy('created_at')
            .orderBy('id')
            .execute()),
        );
      }
      return { subscriptions, watches, notices };
    },
    async eraseMailByEmail(emailHash, siteIds) {
      const ids = (await subscriptionsOf(emailHash, siteIds)).map((row) => row.id);
      for (const slice of chunks(ids)) {
        await db.deleteFrom('mail_reply_notices').where('subscription_id', 'in', slice).execute();
        await db.deleteFrom('mail_watches').where('subscription_id', 'in', slice).execute();
        await db.deleteFrom('mail_subscriptions').where('id', 'in', slice).execute();
      }
      return ids.length;
    },
    listMailTo: (email) =>
      db
        .selectFrom('mail_outbox')
        .selectAll()
        .where(sql<string>`lower(recipient)`, '=', email.toLowerCase())
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    async dropMailTo(email) {
      const rows = await db
        .selectFrom('mail_outbox')
        .select('id')
        .where(sql<string>`lower(recipient)`, '=', email.toLowerCase())
        .execute();
      for (const slice of chunks(rows.map((row) => row.id))) {
        await db.deleteFrom('mail_outbox').where('id', 'in', slice).execute();
      }
      return rows.length;
    },
  };
}
