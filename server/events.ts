import { patchedRow } from './store/comment-patch.ts';
import type { CommentRow, NewComment } from './store/schema.ts';
import type { CommentPatch, Store } from './store/store.ts';

/**
 * What happened to a comment, told to whoever follows along (mail, webhooks, live threads, other instances).
 * `comment` is the row as it is now stored; for `deleted` it is the row as it was, which may be gone for good.
 *
 * - `created`: a new comment or reply, approved or held (`comment.status` says which).
 * - `edited`: its text changed (by its author or a moderator); an edit may also hold it (`status: 'pending'`).
 * - `approved`: it became visible (approved from the queue, or restored).
 * - `deleted`: it left the public thread: deleted, marked as spam, or removed for good.
 * - `updated`: anything else readers can see, such as a pin.
 */
export interface CommentEvent {
  type: 'created' | 'edited' | 'approved' | 'deleted' | 'updated';
  comment: CommentRow;
  /** The row before the change; absent for `created`. */
  previous?: CommentRow;
  /** The thread's version after the change: live threads number their events by it. */
  version: number;
}

export type CommentListener = (event: CommentEvent) => void | Promise<void>;

/**
 * A small in-process bus. Listeners run after the write that caused the event; their work never holds up the
 * answer. `settle()` hands the work still running to a platform that would otherwise end it with the request
 * (Workers' `waitUntil`).
 *
 * @example
 * const events = createCommentEvents(console.error);
 * events.listen(async ({ type, comment }) => { if (type === 'created') await enqueueMail(comment); });
 */
export function createCommentEvents(logError: (error: unknown) => void) {
  const listeners = new Set<CommentListener>();
  const running = new Set<Promise<void>>();

  return {
    /** Adds a listener; the returned function removes it. */
    listen(listener: CommentListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event: CommentEvent): void {
      for (const listener of listeners) {
        const work = Promise.resolve()
          .then(() => listener(event))
          .catch(logError)
          .finally(() => running.delete(work));
        running.add(work);
      }
    },
    /** Resolves when the listeners' work started so far has finished; undefined when none is running. */
    settle(): Promise<void> | undefined {
      if (running.size === 0) return undefined;
      return Promise.all(running).then(() => undefined);
    },
  };
}

export type CommentEvents = ReturnType<typeof createCommentEvents>;

/** What a patch means to someone following the thread. */
function eventTypeOf(before: CommentRow, patch: CommentPatch): CommentEvent['type'] {
  const status = patch.status ?? before.status;
  if (status !== before.status) {
    if (status === 'approved') return 'approved';
    if (before.status === 'approved') return patch.body === undefined ? 'deleted' : 'edited';
  }
  if (patch.body !== undefined) return 'edited';
  return 'updated';
}

/**
 * The store, telling `events` about every comment it writes: whatever route made the change (a reader, a
 * moderator, a ban that deletes), followers hear of it once, from one place. Imports write through their own
 * methods and stay silent, as a move of old comments should.
 */
export function observedStore(store: Store, events: CommentEvents): Store {
  return {
    ...store,
    async insertComment(comment: NewComment) {
      const version = await store.insertComment(comment);
      events.emit({ type: 'created', comment: comment as CommentRow, version });
      return version;
    },
    async updateComment(comment: CommentRow, patch: CommentPatch) {
      const version = await store.updateComment(comment, patch);
      const after = patchedRow(comment, patch);
      events.emit({ type: eventTypeOf(comment, patch), comment: after, previous: comment, version });
      return version;
    },
    async removeComment(comment: CommentRow) {
      const version = await store.removeComment(comment);
      events.emit({ type: 'deleted', comment, previous: comment, version });
      return version;
    },
  };
}
