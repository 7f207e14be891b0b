import type { CommentView } from '../shared/schemas.ts';
import type { CommentRow } from './store/schema.ts';

/** What the public API shows of a stored comment: never the email, the client hash or the token hash. */
export function toCommentView(row: CommentRow): CommentView {
  const deleted = row.status === 'deleted';
  return {
    id: row.id,
    parentId: row.parent_id,
    depth: row.depth,
    author: { name: deleted ? '' : row.author_name, avatar: row.avatar },
    html: deleted ? '' : row.html,
    createdAt: Number(row.created_at),
    editedAt: row.edited_at === null ? null : Number(row.edited_at),
    status: deleted ? 'deleted' : row.status === 'approved' ? 'approved' : 'pending',
  };
}
