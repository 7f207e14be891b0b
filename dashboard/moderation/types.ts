import type { AdminComment, BulkAction, BulkResult } from '../../shared/admin-schemas.ts';
import { api, type Result } from '../api.ts';

/** An admin comment as the dashboard reads it; `parent` gives a reply its context in the queue. */
export type ModComment = AdminComment;

export type ModAction = BulkAction['action'];

/** Button labels, and the words for the announcement once done. */
export const ACTIONS: Record<ModAction, { label: string; done: string }> = {
  approve: { label: 'Approve', done: 'Approved' },
  spam: { label: 'Spam', done: 'Marked as spam:' },
  delete: { label: 'Delete', done: 'Deleted' },
  restore: { label: 'Restore', done: 'Restored' },
  pin: { label: 'Pin', done: 'Pinned' },
  unpin: { label: 'Unpin', done: 'Unpinned' },
};

/** Applies one moderation action to up to 200 comments in one request. */
export function moderate(ids: string[], action: ModAction): Promise<Result<BulkResult>> {
  return api<BulkResult>('/comments/actions', { method: 'POST', body: { ids, action } });
}

/** "3 comments", "1 comment". */
export const countComments = (n: number) => `${n} ${n === 1 ? 'comment' : 'comments'}`;

/** The first words of a comment's text, for a one-line mention of it. */
export function excerpt(comment: Pick<AdminComment, 'body'>, length = 120): string {
  const text = comment.body.replace(/\s+/g, ' ').trim();
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
