import { Component, createRef } from 'preact';
import { Avatar } from './avatar.tsx';
import { writing as actions } from './chunks.ts';
import type { Ctx } from './context.ts';
import { t } from './i18n.ts';
import { relativeTime } from './time.ts';
import type { TreeNode } from './tree.ts';

export interface CommentProps {
  item: TreeNode;
  ctx: Ctx;
}

export interface CommentState {
  mode: 'read' | 'reply' | 'edit' | 'confirm';
  /** Why deleting failed, in words. */
  failure: string | null;
  /** The text is longer than the fold; `open`: the reader unfolded it (fold.tsx). */
  long?: boolean;
  open?: boolean;
}

// Plain functions rather than components: nothing to diff or keep between renders.
export const action = (label: string, onClick: () => void) => (
  <button type="button" class="l" part="action" onClick={onClick}>
    {label}
  </button>
);

const tag = (label: string) => <span class="dim tag">{label}</span>;

/** One comment and, nested inside its `<article>`, its replies. */
export class Comment extends Component<CommentProps, CommentState> {
  override state: CommentState = { mode: 'read', failure: null };
  /** The comment's `<article>`, which takes focus when the thread asks for it. */
  self = createRef<HTMLElement>();
  /** "Yes, delete", which takes focus when it appears. */
  confirm = createRef<HTMLButtonElement>();

  // Focus moves only after what the chunk does (posting, "Show more", "Delete"): the chunk moves it.
  override componentDidMount() {
    actions.value?.moveFocus(this);
  }

  override componentDidUpdate(previous: CommentProps, before: CommentState) {
    actions.value?.moveFocus(this, previous.ctx.focus, before.mode);
  }

  override render({ item, ctx }: CommentProps, { mode, failure }: CommentState) {
    const { comment, replyTo, orphan, replies } = item;
    const deleted = comment.status === 'deleted';
    const name = comment.author.name || t('Anonymous');
    const created = new Date(comment.createdAt);

    return (
      // Named by its author with aria-label, not by the id of the name: a pinned comment is shown twice.
      <article class="c" part="comment" ref={this.self} tabIndex={-1} aria-label={deleted ? undefined : name}>
        {deleted ? (
          <p class="gone">{t('This comment was deleted.')}</p>
        ) : (
          <header class="h" part="header">
            <Avatar name={name} seed={comment.author.avatar} />
            <b part="author">{name}</b>
            {comment.isOwner && tag(t('Author'))}
            {comment.verified && tag(t('verified'))}
            {comment.pinned && tag(t('Pinned'))}
            {comment.status === 'pending' && tag(t('awaiting moderation'))}
            {(replyTo || orphan) && (
              <span class="dim">
                {replyTo
                  ? t('replying to {name}', { name: replyTo.author.name || t('Anonymous') })
                  : t('replying to a removed comment')}
              </span>
            )}
            {/* The comment's permalink: opening it shows this comment (thread-actions.tsx, reveal). */}
            <a class="dim" part="permalink" href={`#comment-${comment.id}`}>
              <time
                dateTime={created.toISOString()}
                title={actions.value?.fullTime(comment.createdAt, ctx.lang)}
              >
                {relativeTime(comment.createdAt, ctx.now, ctx.lang)}
              </time>
            </a>
            {comment.editedAt && (
              <span class="dim" title={actions.value?.fullTime(comment.editedAt, ctx.lang)}>
                {comment.editedByModerator ? t('edited by a moderator') : t('edited')}
              </span>
            )}
          </header>
        )}
        {/* Editing, and the Edit and Delete buttons of the reader's own comments, come with the chunk that writes. */}
        {(mode === 'edit' && actions.value?.editor(this)) ||
          (!deleted && (
            <div class="b" part="body" dir="auto" dangerouslySetInnerHTML={{ __html: comment.html }} />
          ))}
        {ctx.posted === comment.id && <p class="ok">{ctx.said}</p>}
        {mode === 'confirm'
          ? actions.value?.confirm(this)
          : mode !== 'edit' &&
            !deleted && (
              <div class="acts">
                {/* Up-votes: the count as text until the chunk brings the button, in the same place and size. */}
                {comment.status === 'approved' &&
                  (actions.value?.vote(this) ?? <span class="l v">{comment.votes}</span>)}
                {actions.value?.buttons(this)}
              </div>
            )}
        {failure && (
          <p class="err" role="alert">
            {failure}
          </p>
        )}
        {mode === 'reply' && actions.value?.replyForm(this)}
        {replies.length > 0 && (
          <div class="r" part="replies">
            {replies.map((reply) => (
              <Comment key={reply.comment.id} item={reply} ctx={ctx} />
            ))}
          </div>
        )}
      </article>
    );
  }
}
