import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Failure } from '../api.ts';
import { useSession } from '../session.ts';
import { Alert } from '../ui/page.tsx';
import { BulkBar } from './bulk-bar.tsx';
import { CommentCard, cardId } from './comment-card.tsx';
import { ShortcutHelp } from './shortcut-help.tsx';
import { type Shortcut, useShortcuts } from './shortcuts.ts';
import { ACTIONS, countComments, type ModAction, type ModComment, moderate } from './types.ts';

export interface ListProps {
  /** The list's accessible name, e.g. "Pending comments". */
  label: string;
  comments: ModComment[];
  setComments: (next: ModComment[]) => void;
  /** Whether a comment, once changed, still belongs here: the queue lets go of what is no longer pending. */
  keeps: (comment: ModComment) => boolean;
  /** Show each comment's page and site (lists that mix pages); a thread's own page does not. */
  context: boolean;
  /** Indent replies by depth (a thread in depth-first order). */
  nested?: boolean;
  /** A reply written from a card; the list adds it where it belongs. */
  onReplied: (reply: ModComment) => void;
  /** Called once the first comments are on screen (the queue's time-to-first-render mark). */
  onRendered?: () => void;
  /** Asked for when `j` goes past the last comment and more can be loaded. */
  onEnd?: (() => void) | undefined;
  empty: ComponentChildren;
}

const newestFirst = (a: ModComment, b: ModComment) => b.createdAt - a.createdAt || (b.id > a.id ? 1 : -1);

interface Note {
  text: string;
  /** Ids that "Undo" restores (after a delete). */
  undo?: string[];
}

/**
 * Comments to moderate, one `<article>` each, with a selection for bulk actions and the keyboard shortcuts of
 * `shortcuts.ts`. After an action on the comment in focus, focus goes to the next one.
 */
export function ModerationList(props: ListProps) {
  const { comments, keeps } = props;
  const { session } = useSession();
  const [focusId, setFocusId] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [note, setNote] = useState<Note | null>(null);
  const [help, setHelp] = useState(false);
  const latest = useRef(comments);
  latest.current = comments;
  const rendered = useRef(false);

  useEffect(() => {
    if (comments.length > 0 && !rendered.current) {
      rendered.current = true;
      props.onRendered?.();
    }
  }, [comments.length]);

  const focusOn = (id: string | undefined) => {
    if (!id) return;
    setFocusId(id);
    const focus = () => document.getElementById(cardId(id))?.focus();
    // A card of a page still loading appears with a later render: focus it once it is there.
    if (document.getElementById(cardId(id))) focus();
    else requestAnimationFrame(focus);
  };

  const act = async (ids: string[], action: ModAction, moveFocus: boolean) => {
    const focusAt = comments.findIndex((comment) => comment.id === focusId);
    setBusy(true);
    const result = await moderate(ids, action);
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    const changed = new Map(result.value.comments.map((comment) => [comment.id, comment as ModComment]));
    const next = latest.current.flatMap((comment) => {
      const update = changed.get(comment.id);
      return !update ? [comment] : keeps(update) ? [update] : [];
    });
    // Comments coming back into the list (an undone delete in the queue) return to their place, newest first. A
    // thread keeps every comment, so its depth-first order is never resorted here.
    const present = new Set(next.map((comment) => comment.id));
    const back = [...changed.values()].filter((comment) => !present.has(comment.id) && keeps(comment));
    if (back.length > 0) {
      next.push(...back);
      next.sort(newestFirst);
    }
    props.setComments(next);
    setSelected((before) => new Set([...before].filter((id) => !changed.has(id))));
    const { failed } = result.value;
    setNote({
      text:
        `${ACTIONS[action].done} ${countComments(changed.size)}.` +
        (failed.length ? ` ${countComments(failed.length)} could not be changed: ${failed[0]?.reason}.` : ''),
      ...(action === 'delete' && { undo: [...changed.keys()] }),
    });
    if (moveFocus && focusId && ids.includes(focusId)) {
      const stayedAt = next.findIndex((comment) => comment.id === focusId);
      const target =
        stayedAt >= 0 ? (next[stayedAt + 1] ?? next[stayedAt]) : next[Math.min(focusAt, next.length - 1)];
      focusOn(target?.id);
    }
  };

  const toggle = (id: string, on: boolean) =>
    setSelected((before) => {
      const next = new Set(before);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const keyActions: Partial<Record<Shortcut, ModAction>> = {
    approve: 'approve',
    spam: 'spam',
    delete: 'delete',
  };
  useShortcuts(true, (shortcut) => {
    if (shortcut === 'help') return setHelp(true);
    const at = comments.findIndex((comment) => comment.id === focusId);
    const focused = comments[at];
    if (shortcut === 'next' || shortcut === 'previous') {
      if (shortcut === 'next' && at === comments.length - 1) props.onEnd?.();
      const to =
        at < 0 ? 0 : shortcut === 'next' ? Math.min(at + 1, comments.length - 1) : Math.max(at - 1, 0);
      return focusOn(comments[to]?.id);
    }
    if (!focused || busy) return;
    if (shortcut === 'select') return toggle(focused.id, !selected.has(focused.id));
    const action = keyActions[shortcut];
    if (action && focused.status !== (action === 'approve' ? 'approved' : action)) {
      void act([focused.id], action, true);
    }
  });

  const byId = new Map(comments.map((comment) => [comment.id, comment]));
  const siteNames =
    session.sites.length > 1 ? new Map(session.sites.map((site) => [site.id, site.name])) : null;
  return (
    <section class="mod" aria-label={props.label}>
      <BulkBar
        comments={comments}
        selected={selected}
        busy={busy}
        onSelect={setSelected}
        onAction={(action) => act([...selected], action, false)}
        onHelp={() => setHelp(true)}
      />
      <p class="status" role="status">
        {note?.text}
        {note?.undo && (
          <button type="button" class="l" onClick={() => act(note.undo ?? [], 'restore', false)}>
            Undo
          </button>
        )}
      </p>
      <Alert failure={failure} />
      <div class="list">
        {comments.map((comment) => (
          <div
            key={comment.id}
            class={props.nested ? `lv${Math.min(comment.depth, 4)}` : undefined}
            onFocusIn={() => setFocusId(comment.id)}
          >
            <CommentCard
              comment={comment}
              context={props.context}
              siteName={siteNames?.get(comment.siteId)}
              parent={!props.nested && comment.parentId ? byId.get(comment.parentId) : undefined}
              focused={comment.id === focusId}
              selected={selected.has(comment.id)}
              onSelect={(on) => toggle(comment.id, on)}
              busy={busy}
              onAction={(action) => {
                setFocusId(comment.id);
                void act([comment.id], action, true);
              }}
              onChanged={(changed) => {
                props.setComments(latest.current.map((c) => (c.id === changed.id ? changed : c)));
                setNote({ text: 'Changes saved.' });
              }}
              onReplied={(reply) => {
                props.onReplied(reply);
                setNote({ text: 'Your reply was posted.' });
              }}
              onBanned={({ bans, deleted }) => {
                const gone = new Map(deleted.map((each) => [each.id, each as ModComment]));
                if (gone.size > 0) {
                  props.setComments(
                    latest.current.flatMap((each) => {
                      const update = gone.get(each.id);
                      return !update ? [each] : keeps(update) ? [update] : [];
                    }),
                  );
                }
                const kinds = bans.map((ban) => ban.kind).join(' and ');
                setNote({
                  text:
                    `Banned ${comment.author.name || 'the commenter'} (${kinds})` +
                    (bans[0]?.expiresAt ? ` until ${new Date(bans[0].expiresAt).toLocaleString()}` : '') +
                    (gone.size > 0 ? ` and deleted ${countComments(gone.size)}.` : '.'),
                });
              }}
            />
          </div>
        ))}
      </div>
      {comments.length === 0 && props.empty}
      <ShortcutHelp open={help} onClose={() => setHelp(false)} />
    </section>
  );
}
