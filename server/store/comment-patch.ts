import type { CommentRow } from './schema.ts';
import type { CommentPatch } from './store.ts';

/**
 * The columns a patch changes, as stored: what the store writes, and what a row read before the write looks like
 * after it, in one place so the two never drift apart.
 *
 * @example
 * const after = { ...row, ...patchedColumns({ status: 'approved', statusReason: null }) };
 */
export function patchedColumns(patch: CommentPatch): Partial<CommentRow> {
  return {
    ...(patch.body !== undefined && { body: patch.body }),
    ...(patch.html !== undefined && { html: patch.html }),
    ...(patch.editedAt !== undefined && { edited_at: patch.editedAt }),
    ...(patch.status !== undefined && { status: patch.status }),
    ...(patch.statusReason !== undefined && { status_reason: patch.statusReason }),
    ...(patch.pinned !== undefined && { pinned: patch.pinned ? 1 : 0 }),
    ...(patch.editedByModerator !== undefined && { edited_by_moderator: patch.editedByModerator ? 1 : 0 }),
    ...(patch.scrub && {
      body: '',
      html: '',
      author_name: '',
      author_email: null,
      edit_token_hash: null,
      verified: 0,
    }),
    ...(patch.forget && { email_hash: null, client_hash: '' }),
  };
}

/** The row as the store holds it once `patch` is written. */
export const patchedRow = <Row extends CommentRow>(row: Row, patch: CommentPatch): Row => ({
  ...row,
  ...patchedColumns(patch),
});
