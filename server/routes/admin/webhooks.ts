import { createRoute, z } from '@hono/zod-openapi';
import {
  CreatedWebhookSchema,
  CreateWebhookSchema,
  type Delivery,
  DeliverySchema,
  type Webhook,
  type WebhookEventName,
  WebhookSchema,
} from '../../../shared/webhook-schemas.ts';
import type { AppContext } from '../../app-context.ts';
import { authorize } from '../../auth/access.ts';
import { randomToken } from '../../crypto.ts';
import { ApiError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { DeliveryRow, WebhookRow } from '../../store/schema.ts';
import { newDelivery } from '../../webhooks/deliveries.ts';
import { webhookUrlProblem } from '../../webhooks/targets.ts';
import { ADMIN_ERRORS, json, jsonBody, pathParam } from '../responses.ts';
import { type AdminApp, requireSession, signedIn } from './admin-env.ts';
import { recordAudit } from './scope.ts';
import { SiteParams } from './sites.ts';

const WebhookParams = SiteParams.extend({ id: pathParam('id') });
const LOG_LENGTH = 50;
const MAX_WEBHOOKS = 10;

const listRoute = createRoute({
  method: 'get',
  path: '/sites/{site}/webhooks',
  summary: "A site's webhooks, oldest first (owners)",
  middleware: [requireSession],
  request: { params: SiteParams },
  responses: { 200: json(z.array(WebhookSchema), 'Webhooks'), ...ADMIN_ERRORS },
});

const createWebhookRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/webhooks',
  summary: 'Add a webhook (owners); its signing secret is in this answer only',
  description:
    'Comment events of the site are posted to the URL as JSON, signed in `Parley-Signature` (docs/admin-api.md, ' +
    '"Webhooks"), and retried with backoff until answered 2xx. At most 10 per site.',
  middleware: [requireSession],
  request: { params: SiteParams, ...jsonBody(CreateWebhookSchema) },
  responses: { 201: json(CreatedWebhookSchema, 'The webhook and its secret'), ...ADMIN_ERRORS },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/sites/{site}/webhooks/{id}',
  summary: 'Remove a webhook and its delivery log (owners)',
  middleware: [requireSession],
  request: { params: WebhookParams },
  responses: { 200: json(z.object({ deleted: z.literal(true) }), 'Removed'), ...ADMIN_ERRORS },
});

const deliveriesRoute = createRoute({
  method: 'get',
  path: '/sites/{site}/webhooks/{id}/deliveries',
  summary: "A webhook's latest 50 deliveries, newest first (owners)",
  middleware: [requireSession],
  request: { params: WebhookParams },
  responses: { 200: json(z.array(DeliverySchema), 'The delivery log'), ...ADMIN_ERRORS },
});

const testRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/webhooks/{id}/test',
  summary: 'Send a `ping` event now and answer with its first attempt (owners)',
  middleware: [requireSession],
  request: { params: WebhookParams },
  responses: { 201: json(DeliverySchema, 'The test delivery, after its first attempt'), ...ADMIN_ERRORS },
});

export const toWebhookView = (row: WebhookRow): Webhook => ({
  id: row.id,
  url: row.url,
  events: row.events.split(',') as WebhookEventName[],
  createdAt: row.created_at,
});

export const toDeliveryView = (row: DeliveryRow): Delivery => ({
  id: row.id,
  event: row.event,
  status: row.status,
  attempts: row.attempts,
  responseCode: row.response_code,
  durationMs: row.duration_ms,
  error: row.error,
  createdAt: row.created_at,
  lastAttemptAt: row.last_attempt_at,
  nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
  payload: row.payload,
});

export function registerWebhookRoutes(admin: AdminApp, ctx: AppContext) {
  const { store, clock, config } = ctx;

  /** The webhook named in the path, on the site named in the path, for one of its owners. */
  async function ownedWebhook(user: Parameters<typeof authorize>[1], site: string, id: string) {
    await authorize(store, user, site, 'manage');
    const webhook = await store.getWebhook(id);
    if (!webhook || webhook.site_id !== site) throw new ApiError(404, 'not_found', 'No such webhook');
    return webhook;
  }

  admin.openapi(listRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('param');
    await authorize(store, user, site, 'manage');
    return c.json((await store.listWebhooks(site)).map(toWebhookView), 200);
  });

  admin.openapi(createWebhookRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('param');
    await authorize(store, user, site, 'manage');
    const { url, events } = c.req.valid('json');
    const problem = webhookUrlProblem(url, config.webhooksAllowPrivate === true);
    if (problem)
      throw new ApiError(422, 'invalid_input', 'This URL cannot receive webhooks', { url: problem });
    if ((await store.listWebhooks(site)).length >= MAX_WEBHOOKS) {
      throw new ApiError(422, 'invalid_input', `A site has at most ${MAX_WEBHOOKS} webhooks`, {
        url: 'Remove one first',
      });
    }
    const now = clock.now();
    const webhook: WebhookRow = {
      id: newId(now),
      site_id: site,
      url,
      secret: `whsec_${randomToken()}`,
      events: [...new Set(events)].join(','),
      created_by: user.id,
      created_at: now,
    };
    await store.insertWebhook(webhook);
    await recordAudit(ctx, user, {
      siteId: site,
      action: 'webhook.create',
      targetId: webhook.id,
      after: { url, events: webhook.events.split(',') },
    });
    return c.json({ webhook: toWebhookView(webhook), secret: webhook.secret }, 201);
  });

  admin.openapi(deleteRoute, async (c) => {
    const { user } = signedIn(c);
    const { site, id } = c.req.valid('param');
    const webhook = await ownedWebhook(user, site, id);
    await store.deleteWebhook(webhook.id);
    await recordAudit(ctx, user, {
      siteId: site,
      action: 'webhook.delete',
      targetId: webhook.id,
      before: { url: webhook.url, events: webhook.events.split(',') },
    });
    return c.json({ deleted: true as const }, 200);
  });

  admin.openapi(deliveriesRoute, async (c) => {
    const { user } = signedIn(c);
    const { site, id } = c.req.valid('param');
    const webhook = await ownedWebhook(user, site, id);
    return c.json((await store.listDeliveries(webhook.id, LOG_LENGTH)).map(toDeliveryView), 200);
  });

  admin.openapi(testRoute, async (c) => {
    const { user } = signedIn(c);
    const { site, id } = c.req.valid('param');
    const webhook = await ownedWebhook(user, site, id);
    const record = await store.getSite(site);
    const now = clock.now();
    const delivery = newDelivery(
      webhook,
      {
        id: newId(now),
        event: 'ping',
        createdAt: now,
        site: { id: site, name: record?.name ?? site },
        thread: null,
        comment: null,
      },
      null,
    );
    await store.insertDeliveries([delivery]);
    await ctx.background.run();
    const sent = await store.getDelivery(delivery.id);
    if (!sent) throw new ApiError(404, 'not_found', 'No such webhook');
    return c.json(toDeliveryView(sent), 201);
  });
}
