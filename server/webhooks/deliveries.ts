import type { AppContext } from '../app-context.ts';
import { randomToken } from '../crypto.ts';
import type { CommentEvent } from '../events.ts';
import { newId } from '../ids.ts';
import type { DeliveryRow, NewDeliveryRow, WebhookRow } from '../store/schema.ts';
import type { DeliveryOutcome } from '../store/webhook-store.ts';
import { payloadComment, type WebhookPayload, webhookEventOf } from './payload.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';
import { webhookUrlProblem } from './targets.ts';

/** Waits after the 1st, 2nd, … failed attempt; after the last one the delivery is given up (status `failed`). */
export const RETRY_DELAYS_MS = [
  30_000,
  2 * 60_000,
  10 * 60_000,
  60 * 60_000,
  6 * 60 * 60_000,
  24 * 60 * 60_000,
];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** How long one attempt may take before it counts as failed. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** How long a claimed delivery stays with its sender: past the attempt's timeout, so it never runs twice. */
const LEASE_MS = 60_000;
/** The delivery log keeps finished deliveries this long. */
export const DELIVERY_LOG_DAYS = 30;
const DUE_BATCH = 20;
const MAX_ERROR_CHARS = 300;

const eventsOf = (webhook: WebhookRow) => webhook.events.split(',');

/** A delivery row for a payload, due now. */
export function newDelivery(
  webhook: WebhookRow,
  payload: WebhookPayload,
  commentId: string | null,
): NewDeliveryRow {
  return {
    id: payload.id,
    webhook_id: webhook.id,
    event: payload.event,
    comment_id: commentId,
    payload: JSON.stringify(payload),
    status: 'pending',
    next_attempt_at: payload.createdAt,
    lease_until: null,
    lease_token: null,
    response_code: null,
    duration_ms: null,
    error: null,
    created_at: payload.createdAt,
    last_attempt_at: null,
  };
}

/** Queues one delivery per webhook of the comment's site that asked for the event; answers how many. */
async function enqueueFor(ctx: AppContext, event: CommentEvent): Promise<number> {
  const type = webhookEventOf(event);
  const siteId = event.comment.site_id;
  if (!type || !siteId) return 0;
  const webhooks = (await ctx.store.listWebhooks(siteId)).filter((hook) => eventsOf(hook).includes(type));
  if (webhooks.length === 0) return 0;
  const [site, thread] = await Promise.all([
    ctx.store.getSite(siteId),
    ctx.store.getThread(event.comment.thread_id),
  ]);
  if (!site) return 0;
  const now = ctx.clock.now();
  const rows = webhooks.map((webhook) =>
    newDelivery(
      webhook,
      {
        id: newId(now),
        event: type,
        createdAt: now,
        site: { id: site.id, name: site.name },
        thread: thread ? { id: thread.id, url: thread.url, title: thread.title } : null,
        comment: payloadComment(type, event.comment),
      },
      event.comment.id,
    ),
  );
  await ctx.store.insertDeliveries(rows);
  return rows.length;
}

/** What one attempt came to, and when to try again. */
async function attempt(
  ctx: AppContext,
  send: typeof fetch,
  delivery: DeliveryRow,
  webhook: WebhookRow | undefined,
): Promise<DeliveryOutcome> {
  const started = Date.now();
  const attempts = delivery.attempts + 1;
  const outcome = (responseCode: number | null, error: string | null): DeliveryOutcome => {
    const at = ctx.clock.now();
    const delivered = error === null;
    const retry = RETRY_DELAYS_MS[attempts - 1];
    return {
      status: delivered ? 'delivered' : retry === undefined || !webhook ? 'failed' : 'pending',
      nextAttemptAt: at + (delivered ? 0 : (retry ?? 0)),
      responseCode,
      durationMs: Date.now() - started,
      error: error?.slice(0, MAX_ERROR_CHARS) ?? null,
      at,
    };
  };
  if (!webhook) return outcome(null, 'The webhook was removed');
  const refused = webhookUrlProblem(webhook.url, ctx.config.webhooksAllowPrivate === true);
  if (refused) return outcome(null, refused);
  const timestamp = Math.floor(ctx.clock.now() / 1000);
  try {
    const res = await send(webhook.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Parley-Webhooks/1',
        'Parley-Event': delivery.event,
        'Parley-Delivery': delivery.id,
        [SIGNATURE_HEADER]: await signatureHeader(webhook.secret, timestamp, delivery.payload),
      },
      body: delivery.payload,
      // A redirect could lead anywhere, the server's own network included: it counts as a failure.
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await res.body?.cancel().catch(() => {});
    return res.ok ? outcome(res.status, null) : outcome(res.status, `Answered ${res.status}`);
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const message =
      name === 'TimeoutError'
        ? `No answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`
        : error instanceof Error
          ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
          : String(error);
    return outcome(null, message);
  }
}

/** How often an instance drops finished deliveries past the log's 30 days. */
const PRUNE_EVERY_MS = 60 * 60_000;

/** Sends every delivery due now that no other sender holds, batch by batch. */
async function sendDue(ctx: AppContext, send: typeof fetch): Promise<void> {
  const token = randomToken();
  const tried = new Set<string>();
  for (;;) {
    const now = ctx.clock.now();
    const due = (await ctx.store.dueDeliveries(now, DUE_BATCH)).filter((row) => !tried.has(row.id));
    if (due.length === 0) break;
    const webhooks = new Map<string, WebhookRow | undefined>();
    for (const delivery of due) {
      tried.add(delivery.id);
      if (!(await ctx.store.claimDelivery(delivery.id, token, now, now + LEASE_MS))) continue;
      if (!webhooks.has(delivery.webhook_id)) {
        webhooks.set(delivery.webhook_id, await ctx.store.getWebhook(delivery.webhook_id));
      }
      const result = await attempt(ctx, send, delivery, webhooks.get(delivery.webhook_id));
      await ctx.store.recordAttempt(delivery.id, token, result);
    }
  }
}

/**
 * Follows comment events: queues a delivery per interested webhook and starts sending at once (on Workers the
 * request's `waitUntil` keeps the send alive); retries are sent by later background runs once due.
 */
export function startWebhooks(ctx: AppContext, send: typeof fetch): void {
  let prunedAt = Number.NEGATIVE_INFINITY;
  ctx.background.add({
    name: 'webhooks',
    async run() {
      await sendDue(ctx, send);
      const now = ctx.clock.now();
      if (now - prunedAt < PRUNE_EVERY_MS) return;
      prunedAt = now;
      await ctx.store.pruneDeliveries(now - DELIVERY_LOG_DAYS * 24 * 60 * 60_000);
    },
  });
  ctx.events.listen(async (event) => {
    if ((await enqueueFor(ctx, event)) > 0) await ctx.background.run();
  });
}
