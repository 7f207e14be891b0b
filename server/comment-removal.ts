import type { CommentRow } from './store/schema.ts';
import type { Store } from './store/store.ts';

/** Placeholders exist only to hold replies; once the last reply is gone, so are they, up the tree. */
export async function removeEmptyPlaceholders(store: Store, parentId: string | null): Promise<void> {
  let id = parentId;
  while (id) {
    const parent = await store.getComment(id);
    if (parent?.status !== 'deleted' || (await store.hasReplies(parent.id))) return;
    await store.removeComment(parent);
    id = parent.parent_id;
  }
}

/**
 * Takes a comment out of its thread as its author's own delete does: a comment with replies becomes a placeholder
 * that keeps no trace of what was said or by whom (with `forget`, not even the keyed hashes of the email and client
 * address); one without is removed, and so are the placeholders left empty above it. Answers which it did.
 *
 * @example const outcome = await takeOut(store, row, { forget: true }); // 'placeholder' | 'removed'
 */
export async function takeOut(
  store: Store,
  comment: CommentRow,
  options: { forget?: boolean; statusReason?: string } = {},
): Promise<'placeholder' | 'removed'> {
  if (await store.hasReplies(comment.id)) {
    await store.updateComment(comment, {
      status: 'deleted',
      scrub: true,
      ...(options.forget && { forget: true }),
      ...(options.statusReason && { statusReason: options.statusReason }),
    });
    return 'placeholder';
  }
  await store.removeComment(comment);
  await removeEmptyPlaceholders(store, comment.parent_id);
  return 'removed';
}
