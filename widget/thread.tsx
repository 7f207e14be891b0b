import { Component } from 'preact';
import type { CommentView, CreatedComment, Sort, ThreadView } from '../shared/schemas.ts';
import { type Failure, request } from './api.ts';
import { Comment } from './comment.tsx';
import type { Ctx, NewComment } from './context.ts';
import { Form } from './form.tsx';
import { describeFailure, t } from './i18n.ts';
import type { Options } from './options.ts';
import { draftKey, loadOwn, type OwnComments, saveOwn } from './storage.ts';
import { buildTree, insertComment } from './tree.ts';

/** The page a thread belongs to; the SPA API can point the widget at another one. */
export interface Page {
  url: string;
  pageId?: string | undefined;
  title?: string | undefined;
}

/** How deep replies nest on screen; deeper ones are listed flat with "replying to". */
const NEST_LEVELS = 4;

interface ThreadProps {
  options: Options;
  page: Page;
  /** Resolves when the translation (if any) is in, so the first paint is in the right language. */
  ready: Promise<void>;
}

const report = (failure: Failure): Failure => {
  console.warn(`[parley] Request failed (${failure.code}: ${failure.message}); the server log says more.`);
  return failure;
};

interface ThreadState {
  sort: Sort;
  data: ThreadView | null;
  failed: Failure | null;
  loadingMore: boolean;
  own: OwnComments;
  now: number;
  focus: { id: string } | null;
  /** The polite live region's text. */
  said: string;
}

/** A page's thread: loads it, holds it, and changes it as the reader posts, edits and deletes. */
export class Thread extends Component<ThreadProps, ThreadState> {
  override state: ThreadState = {
    sort: this.props.options.sort,
    data: null,
    failed: null,
    loadingMore: false,
    own: loadOwn(this.props.options.origin),
    now: Date.now(),
    focus: null,
    said: '',
  };
  latest = 0;
  ticker = 0;

  override componentDidMount() {
    this.load();
    this.ticker = window.setInterval(() => this.setState({ now: Date.now() }), 30_000);
  }

  override componentWillUnmount() {
    clearInterval(this.ticker);
    this.latest++;
  }

  url(path: string) {
    return `${this.props.options.origin}/api/${path}`;
  }

  /** The first page in the current order, or the page after `cursor`. Only the latest request is kept. */
  async load(cursor?: string, sort = this.state.sort) {
    const { options, page, ready } = this.props;
    const ticket = ++this.latest;
    const params = {
      url: page.url,
      sort,
      pageId: page.pageId,
      site: options.site,
      limit: options.limit,
      cursor,
    };
    const query = new URLSearchParams(
      Object.entries(params).filter((param): param is [string, string] => !!param[1]),
    );
    this.setState({ loadingMore: !!cursor });
    const [result] = await Promise.all([request<ThreadView>(this.url(`comments?${query}`)), ready]);
    if (ticket !== this.latest) return;
    if (!result.ok) return this.setState({ failed: report(result.failure), loadingMore: false });
    const next = result.value;
    // A page may continue a subtree of the previous one: the tree is rebuilt from the whole flat list.
    this.setState(({ data }) => {
      const known = new Set(cursor ? data?.comments.map((comment) => comment.id) : []);
      const added = next.comments.filter((comment) => !known.has(comment.id));
      return {
        data: { ...next, comments: cursor ? [...(data?.comments ?? []), ...added] : next.comments },
        failed: null,
        loadingMore: false,
        // After "Show more", keyboard and screen-reader users land on the first comment that is new.
        focus: cursor && added[0] ? { id: added[0].id } : null,
      };
    });
  }

  sortBy(sort: Sort) {
    this.setState({ sort });
    this.load(undefined, sort);
  }

  /** Applies a change to the flat list and the count. */
  change(update: (comments: CommentView[]) => CommentView[], delta: number) {
    this.setState(({ data }) => ({
      data: data && {
        ...data,
        comments: update(data.comments),
        thread: { ...data.thread, commentCount: data.thread.commentCount + delta },
      },
    }));
  }

  remember(id: string, entry: OwnComments[string] | null) {
    this.setState({ own: saveOwn(this.props.options.origin, id, entry) });
  }

  /** A token that no longer works is forgotten, so that its buttons go away. */
  forget(id: string, failure: Failure) {
    if (['forbidden', 'edit_window_closed', 'not_found'].includes(failure.code)) this.remember(id, null);
    return report(failure);
  }

  /** Says what happened in the live region and moves focus to the comment concerned. */
  done(said: string, focus: string | null | undefined) {
    this.setState({ said, focus: focus ? { id: focus } : null });
    return null;
  }

  post = async (input: NewComment) => {
    const { page, options } = this.props;
    const result = await request<CreatedComment>(this.url('comments'), {
      method: 'POST',
      // Empty fields are sent as they are: the server trims them and takes an empty one as absent.
      body: {
        ...input,
        url: page.url,
        pageId: page.pageId,
        site: options.site,
        title: page.title || document.title || undefined,
      },
    });
    if (!result.ok) return report(result.failure);
    const { comment, editToken, editableUntil } = result.value;
    this.remember(comment.id, { token: editToken, until: editableUntil, body: input.body });
    this.change((comments) => insertComment(comments, comment, this.state.sort === 'newest'), 1);
    return this.done(t('Your comment was posted.'), comment.id);
  };

  update = async (id: string, body: string) => {
    const mine = this.state.own[id];
    const result = await request<{ comment: CommentView }>(this.url(`comments/${id}`), {
      method: 'PATCH',
      body: { body },
      token: mine?.token,
    });
    if (!result.ok) return this.forget(id, result.failure);
    const { comment } = result.value;
    if (mine) this.remember(id, { ...mine, body });
    this.change((comments) => comments.map((each) => (each.id === id ? comment : each)), 0);
    return this.done(t('Your changes were saved.'), null);
  };

  remove = async (id: string) => {
    const result = await request<{ comment: CommentView | null }>(this.url(`comments/${id}`), {
      method: 'DELETE',
      token: this.state.own[id]?.token,
    });
    if (!result.ok) return this.forget(id, result.failure);
    const placeholder = result.value.comment;
    const parentId = this.state.data?.comments.find((each) => each.id === id)?.parentId;
    this.remember(id, null);
    this.change(
      (comments) =>
        placeholder
          ? comments.map((each) => (each.id === id ? placeholder : each))
          : comments.filter((each) => each.id !== id),
      -1,
    );
    // Focus stays where the comment was: on its placeholder, or else on the comment it answered.
    return this.done(t('Your comment was deleted.'), placeholder ? id : parentId);
  };

  preview = (body: string) =>
    request<{ html: string }>(this.url('preview'), { method: 'POST', body: { body } });

  override render(
    { options }: ThreadProps,
    { sort, data, failed, loadingMore, own, now, focus, said }: ThreadState,
  ) {
    if (!data) {
      return failed ? (
        <div class="note">
          <p role="alert">{t('Comments could not be loaded.')}</p>
          <button type="button" onClick={() => this.load()}>
            {t('Try again')}
          </button>
        </div>
      ) : (
        <p class="note">{t('Loading comments…')}</p>
      );
    }
    const { thread, comments, settings, nextCursor } = data;
    const ctx: Ctx = {
      lang: options.lang,
      now,
      locked: thread.locked,
      maxDepth: settings.maxDepth,
      own,
      focus,
      draftKey: (parentId) => draftKey(options.origin, thread.key, parentId),
      post: this.post,
      update: this.update,
      remove: this.remove,
      preview: this.preview,
    };
    const count = thread.commentCount;

    return (
      <section>
        <div class="top">
          <h2>
            {count === 1
              ? t('{n} comment', { n: count })
              : count
                ? t('{n} comments', { n: count })
                : t('No comments yet')}
          </h2>
          {count > 1 && (
            <div>
              {(
                [
                  ['oldest', t('Oldest first')],
                  ['newest', t('Newest first')],
                ] as const
              ).map(([each, label]) => (
                <button
                  key={each}
                  type="button"
                  class="l"
                  aria-pressed={sort === each}
                  onClick={() => this.sortBy(each)}
                >
                  {label}
                </button>
              ))}
            </div>
          )}
        </div>
        {thread.locked ? (
          <p class="note">{t('Comments are closed on this page.')}</p>
        ) : (
          <Form ctx={ctx} label={t('Leave a comment')} />
        )}
        <div class="list">
          {buildTree(comments, NEST_LEVELS).map((item) => (
            <Comment key={item.comment.id} item={item} ctx={ctx} />
          ))}
        </div>
        {failed && (
          <p class="err" role="alert">
            {describeFailure(failed)}
          </p>
        )}
        {nextCursor && (
          <button
            type="button"
            class="more"
            aria-disabled={loadingMore}
            onClick={() => loadingMore || this.load(nextCursor)}
          >
            {loadingMore ? t('Loading…') : t('Show more comments')}
          </button>
        )}
        <p class="sr" aria-live="polite">
          {said}
        </p>
      </section>
    );
  }
}
