import type { LiveEvent } from '../shared/live.ts';
import type { CommentView } from '../shared/schemas.ts';
import { t } from './i18n.ts';

/*
 * Live threads in the widget: the thread's changes arrive over EventSource (which reconnects by itself, sending
 * the last event id) and are applied to what the reader sees. Others' new comments wait behind a "show" button at
 * the foot of the thread, so nothing moves under the reader's eyes; edits and removals apply in place.
 */

/** What live events change: the thread's lists, new comments held back until asked for, and the count. */
export interface LiveLists {
  comments: CommentView[];
  pinned: CommentView[];
  /** Shown beside the loaded pages: the reader's own and the new ones they asked to see. */
  added: CommentView[];
  /** Others' new comments, not shown yet. */
  fresh: CommentView[];
  count: number;
}

/** Opens the stream; the returned function closes it. Without EventSource the thread just stays as loaded. */
export function follow(url: string, onEvent: (event: LiveEvent) => void): () => void {
  if (typeof EventSource !== 'function') return () => {};
  const source = new EventSource(url);
  source.onmessage = ({ data }) => onEvent(JSON.parse(data) as LiveEvent);
  return () => source.close();
}

const shown = (comment: CommentView | undefined) => (comment?.status === 'approved' ? 1 : 0);

/**
 * The lists after a change: `comment` takes the place of the one with `id` wherever it is (the count follows its
 * status), or joins the new ones when others can see it. Without `comment`, the one with `id` left the thread: it
 * becomes a deleted placeholder where it was, so nothing below it jumps and a reply being written to it stays open
 * (the server then says why it cannot be posted).
 */
export function applyChange(lists: LiveLists, id: string, comment?: CommentView): LiveLists {
  const { comments, pinned, added, fresh } = lists;
  const old = [...comments, ...pinned, ...added, ...fresh].find((each) => each.id === id);
  if (!old) return comment?.status === 'approved' ? { ...lists, fresh: [...fresh, comment] } : lists;
  const next = comment ?? { ...old, status: 'deleted', html: '', pinned: false };
  const change = (list: CommentView[], keep = true) =>
    list.flatMap((each) => (each.id !== id ? [each] : keep || comment ? [next] : []));
  return {
    comments: change(comments),
    pinned: change(pinned, false),
    added: change(added),
    fresh: change(fresh, false),
    // Those held back were never counted.
    count: lists.count + (fresh.includes(old) ? 0 : shown(next) - shown(old)),
  };
}

/** The polite live region at the foot of the thread, with the button that shows what is new. */
export function NewComments({ count, show }: { count: number; show: () => void }) {
  return (
    <div class="live" aria-live="polite">
      {count > 0 && (
        <button type="button" part="button" onClick={show}>
          {count === 1 ? t('1 new comment — show') : t('{n} new comments — show', { n: count })}
        </button>
      )}
    </div>
  );
}
