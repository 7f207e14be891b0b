import { z } from '@hono/zod-openapi';
import { text } from './text.ts';

/*
 * Webhooks in the admin API (`/admin/api/sites/{site}/webhooks`), shared by the server and the dashboard (types
 * only). What receivers get is described in docs/admin-api.md, "Webhooks".
 */

export const WebhookEventSchema = z
  .enum(['comment.created', 'comment.approved', 'comment.edited', 'comment.deleted'])
  .openapi({
    description:
      'created: a new comment or reply (held ones too, with status pending); approved: it became visible; ' +
      'edited: its text changed; deleted: it left the public thread',
  });

export const CreateWebhookSchema = z
  .object({
    url: text()
      .max(2000)
      .openapi({ description: 'http(s); internal addresses only with PARLEY_WEBHOOKS_ALLOW_PRIVATE=1' }),
    events: z.array(WebhookEventSchema).min(1).max(4),
  })
  .openapi('CreateWebhook');

export const DeliveryStatusSchema = z.enum(['pending', 'delivered', 'failed']).openapi({
  description: 'pending: to be tried (again); delivered: answered 2xx; failed: given up after the last retry',
});

export const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(WebhookEventSchema),
    createdAt: z.number().int(),
  })
  .openapi('Webhook');

export const CreatedWebhookSchema = z
  .object({
    webhook: WebhookSchema,
    secret: z.string().openapi({ description: 'Signs every delivery; shown this once only' }),
  })
  .openapi('CreatedWebhook');

export const DeliverySchema = z
  .object({
    id: z.string(),
    event: z.string(),
    status: DeliveryStatusSchema,
    attempts: z.number().int(),
    /** The HTTP status of the last attempt; null when it got no answer. */
    responseCode: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
    error: z.string().nullable(),
    createdAt: z.number().int(),
    lastAttemptAt: z.number().int().nullable(),
    /** When the next attempt is due; null once delivered or given up. */
    nextAttemptAt: z.number().int().nullable(),
    /** The exact body sent (and signed). */
    payload: z.string(),
  })
  .openapi('WebhookDelivery');

export type WebhookEventName = z.infer<typeof WebhookEventSchema>;
export type Webhook = z.infer<typeof WebhookSchema>;
export type CreatedWebhook = z.infer<typeof CreatedWebhookSchema>;
export type Delivery = z.infer<typeof DeliverySchema>;
