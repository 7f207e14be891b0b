import type { CommentView } from '../shared/schemas.ts';
import type { CommentRow } from './store/schema.ts';

/**
 * What the public API shows of a stored comment: never the email, the client hash or the token hash. `ownerBadge`
 * is the site's setting: without it, comments from the dashboard look like any other.
 */
export function toCommentView(row: CommentRow, ownerBadge = false): CommentView {
  const deleted = row.status === 'deleted';
  return {
    id: row.id,
    parentId: row.parent_id,
    depth: row.depth,
    author: { name: deleted ? '' : row.author_name, avatar: row.avatar },
    html: deleted ? '' : row.html,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    status: deleted ? 'deleted' : row.status === 'approved' ? 'approved' : 'pending',
    isOwner: ownerBadge && !deleted && row.is_owner === 1,
    pinned: !deleted && row.pinned === 1,
    editedByModerator: !deleted && row.edited_by_moderator === 1,
  };
}
