import type { CommentView } from '../../shared/schemas.ts';
import { toCommentView } from '../comment-view.ts';
import type { CommentEvent } from '../events.ts';
import type { CommentRow } from '../store/schema.ts';

/** The events a webhook may ask for, and `ping`, sent by the dashboard's test button. */
export const WEBHOOK_EVENTS = [
  'comment.created',
  'comment.approved',
  'comment.edited',
  'comment.deleted',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * What a webhook is posted (docs/admin-api.md, "Webhooks"): the comment as readers would see it, never its email
 * or any hash.
 */
export interface WebhookPayload {
  /** The delivery's id: the same on every retry, so a receiver can drop repeats. */
  id: string;
  event: WebhookEvent | 'ping';
  /** When the event happened, epoch ms. */
  createdAt: number;
  site: { id: string; name: string };
  thread: { id: string; url: string; title: string | null } | null;
  comment: CommentView | null;
}

/** The webhook event for a comment event, or undefined when webhooks are not told (spam, pins). */
export function webhookEventOf(event: CommentEvent): WebhookEvent | undefined {
  switch (event.type) {
    case 'created':
      return event.comment.status === 'spam' ? undefined : 'comment.created';
    case 'approved':
      return 'comment.approved';
    case 'edited':
      return event.comment.status === 'spam' ? undefined : 'comment.edited';
    case 'deleted':
      return 'comment.deleted';
    default:
      return undefined;
  }
}

/** The comment as the payload shows it: a deleted one as its placeholder, whatever the row still held. */
export function payloadComment(event: WebhookEvent, row: CommentRow): CommentView {
  return toCommentView(event === 'comment.deleted' ? { ...row, status: 'deleted' } : row);
}
