import type { CommentView } from '../shared/schemas.ts';

export interface TreeNode {
  comment: CommentView;
  /** Set when the reply is shown flat because its parent is already as deep as the layout nests. */
  replyTo?: CommentView;
  /** Set when the comment answers one that is not in the thread (hidden by a moderator): it is listed top-level. */
  orphan?: boolean;
  replies: TreeNode[];
}

interface Placed extends TreeNode {
  level: number;
  /** The list this node sits in; replies past the nesting limit join it. */
  siblings: TreeNode[];
}

/**
 * Builds the tree from the flat, depth-first list the API pages through. Replies nest up to `nestLevels` deep;
 * deeper ones are listed flat beside their deepest nested ancestor, each saying whom it answers. A comment whose
 * parent is not in the list (it was removed) becomes top-level, marked `orphan`, rather than disappear.
 *
 * @example buildTree([a, replyToA], 4) // → [{ comment: a, replies: [{ comment: replyToA, replies: [] }] }]
 */
export function buildTree(comments: readonly CommentView[], nestLevels: number): TreeNode[] {
  const roots: TreeNode[] = [];
  const placed = new Map<string, Placed>();
  for (const comment of comments) {
    const parent = comment.parentId == null ? undefined : placed.get(comment.parentId);
    let node: Placed;
    if (!parent) {
      node = { comment, orphan: comment.parentId != null, replies: [], level: 0, siblings: roots };
    } else if (parent.level < nestLevels) {
      node = { comment, replies: [], level: parent.level + 1, siblings: parent.replies };
    } else {
      node = {
        comment,
        replyTo: parent.comment,
        replies: [],
        level: parent.level,
        siblings: parent.siblings,
      };
    }
    node.siblings.push(node);
    placed.set(comment.id, node);
  }
  return roots;
}
