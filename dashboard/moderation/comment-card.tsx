import { useState } from 'preact/hooks';
import type { BanCreated } from '../../shared/admin-schemas.ts';
import { Avatar } from '../../widget/avatar.tsx';
import { relativeTime } from '../../widget/time.ts';
import { Link } from '../router.tsx';
import { BanForm, BodyForm } from './card-forms.tsx';
import { ACTIONS, excerpt, type ModAction, type ModComment } from './types.ts';

export interface CardProps {
  comment: ModComment;
  /** Show where the comment was written (its page, its site): in lists that mix pages. */
  context: boolean;
  /** The site's name, when the person moderates more than one. */
  siteName?: string | undefined;
  /** The comment this one answers, when it is at hand (in a thread, or in the same page of a list). */
  parent?: ModComment | undefined;
  focused: boolean;
  selected?: boolean | undefined;
  onSelect?: ((selected: boolean) => void) | undefined;
  busy: boolean;
  onAction: (action: ModAction) => void;
  /** After an edit: the comment as now stored. */
  onChanged: (comment: ModComment) => void;
  /** After a reply: the new comment. */
  onReplied: (reply: ModComment) => void;
  onBanned: (created: BanCreated) => void;
}

// One formatter for every card: creating one per call (toLocaleString) was most of a card's render time.
const FULL_DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

const STATUS_WORDS = { pending: 'Pending', spam: 'Spam', deleted: 'Deleted' } as const;

/** Which moderation actions make sense for a comment in this state, in the order their buttons appear. */
function actionsFor(comment: ModComment): ModAction[] {
  if (comment.status === 'deleted') return ['restore'];
  const pin: ModAction[] =
    comment.depth === 0 && comment.status === 'approved' ? [comment.pinned ? 'unpin' : 'pin'] : [];
  if (comment.status === 'spam') return ['approve', 'delete'];
  if (comment.status === 'pending') return ['approve', 'spam', 'delete'];
  return ['spam', 'delete', ...pin];
}

/** Why a comment was held, in words; reasons the dashboard does not know are shown as the server gives them. */
function reasonWords(reason: string): string {
  const known: Record<string, string> = {
    'moderation: all': 'Held: the site holds every comment for approval',
    'first-time': 'Held: the commenter’s first comment on this site',
    links: 'Held: more links than the site allows',
    honeypot: 'Spam: a hidden field was filled in, as bots do',
    akismet: 'Held: Akismet thinks it is spam',
  };
  return known[reason] ?? `Held: ${reason}`;
}

export const cardId = (commentId: string) => `comment-${commentId}`;

/**
 * A comment as the reader sees it (avatar, name, time, rendered text, badges), with what a moderator needs around
 * it: where it was written, what it answers, why it was held, and the actions.
 */
export function CommentCard(props: CardProps) {
  const { comment, context, siteName, focused, selected, onSelect, busy, onAction } = props;
  const [mode, setMode] = useState<'read' | 'edit' | 'reply' | 'ban'>('read');
  const name = comment.author.name || 'Anonymous';
  const created = new Date(comment.createdAt);
  const labelId = `${cardId(comment.id)}-author`;
  const parent = props.parent
    ? { name: props.parent.author.name || 'Anonymous', text: excerpt(props.parent, 90) }
    : comment.parent && { name: comment.parent.author.name || 'Anonymous', text: comment.parent.excerpt };
  const back = () => {
    setMode('read');
    document.getElementById(cardId(comment.id))?.focus();
  };
  const toggle = (next: typeof mode) => () => setMode(mode === next ? 'read' : next);
  const pick = onSelect && (
    <input
      type="checkbox"
      checked={selected}
      onChange={(event) => onSelect(event.currentTarget.checked)}
      aria-label={`Select the comment by ${name}`}
    />
  );

  return (
    <article
      id={cardId(comment.id)}
      class={`c card status-${comment.status}${focused ? ' focused' : ''}${selected ? ' selected' : ''}`}
      tabIndex={-1}
      aria-labelledby={labelId}
      aria-busy={busy || undefined}
    >
      {context && (
        <div class="where">
          {pick}
          <span>
            On <Link to={`/threads/${comment.thread.id}`}>{comment.thread.title || comment.thread.url}</Link>
            {siteName && <span class="dim"> · {siteName}</span>}
          </span>
        </div>
      )}
      <header class="h">
        {!context && pick}
        <Avatar name={name} seed={comment.author.avatar} />
        <b id={labelId}>{name}</b>
        {comment.email && <span class="dim">{comment.email}</span>}
        <time class="dim" dateTime={created.toISOString()} title={FULL_DATE.format(created)}>
          {relativeTime(comment.createdAt, Date.now(), 'en')}
        </time>
        {/* Approved is how readers see it; only the other states get a badge. */}
        {comment.status !== 'approved' && (
          <span class={`badge ${comment.status}`}>{STATUS_WORDS[comment.status]}</span>
        )}
        {comment.isOwner && <span class="badge author">Author</span>}
        {comment.pinned && <span class="badge">Pinned</span>}
        {comment.editedByModerator ? (
          <span class="dim">edited by moderator</span>
        ) : (
          comment.editedAt && <span class="dim">edited</span>
        )}
      </header>
      {parent && (
        <p class="dim reply-to">
          In reply to {parent.name}: “{parent.text}”
        </p>
      )}
      {comment.statusReason && comment.status !== 'approved' && (
        <p class="reason">{reasonWords(comment.statusReason)}</p>
      )}
      {mode === 'edit' ? (
        <BodyForm
          kind="edit"
          comment={comment}
          onCancel={back}
          onDone={(changed) => {
            props.onChanged(changed);
            back();
          }}
        />
      ) : comment.html ? (
        <div class="b" dangerouslySetInnerHTML={{ __html: comment.html }} />
      ) : (
        <p class="gone">{comment.status === 'deleted' ? 'This comment was deleted.' : '(empty)'}</p>
      )}
      {mode !== 'edit' && (
        <div class="acts">
          {actionsFor(comment).map((action) => (
            <button key={action} type="button" class="l" disabled={busy} onClick={() => onAction(action)}>
              {ACTIONS[action].label}
            </button>
          ))}
          {comment.status !== 'deleted' && (
            <>
              <button type="button" class="l" onClick={toggle('edit')}>
                Edit
              </button>
              {/* The server takes replies to approved comments only. */}
              {comment.status === 'approved' && (
                <button type="button" class="l" aria-expanded={mode === 'reply'} onClick={toggle('reply')}>
                  Reply
                </button>
              )}
              <button type="button" class="l" aria-expanded={mode === 'ban'} onClick={toggle('ban')}>
                Ban…
              </button>
            </>
          )}
          {context && (
            <a class="l" href={comment.thread.url} target="_blank" rel="noopener noreferrer">
              Open page
            </a>
          )}
        </div>
      )}
      {mode === 'reply' && (
        <BodyForm
          kind="reply"
          comment={comment}
          onCancel={back}
          onDone={(reply) => {
            props.onReplied(reply);
            back();
          }}
        />
      )}
      {mode === 'ban' && (
        <BanForm
          comment={comment}
          onCancel={back}
          onDone={(created) => {
            props.onBanned(created);
            back();
          }}
        />
      )}
    </article>
  );
}
