import type { Kysely } from 'kysely';
import { hotQueriesOf } from './atomic.ts';
import { compiledTemplate } from './compiled.ts';
import type { Database, DeliveryRow, DeliveryStatus, NewDeliveryRow, WebhookRow } from './schema.ts';

/** What one attempt at a delivery came to, recorded by the sender that holds its lease. */
export interface DeliveryOutcome {
  status: DeliveryStatus;
  /** When to try again, for a delivery still pending. */
  nextAttemptAt: number;
  responseCode: number | null;
  durationMs: number;
  error: string | null;
  at: number;
}

/**
 * Sites' webhooks and their deliveries. A delivery is sent by whoever claims it first: `claimDelivery` leases a
 * due row to one sender at a time, across instances, until the lease runs out.
 *
 * @example
 * for (const due of await store.dueDeliveries(now, 20)) {
 *   const claimed = await store.claimDelivery(due.id, token, now, now + 60_000);
 *   if (claimed) await store.recordAttempt(due.id, token, outcome);
 * }
 */
export interface WebhookStore {
  insertWebhook(webhook: WebhookRow): Promise<void>;
  getWebhook(id: string): Promise<WebhookRow | undefined>;
  /** A site's webhooks, oldest first. */
  listWebhooks(siteId: string): Promise<WebhookRow[]>;
  /** Removes a webhook and its delivery log. */
  deleteWebhook(id: string): Promise<void>;

  /** Queues deliveries (any number, a few rows per statement). */
  insertDeliveries(rows: readonly NewDeliveryRow[]): Promise<void>;
  getDelivery(id: string): Promise<DeliveryRow | undefined>;
  /** A webhook's latest deliveries, newest first. */
  listDeliveries(webhookId: string, limit: number): Promise<DeliveryRow[]>;
  /** Pending deliveries due at `now` that no sender holds, oldest first. */
  dueDeliveries(now: number, limit: number): Promise<DeliveryRow[]>;
  /**
   * Leases a due delivery to the sender holding `token` until `leaseUntil`; false when another sender got it
   * first (or it is no longer pending, or not due).
   */
  claimDelivery(id: string, token: string, now: number, leaseUntil: number): Promise<boolean>;
  /** Records an attempt and releases the lease; does nothing unless `token` still holds it. */
  recordAttempt(id: string, token: string, outcome: DeliveryOutcome): Promise<void>;
  /** Drops finished deliveries (delivered or failed) created before `before`. */
  pruneDeliveries(before: number): Promise<void>;
}

// D1 binds at most 100 parameters per statement, and a delivery row takes 15.
const INSERT_CHUNK = 6;

export function webhookQueries(db: Kysely<Database>): WebhookStore {
  const hot = hotQueriesOf(db);
  // Asked on every comment event (is there a webhook to tell?): built and compiled once.
  const webhooksOf = compiledTemplate(['siteId'], (v) =>
    db.selectFrom('webhooks').selectAll().where('site_id', '=', v.siteId).orderBy('created_at'),
  );
  return {
    async insertWebhook(webhook) {
      await db.insertInto('webhooks').values(webhook).execute();
    },
    getWebhook: (id) => db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst(),
    async listWebhooks(siteId) {
      return (await hot(webhooksOf({ siteId }))).rows;
    },
    async deleteWebhook(id) {
      await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
      await db.deleteFrom('webhooks').where('id', '=', id).execute();
    },

    async insertDeliveries(rows) {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await db
          .insertInto('webhook_deliveries')
          .values(rows.slice(i, i + INSERT_CHUNK))
          .execute();
      }
    },
    getDelivery: (id) =>
      db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst(),
    listDeliveries: (webhookId, limit) =>
      db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('webhook_id', '=', webhookId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute(),
    dueDeliveries: (now, limit) =>
      db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute(),
    async claimDelivery(id, token, now, leaseUntil) {
      // One conditional statement: of senders racing for the row, only the first finds it unleased.
      const claimed = await db
        .updateTable('webhook_deliveries')
        .set({ lease_until: leaseUntil, lease_token: token })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .returning('id')
        .executeTakeFirst();
      return claimed !== undefined;
    },
    async recordAttempt(id, token, outcome) {
      await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status: outcome.status,
          attempts: eb('attempts', '+', 1),
          next_attempt_at: outcome.nextAttemptAt,
          response_code: outcome.responseCode,
          duration_ms: outcome.durationMs,
          error: outcome.error,
          last_attempt_at: outcome.at,
          lease_until: null,
          lease_token: null,
        }))
        .where('id', '=', id)
        .where('lease_token', '=', token)
        .execute();
    },
    async pruneDeliveries(before) {
      await db
        .deleteFrom('webhook_deliveries')
        .where('status', '!=', 'pending')
        .where('created_at', '<', before)
        .execute();
    },
  };
}
