import type { CommentView } from '../shared/schemas.ts';

/**
 * Where a comment the reader just posted goes in the flat list, so that the list stays depth-first: after its
 * parent's last loaded descendant, or at the start or the end for a top-level comment.
 */
export function insertComment(
  list: readonly CommentView[],
  added: CommentView,
  newestFirst: boolean,
): CommentView[] {
  const next = [...list];
  const parentAt = next.findIndex((comment) => comment.id === added.parentId);
  if (parentAt < 0) {
    return newestFirst ? [added, ...next] : [...next, added];
  }
  const parentDepth = next[parentAt]?.depth ?? 0;
  let at = parentAt + 1;
  while ((next[at]?.depth ?? -1) > parentDepth) at++;
  next.splice(at, 0, added);
  return next;
}
