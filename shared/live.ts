import type { CommentView } from './schemas.ts';

/**
 * One message of a thread's live stream (`GET /api/comments/live`): the `data` of a Server-Sent Event whose `id` is
 * the thread's version after the change. Comments awaiting moderation never appear.
 *
 * - `comment`: a comment as readers now see it: new, edited, approved, pinned, or a deleted placeholder.
 * - `removed`: a comment left the public thread (removed for good, marked as spam, or held after an edit).
 * - `resync`: changes may have been missed, or the thread itself changed (its title, its lock): load it again.
 *
 * @example
 * source.onmessage = ({ data }) => {
 *   const event = JSON.parse(data) as LiveEvent;
 *   if (event.type === 'comment') show(event.comment);
 * };
 */
export type LiveEvent =
  | {
      type: 'comment';
      change: 'created' | 'edited' | 'approved' | 'deleted' | 'updated';
      comment: CommentView;
    }
  | { type: 'removed'; id: string }
  | { type: 'resync' };
