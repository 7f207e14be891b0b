import type { LiveEvent } from '../../shared/live.ts';
import { toCommentView } from '../comment-view.ts';
import type { CommentRow } from '../store/schema.ts';
import type { ThreadChange } from './changes.ts';

/**
 * What the readers of a thread see of a change: `row` is the comment as it now is (undefined when it is gone for
 * good; for a removal by this instance, the row as it was). Held comments never reach readers: null when nothing
 * visible changed.
 */
export function liveEventOf(
  change: ThreadChange,
  row: CommentRow | undefined,
  ownerBadge: boolean,
): LiveEvent | null {
  if (change.type === 'thread') return { type: 'resync' };
  if (change.type === 'site' || !change.comment) return null;
  const status = row?.status;
  if (change.type === 'deleted' && status !== 'deleted') return { type: 'removed', id: change.comment };
  if (!row || status === 'pending' || status === 'spam') {
    // A comment held from the start was never seen; one held after an edit, or caught as spam, leaves.
    return change.type === 'created' || change.type === 'approved'
      ? null
      : { type: 'removed', id: change.comment };
  }
  return { type: 'comment', change: change.type, comment: toCommentView(row, ownerBadge) };
}
