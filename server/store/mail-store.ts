import { type Kysely, sql } from 'kysely';
import type { Database, MailLevel, OutboxRow, SubscriptionRow } from './schema.ts';

/** A message as the outbox keeps it. */
export interface QueuedMail {
  id: string;
  recipient: string;
  /** JSON of `{ subject, text, html, headers }`. */
  message: string;
}

/** How a failed attempt is recorded: another try at `retryAt`, or none (`retryAt` null: given up). */
export interface MailFailure {
  error: string;
  retryAt: number | null;
  now: number;
}

/** A reply waiting for its subscriber's next mail, with what the mail needs. */
export interface ReplyNotice {
  commentId: string;
  createdAt: number;
}

/**
 * Mail: the outbox (claimed with a lease, so that two instances never send one message twice), members' choices
 * of what they are mailed about, readers' reply subscriptions and the replies waiting to be batched, used
 * one-click links.
 *
 * @example
 * await store.enqueueMail({ id, recipient: 'ada@example.com', message: JSON.stringify(parts) }, now);
 * const due = await store.claimMail({ claimId, now, leaseMs: 60_000, limit: 20 });
 */
export interface MailStore {
  /** Queues a message, due at once; a second call with the same id adds nothing. */
  enqueueMail(mail: QueuedMail, now: number): Promise<void>;
  /**
   * Claims up to `limit` messages due at `now` that no one holds (or whose holder's lease ran out) for
   * `claimId` until `now + leaseMs`, and returns them. Of two callers at once, each message goes to one.
   */
  claimMail(claim: { claimId: string; now: number; leaseMs: number; limit: number }): Promise<OutboxRow[]>;
  /** Records a message sent by the holder of `claimId`. */
  markMailSent(id: string, claimId: string, now: number): Promise<void>;
  /** Records a failed attempt by the holder of `claimId`: counted, and either due again or given up. */
  markMailFailed(id: string, claimId: string, failure: MailFailure): Promise<void>;
  /**
   * Drops sent and given-up messages finished before `before`, and used link nonces recorded before it (keep them
   * longer than links live). Two round trips.
   */
  pruneMail(before: number): Promise<void>;
  /** The outbox as it stands, newest first: for tests and the command line. */
  listMail(limit: number): Promise<OutboxRow[]>;

  /** Members' stored choices on a site (members without a row use their role's default). */
  listMailPreferences(siteId: string): Promise<Map<string, MailLevel>>;
  setMailPreference(siteId: string, userId: string, level: MailLevel): Promise<void>;

  /**
   * The subscription of this reader (address hash and browser hash) on a site, created with `fresh` when missing
   * (safe under concurrent calls).
   */
  ensureSubscription(fresh: SubscriptionRow): Promise<SubscriptionRow>;
  getSubscription(id: string): Promise<SubscriptionRow | undefined>;
  /**
   * Marks the subscription as asked to confirm at `now`, unless a confirmation went to its address on its site
   * after `since`: true when the caller should send one (at most one per address per window).
   */
  claimConfirmation(id: string, now: number, since: number): Promise<boolean>;
  /** Confirms it (and lifts an earlier unsubscribe of it). */
  confirmSubscription(id: string, now: number): Promise<void>;
  /** Stops every subscription of the subscription's address on its site. */
  unsubscribe(id: string, now: number): Promise<void>;
  /** Whether a confirmed subscription ties this address hash to this browser hash on the site. */
  isVerifiedBrowser(siteId: string, emailHash: string, browserHash: string): Promise<boolean>;
  /** Mails replies to this comment to the subscription. */
  watchComment(commentId: string, subscriptionId: string): Promise<void>;
  /**
   * Notes a reply for the subscriber watching its parent, if that subscription is confirmed and not stopped, and
   * the reply is not by the same address. One statement.
   */
  noteReply(reply: { id: string; parentId: string; emailHash: string | null; now: number }): Promise<void>;
  /**
   * Subscriptions with replies ready to mail: one noted before `dueBefore` and not yet taken, or taken for a mail
   * before `staleBefore` that was never queued (the taker stopped).
   */
  dueReplySubscriptions(dueBefore: number, staleBefore: number, limit: number): Promise<string[]>;
  /**
   * Takes every waiting reply of the subscription for one mail and returns them, oldest first, with the mail's id:
   * `digestId`, or the id of a mail formed earlier whose taker stopped before queueing it. Empty when another
   * caller took them.
   */
  takeReplies(
    subscriptionId: string,
    digestId: string,
    now: number,
    staleBefore: number,
  ): Promise<{ digestId: string; replies: ReplyNotice[] }>;
  /** Forgets the replies of a mail once it is queued. */
  dropReplies(digestId: string): Promise<void>;

  /** Records the use of a one-click link's nonce; false when it was used before. */
  useMailLink(nonce: string, now: number): Promise<boolean>;
}

export function mailQueries(db: Kysely<Database>): MailStore {
  const finished = (claimId: string, id: string) =>
    db.updateTable('mail_outbox').where('id', '=', id).where('claim_id', '=', claimId);

  return {
    async enqueueMail({ id, recipient, message }, now) {
      await db
        .insertInto('mail_outbox')
        .values({ id, recipient, message, created_at: now, next_attempt_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },

    async claimMail({ claimId, now, leaseMs, limit }) {
      const due = db
        .selectFrom('mail_outbox')
        .select('id')
        .where('sent_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .orderBy('next_attempt_at')
        .limit(limit);
      // The lease is checked again on the row being updated: on PostgreSQL a second claimer waits for the first's
      // row lock, then sees the new lease and skips the row; SQLite and D1 run writes one at a time.
      await db
        .updateTable('mail_outbox')
        .set({ claim_id: claimId, lease_until: now + leaseMs })
        .where('id', 'in', due)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .where('sent_at', 'is', null)
        .execute();
      return db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('claim_id', '=', claimId)
        .where('sent_at', 'is', null)
        .orderBy('next_attempt_at')
        .execute();
    },

    async markMailSent(id, claimId, now) {
      await finished(claimId, id)
        .set((eb) => ({ sent_at: now, lease_until: null, attempts: eb('attempts', '+', 1) }))
        .execute();
    },

    async markMailFailed(id, claimId, { error, retryAt, now }) {
      await finished(claimId, id)
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: error.slice(0, 500),
          lease_until: null,
          claim_id: null,
          ...(retryAt === null ? { failed_at: now } : { next_attempt_at: retryAt }),
        }))
        .execute();
    },

    async pruneMail(before) {
      await db
        .deleteFrom('mail_outbox')
        .where((eb) => eb.or([eb('sent_at', '<', before), eb('failed_at', '<', before)]))
        .execute();
      await db.deleteFrom('mail_link_uses').where('used_at', '<', before).execute();
    },

    listMail: (limit) =>
      db
        .selectFrom('mail_outbox')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute(),

    async listMailPreferences(siteId) {
      const rows = await db
        .selectFrom('mail_preferences')
        .select(['user_id', 'level'])
        .where('site_id', '=', siteId)
        .execute();
      return new Map(rows.map((row) => [row.user_id, row.level]));
    },

    async setMailPreference(siteId, userId, level) {
      await db
        .insertInto('mail_preferences')
        .values({ site_id: siteId, user_id: userId, level })
        .onConflict((oc) => oc.columns(['site_id', 'user_id']).doUpdateSet({ level }))
        .execute();
    },

    async ensureSubscription(fresh) {
      await db
        .insertInto('mail_subscriptions')
        .values(fresh)
        .onConflict((oc) => oc.columns(['site_id', 'email_hash', 'browser_hash']).doNothing())
        .execute();
      return db
        .selectFrom('mail_subscriptions')
        .selectAll()
        .where('site_id', '=', fresh.site_id)
        .where('email_hash', '=', fresh.email_hash)
        .where('browser_hash', '=', fresh.browser_hash)
        .executeTakeFirstOrThrow();
    },

    getSubscription: (id) =>
      db.selectFrom('mail_subscriptions').selectAll().where('id', '=', id).executeTakeFirst(),

    async claimConfirmation(id, now, since) {
      const one = await db
        .selectFrom('mail_subscriptions')
        .select(['site_id', 'email_hash'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!one) return false;
      const recent = db
        .selectFrom('mail_subscriptions')
        .select('id')
        .where('site_id', '=', one.site_id)
        .where('email_hash', '=', one.email_hash)
        .where('confirm_sent_at', '>', since);
      const claimed = await db
        .updateTable('mail_subscriptions')
        .set({ confirm_sent_at: now })
        .where('id', '=', id)
        .where((eb) => eb.not(eb.exists(recent)))
        .returning('id')
        .executeTakeFirst();
      return claimed !== undefined;
    },

    async confirmSubscription(id, now) {
      await db
        .updateTable('mail_subscriptions')
        .set((eb) => ({ confirmed_at: eb.fn.coalesce('confirmed_at', sql.lit(now)), unsubscribed_at: null }))
        .where('id', '=', id)
        .execute();
    },

    async unsubscribe(id, now) {
      const one = await db
        .selectFrom('mail_subscriptions')
        .select(['site_id', 'email_hash'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!one) return;
      await db
        .updateTable('mail_subscriptions')
        .set({ unsubscribed_at: now })
        .where('site_id', '=', one.site_id)
        .where('email_hash', '=', one.email_hash)
        .where('unsubscribed_at', 'is', null)
        .execute();
    },

    async isVerifiedBrowser(siteId, emailHash, browserHash) {
      const row = await db
        .selectFrom('mail_subscriptions')
        .select('id')
        .where('site_id', '=', siteId)
        .where('email_hash', '=', emailHash)
        .where('browser_hash', '=', browserHash)
        .where('confirmed_at', 'is not', null)
        .executeTakeFirst();
      return row !== undefined;
    },

    async watchComment(commentId, subscriptionId) {
      await db
        .insertInto('mail_watches')
        .values({ comment_id: commentId, subscription_id: subscriptionId })
        .onConflict((oc) => oc.column('comment_id').doNothing())
        .execute();
    },

    async noteReply({ id, parentId, emailHash, now }) {
      await db
        .insertInto('mail_reply_notices')
        .columns(['id', 'subscription_id', 'comment_id', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('mail_watches as w')
            .innerJoin('mail_subscriptions as s', 's.id', 'w.subscription_id')
            .select([
              eb.val(id).as('id'),
              's.id as subscription_id',
              eb.val(id).as('comment_id'),
              eb.val(now).as('created_at'),
            ])
            .where('w.comment_id', '=', parentId)
            .where('s.confirmed_at', 'is not', null)
            .where('s.unsubscribed_at', 'is', null)
            .$if(emailHash !== null, (query) => query.where('s.email_hash', '!=', emailHash as string)),
        )
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },

    async dueReplySubscriptions(dueBefore, staleBefore, limit) {
      const rows = await db
        .selectFrom('mail_reply_notices')
        .select('subscription_id')
        .where((eb) =>
          eb.or([
            eb.and([eb('digest_id', 'is', null), eb('created_at', '<=', dueBefore)]),
            eb.and([eb('digest_id', 'is not', null), eb('claimed_at', '<', staleBefore)]),
          ]),
        )
        .groupBy('subscription_id')
        .limit(limit)
        .execute();
      return rows.map((row) => row.subscription_id);
    },

    async takeReplies(subscriptionId, digestId, now, staleBefore) {
      // A mail formed before but never confirmed queued keeps its id, so that queueing it again adds nothing.
      const stale = await db
        .selectFrom('mail_reply_notices')
        .select('digest_id')
        .where('subscription_id', '=', subscriptionId)
        .where('digest_id', 'is not', null)
        .where('claimed_at', '<', staleBefore)
        .executeTakeFirst();
      const id = stale?.digest_id ?? digestId;
      await db
        .updateTable('mail_reply_notices')
        .set({ digest_id: id, claimed_at: now })
        .where('subscription_id', '=', subscriptionId)
        .where((eb) =>
          eb.or([
            eb('digest_id', 'is', null),
            eb.and([eb('digest_id', '=', id), eb('claimed_at', '<', staleBefore)]),
          ]),
        )
        .execute();
      const rows = await db
        .selectFrom('mail_reply_notices')
        .select(['comment_id', 'created_at'])
        .where('digest_id', '=', id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      // Of callers at once, the one whose fresh id did not win finds none; two reusing a stale id queue one mail.
      return {
        digestId: id,
        replies: rows.map((row) => ({ commentId: row.comment_id, createdAt: row.created_at })),
      };
    },

    async dropReplies(digestId) {
      await db.deleteFrom('mail_reply_notices').where('digest_id', '=', digestId).execute();
    },

    async useMailLink(nonce, now) {
      const used = await db
        .insertInto('mail_link_uses')
        .values({ nonce, used_at: now })
        .onConflict((oc) => oc.column('nonce').doNothing())
        .returning('nonce')
        .executeTakeFirst();
      return used !== undefined;
    },
  };
}
