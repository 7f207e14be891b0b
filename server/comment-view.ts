import type { CommentView } from '../shared/schemas.ts';
import type { CommentRow, CommentStatus } from './store/schema.ts';

/** A stored comment in the API's terms, whatever its status: what every view of a comment starts from. */
export type StoredCommentView = Omit<CommentView, 'status'> & { status: CommentStatus };

/**
 * The one mapping from a comment row to the API's fields, as stored: readers' and moderators' views and the
 * export start from it and only hide or add.
 */
export function storedCommentView(row: CommentRow): StoredCommentView {
  return {
    id: row.id,
    parentId: row.parent_id,
    depth: row.depth,
    author: { name: row.author_name, avatar: row.avatar },
    html: row.html,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    status: row.status,
    isOwner: row.is_owner === 1,
    pinned: row.pinned === 1,
    editedByModerator: row.edited_by_moderator === 1,
    votes: row.votes ?? 0,
    ...(row.verified === 1 && { verified: true as const }),
  };
}

/**
 * What the public API shows of a stored comment: never the email, the client hash or the token hash. `ownerBadge`
 * is the site's setting: without it, comments from the dashboard look like any other.
 */
export function toCommentView(row: CommentRow, ownerBadge = false): CommentView {
  const view = storedCommentView(row);
  if (row.status === 'deleted') {
    return {
      ...view,
      author: { name: '', avatar: row.avatar },
      html: '',
      status: 'deleted',
      isOwner: false,
      pinned: false,
      editedByModerator: false,
      votes: 0,
      verified: undefined,
    };
  }
  return {
    ...view,
    status: row.status === 'approved' ? 'approved' : 'pending',
    isOwner: ownerBadge && view.isOwner,
  };
}
