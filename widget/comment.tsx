import { Component, createRef } from 'preact';
import type { Failure } from './api.ts';
import { Avatar } from './avatar.tsx';
import type { Ctx } from './context.ts';
import { Form } from './form.tsx';
import { describeFailure, t } from './i18n.ts';
import { relativeTime } from './time.ts';
import type { TreeNode } from './tree.ts';
import { VoteButton } from './votes.tsx';

interface CommentProps {
  item: TreeNode;
  ctx: Ctx;
}

interface CommentState {
  mode: 'read' | 'reply' | 'edit' | 'confirm';
  failure: Failure | null;
}

// Plain functions rather than components: nothing to diff or keep between renders.
const action = (label: string, onClick: () => void) => (
  <button type="button" class="l" onClick={onClick}>
    {label}
  </button>
);

const tag = (label: string) => <span class="dim tag">{label}</span>;

/** One comment and, nested inside its `<article>`, its replies. */
export class Comment extends Component<CommentProps, CommentState> {
  override state: CommentState = { mode: 'read', failure: null };
  #self = createRef<HTMLElement>();
  #confirm = createRef<HTMLButtonElement>();

  override componentDidMount() {
    this.#follow();
  }

  override componentDidUpdate(previous: CommentProps, before: CommentState) {
    this.#follow(previous.ctx.focus, before.mode);
  }

  /** Takes focus when the thread asks for it, and gives it to "Yes, delete" when that appears. */
  #follow(focus?: Ctx['focus'], mode?: CommentState['mode']) {
    const { ctx, item } = this.props;
    if (ctx.focus !== focus && ctx.focus?.id === item.comment.id) this.#self.current?.focus();
    if (this.state.mode === 'confirm' && mode !== 'confirm') this.#confirm.current?.focus();
  }

  /** Back to reading, with focus on the comment so that keyboard users keep their place. */
  #back = () => {
    this.setState({ mode: 'read' });
    this.#self.current?.focus();
  };

  #remove = async () => {
    const failure = await this.props.ctx.remove(this.props.item.comment.id);
    this.setState({ failure, mode: 'read' });
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
      <article class="c" ref={this.#self} tabIndex={-1} aria-label={deleted ? undefined : name}>
        {deleted ? (
          <p class="gone">{t('This comment was deleted.')}</p>
        ) : (
          <header class="h">
            <Avatar name={name} seed={comment.author.avatar} />
            <b>{name}</b>
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
            <time class="dim" dateTime={created.toISOString()} title={created.toLocaleString(ctx.lang)}>
              {relativeTime(comment.createdAt, ctx.now, ctx.lang)}
            </time>
            {comment.editedAt && (
              <span class="dim" title={new Date(comment.editedAt).toLocaleString(ctx.lang)}>
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
            onDone={this.#back}
            onCancel={this.#back}
          />
        ) : (
          !deleted && <div class="b" dangerouslySetInnerHTML={{ __html: comment.html }} />
        )}
        {ctx.posted === comment.id && <p class="ok">{ctx.said}</p>}
        {mode === 'confirm' ? (
          <div class="acts">
            <span>{t('Delete this comment?')}</span>
            <button type="button" class="pri del" ref={this.#confirm} onClick={this.#remove}>
              {t('Yes, delete')}
            </button>
            {action(t('Keep it'), this.#back)}
          </div>
        ) : (
          mode !== 'edit' &&
          !deleted && (
            <div class="acts">
              {comment.status === 'approved' && <VoteButton comment={comment} ctx={ctx} />}
              {!ctx.locked &&
                comment.status === 'approved' &&
                comment.depth < ctx.maxDepth &&
                action(t('Reply'), set('reply'))}
              {editable && action(t('Edit'), set('edit'))}
              {editable && action(t('Delete'), set('confirm'))}
            </div>
          )
        )}
        {failure && (
          <p class="err" role="alert">
            {describeFailure(failure)}
          </p>
        )}
        {mode === 'reply' && !ctx.locked && (
          <Form
            ctx={ctx}
            label={t('Reply to {name}', { name })}
            parentId={comment.id}
            onDone={set('reply')}
            onCancel={this.#back}
          />
        )}
        {replies.length > 0 && (
          <div class="r">
            {replies.map((reply) => (
              <Comment key={reply.comment.id} item={reply} ctx={ctx} />
            ))}
          </div>
        )}
      </article>
    );
  }
}
