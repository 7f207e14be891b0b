import { Component, createRef } from 'preact';
import { Avatar } from './avatar.tsx';
import { writing as actions } from './chunks.ts';
import type { Ctx } from './context.ts';
import { Form } from './form.tsx';
import { t } from './i18n.ts';
import { fullTime, relativeTime } from './time.ts';
import type { TreeNode } from './tree.ts';

export interface CommentProps {
  item: TreeNode;
  ctx: Ctx;
}

export interface CommentState {
  mode: 'read' | 'reply' | 'edit' | 'confirm';
  /** Why deleting failed, in words. */
  failure: string | null;
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

  /** Back to reading, with focus on the comment so that keyboard users keep their place. */
  back = () => {
    this.setState({ mode: 'read' });
    this.self.current?.focus();
  };

  override render({ item, ctx }: CommentProps, { mode, failure }: CommentState) {
    const { comment, replyTo, orphan, replies } = item;
    const deleted = comment.status === 'deleted';
    const own = ctx.own[comment.id];
    const editable = !deleted && own && own.until > ctx.now;
    const name = comment.author.name || t('Anonymous');
    const created = new Date(comment.createdAt);
    const set = (next: CommentState['mode']) => () => this.setState({ mode: mode === next ? 'read' : next });

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
              <time dateTime={created.toISOString()} title={fullTime(comment.createdAt, ctx.lang)}>
                {relativeTime(comment.createdAt, ctx.now, ctx.lang)}
              </time>
            </a>
            {comment.editedAt && (
              <span class="dim" title={fullTime(comment.editedAt, ctx.lang)}>
                {comment.editedByModerator ? t('edited by a moderator') : t('edited')}
              </span>
            )}
          </header>
        )}
        {mode === 'edit' && own ? (
          <Form
            ctx={ctx}
            label={t('Edit your comment')}
            editId={comment.id}
            initial={own.body}
            onDone={this.back}
            onCancel={this.back}
          />
        ) : (
          !deleted && (
            <div class="b" part="body" dir="auto" dangerouslySetInnerHTML={{ __html: comment.html }} />
          )
        )}
        {ctx.posted === comment.id && <p class="ok">{ctx.said}</p>}
        {mode === 'confirm'
          ? // Asked only after "Delete", which only shows once the chunk that writes is in.
            actions.value?.confirm(this)
          : mode !== 'edit' &&
            !deleted && (
              <div class="acts">
                {!ctx.locked &&
                  comment.status === 'approved' &&
                  comment.depth < ctx.maxDepth &&
                  action(t('Reply'), set('reply'))}
                {editable && actions.value && action(t('Edit'), set('edit'))}
                {editable && actions.value && action(t('Delete'), set('confirm'))}
              </div>
            )}
        {failure && (
          <p class="err" role="alert">
            {failure}
          </p>
        )}
        {mode === 'reply' && !ctx.locked && (
          <Form
            ctx={ctx}
            label={t('Reply to {name}', { name })}
            parentId={comment.id}
            onDone={set('reply')}
            onCancel={this.back}
          />
        )}
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
