import { Component } from 'preact';
import type { LiveEvent } from '../shared/live.ts';
import type { CommentView, CreatedComment, Sort, ThreadView } from '../shared/schemas.ts';
import { type Failure, request } from './api.ts';
import { Comment } from './comment.tsx';
import type { Ctx, NewComment } from './context.ts';
import { Form } from './form.tsx';
import { describeFailure, t } from './i18n.ts';
import { applyChange, follow, type LiveLists, NewComments } from './live.tsx';
import type { Options } from './options.ts';
import { loadSort, SortControl } from './sort.tsx';
import { draftKey, loadOwn, type OwnComments, saveOwn } from './storage.ts';
import { buildTree, insertComment } from './tree.ts';
import { loadVotes, sendVote } from './votes.tsx';

/** The page a thread belongs to; the SPA API can point the widget at another one. */
export interface Page {
  url: string;
  pageId?: string | undefined;
  title?: string | undefined;
}

/** How deep replies nest on screen; deeper ones are listed flat with "replying to". */
const NEST_LEVELS = 4;

/**
 * Below this width (the widget's own, in CSS pixels: it may sit in a narrow column of a wide page), four levels
 * of indentation would leave the deepest replies under 290 px of text: replies indent less and nest two deep.
 */
const NARROW_PX = 480;
const NARROW_LEVELS = 2;
const isNarrow = (root: Element) => root.clientWidth < NARROW_PX;

/** A query string of the parameters that have a value. */
const search = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(
    Object.entries(params).filter((param): param is [string, string] => !!param[1]) as [string, string][],
  );

interface ThreadProps {
  options: Options;
  page: Page;
  /** Resolves when the translation (if any) is in, so the first paint is in the right language. */
  ready: Promise<void>;
  /** The element the thread renders into: its width decides the layout. */
  root: Element;
}

/** Tells the blogger on the console what went wrong and, for the refusals a setting causes, what to change. */
const report = (failure: Failure): Failure => {
  const { code, message, fields } = failure;
  const hint =
    code === 'origin_not_allowed'
      ? `add ${location.origin} to the site's Origins in the Parley dashboard`
      : fields?.site
        ? 'check data-site on the script tag'
        : 'the server log says more';
  console.warn(`[parley] ${message} (${code}): ${hint}.`);
  return failure;
};

interface ThreadState {
  sort: Sort;
  data: ThreadView | null;
  failed: Failure | null;
  loadingMore: boolean;
  own: OwnComments;
  /**
   * Comments of the reader's that the loaded pages do not hold: those posted since the page loaded, and those
   * awaiting moderation. Each is shown in its place until a page holds it.
   */
  added: CommentView[];
  /** Others' comments that arrived live, held back until the reader asks to see them. */
  fresh: CommentView[];
  /** A post was refused because the thread is locked. */
  closed: boolean;
  now: number;
  focus: { id: string } | null;
  /** The polite live region's text. */
  said: string;
  /** The comment just posted, which repeats `said` where it is seen. */
  posted?: string | undefined;
  /** The widget is narrower than NARROW_PX. */
  narrow: boolean;
  /** Comments this browser voted for. */
  voted: string[];
}

/** A page's thread: loads it, holds it, and changes it as the reader posts, edits and deletes. */
export class Thread extends Component<ThreadProps, ThreadState> {
  override state: ThreadState = {
    sort: loadSort(this.props.options.sort),
    data: null,
    failed: null,
    loadingMore: false,
    own: loadOwn(this.props.options.origin),
    added: [],
    fresh: [],
    closed: false,
    now: Date.now(),
    focus: null,
    said: '',
    // Known from the first render, so that a phone never shows the wide layout first.
    narrow: isNarrow(this.props.root),
    voted: loadVotes(this.props.options.origin),
  };
  #latest = 0;
  #ticker = 0;
  #unfollow?: () => void;
  #sizes = new ResizeObserver(() => this.setState({ narrow: isNarrow(this.props.root) }));

  override componentDidMount() {
    this.#load();
    this.#ticker = setInterval(() => this.setState({ now: Date.now() }), 30_000);
    this.#sizes.observe(this.props.root);
  }

  override componentWillUnmount() {
    clearInterval(this.#ticker);
    this.#sizes.disconnect();
    this.#unfollow?.();
    this.#latest++;
  }

  #url(path: string) {
    return `${this.props.options.origin}/api/${path}`;
  }

  #page(sort: Sort, cursor?: string) {
    const { options, page } = this.props;
    const query = search({
      url: page.url,
      sort,
      pageId: page.pageId,
      site: options.site,
      limit: options.limit,
      cursor,
    });
    return request<ThreadView>(this.#url(`comments?${query}`));
  }

  /** The first page in the current order, or the page after `cursor`. Only the latest request is kept. */
  async #load(cursor?: string, sort = this.state.sort) {
    const { ready } = this.props;
    const ticket = ++this.#latest;
    this.setState({ loadingMore: !!cursor });
    const [result] = await Promise.all([this.#page(sort, cursor), ready]);
    if (ticket !== this.#latest) return;
    if (!result.ok) return this.setState({ failed: report(result.failure), loadingMore: false });
    const next = result.value;
    // A page may continue a subtree of the previous one: the tree is rebuilt from the whole flat list.
    this.setState(({ data }) => {
      const known = new Set(cursor ? data?.comments.map((comment) => comment.id) : []);
      const added = next.comments.filter((comment) => !known.has(comment.id));
      return {
        data: {
          ...next,
          comments: cursor ? [...(data?.comments ?? []), ...added] : next.comments,
          // Pinned comments come with the first page only.
          pinned: cursor ? (data?.pinned ?? []) : next.pinned,
        },
        failed: null,
        loadingMore: false,
        // After "Show more", keyboard and screen-reader users land on the first comment that is new.
        focus: cursor && added[0] ? { id: added[0].id } : null,
        fresh: cursor ? this.state.fresh : [],
      };
    });
    if (!cursor) {
      this.#findHeld(next);
      // After the first paint: the stream is not what the reader came for.
      requestAnimationFrame(() => setTimeout(() => this.#follow(next.thread.version)));
    }
  }

  /** Follows the thread's changes from `version` on: the one its page was loaded at. */
  #follow(version: number) {
    const { options, page } = this.props;
    this.#unfollow?.();
    const query = search({ url: page.url, pageId: page.pageId, site: options.site, since: String(version) });
    this.#unfollow = follow(this.#url(`comments/live?${query}`), this.#live);
  }

  /** Applies a live change; `resync` loads the first page again and applies what differs. */
  #live = async (event: LiveEvent) => {
    let page: ThreadView | undefined;
    if (event.type === 'resync') {
      const result = await this.#page(this.state.sort);
      if (!result.ok) return;
      page = result.value;
    } else if (event.type === 'removed' && this.state.own[event.id]) {
      // The reader's own comment, held after an edit: its author still sees it, awaiting moderation.
      return;
    }
    this.setState(({ data, added, fresh }) => {
      if (!data) return null;
      let lists: LiveLists = { ...data, added, fresh, count: data.thread.commentCount };
      if (page) for (const comment of page.comments) lists = applyChange(lists, comment.id, comment);
      else if (event.type === 'comment') lists = applyChange(lists, event.comment.id, event.comment);
      else if (event.type === 'removed') lists = applyChange(lists, event.id);
      const { comments, pinned, count } = lists;
      return {
        added: lists.added,
        fresh: lists.fresh,
        data: {
          ...data,
          comments,
          pinned,
          // A lock is not applied live: a reader writing keeps the form, and is told when posting.
          thread: page
            ? {
                ...page.thread,
                locked: data.thread.locked,
                commentCount: page.thread.commentCount - lists.fresh.length,
              }
            : { ...data.thread, commentCount: count },
        },
      };
    });
  };

  /** Shows the comments that arrived live, in their places, and moves focus to the first. */
  #show = () =>
    this.setState(({ data, added, fresh }) => ({
      fresh: [],
      added: [...added, ...fresh],
      data: data && {
        ...data,
        thread: { ...data.thread, commentCount: data.thread.commentCount + fresh.length },
      },
      focus: fresh[0] ? { id: fresh[0].id } : null,
    }));

  /**
   * The reader's own comments on this thread that the first page does not show (awaiting moderation, or further
   * down) are asked for in one request, and only when there are some; those awaiting moderation are shown.
   */
  async #findHeld({ thread, comments }: ThreadView) {
    const shown = new Set(comments.map((comment) => comment.id));
    const mine = Object.entries(this.state.own)
      .filter(([id, entry]) => entry.thread === thread.key && !shown.has(id))
      .slice(-50);
    if (!mine.length) return;
    const result = await request<{ comments: CommentView[] }>(this.#url('comments/own'), {
      method: 'POST',
      body: { comments: mine.map(([id, { token }]) => ({ id, token })) },
    });
    if (!result.ok) return report(result.failure);
    const found = result.value.comments;
    for (const [id, entry] of mine) {
      const comment = found.find((each) => each.id === id);
      // Gone (deleted, or the token no longer matches): forgotten. Approved: no longer kept past the edit window.
      this.#remember(id, comment ? { ...entry, held: comment.status === 'pending' } : null);
    }
    this.setState(({ added }) => ({
      // As the server says for those asked about; what was posted meanwhile stays.
      added: [
        ...added.filter((comment) => !found.some((each) => each.id === comment.id)),
        ...found.filter((comment) => comment.status === 'pending'),
      ],
    }));
  }

  #sortBy(sort: Sort) {
    this.setState({ sort });
    this.#load(undefined, sort);
  }

  /** Applies a change to every list a comment can be in, and to the count; `add` joins the reader's added ones. */
  #change(update: (comments: CommentView[]) => CommentView[], delta: number, add?: CommentView) {
    this.setState(({ data, added }) => ({
      added: update(add ? [...added, add] : added),
      data: data && {
        ...data,
        comments: update(data.comments),
        pinned: update(data.pinned),
        thread: { ...data.thread, commentCount: data.thread.commentCount + delta },
      },
    }));
  }

  #remember(id: string, entry: OwnComments[string] | null) {
    this.setState({ own: saveOwn(this.props.options.origin, id, entry) });
  }

  /** A token that no longer works is forgotten, so that its buttons go away. */
  #forget(id: string, failure: Failure) {
    if (['forbidden', 'edit_window_closed', 'not_found'].includes(failure.code)) this.#remember(id, null);
    return report(failure);
  }

  /**
   * Says what happened in the live region and moves focus to the comment concerned; after a post, the new
   * comment says it too, for those who do not hear live regions.
   */
  #done(said: string, focus: string | null | undefined, posted?: string) {
    this.setState({ said, focus: focus ? { id: focus } : null, posted });
    return null;
  }

  #post = async (input: NewComment) => {
    const { page, options } = this.props;
    const result = await request<CreatedComment>(this.#url('comments'), {
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
    if (!result.ok) {
      if (result.failure.code === 'thread_locked') this.setState({ closed: true });
      return report(result.failure);
    }
    const { comment, editToken, editableUntil } = result.value;
    const held = comment.status === 'pending';
    this.#remember(comment.id, {
      token: editToken,
      until: editableUntil,
      body: input.body,
      thread: this.state.data?.thread.key,
      held,
    });
    // Others see it only once a moderator approves it: it does not count until then. Its live event may be in first.
    this.setState(({ fresh }) => ({ fresh: fresh.filter((each) => each.id !== comment.id) }));
    this.#change((comments) => comments, held ? 0 : 1, comment);
    return this.#done(
      held ? t('Your comment will appear once a moderator approves it.') : t('Your comment was posted.'),
      comment.id,
      comment.id,
    );
  };

  #update = async (id: string, body: string) => {
    const mine = this.state.own[id];
    const result = await request<{ comment: CommentView }>(this.#url(`comments/${id}`), {
      method: 'PATCH',
      body: { body },
      token: mine?.token,
    });
    if (!result.ok) return this.#forget(id, result.failure);
    const { comment } = result.value;
    // The new text may be held for moderation.
    if (mine) this.#remember(id, { ...mine, body, held: comment.status === 'pending' });
    this.#change((comments) => comments.map((each) => (each.id === id ? comment : each)), 0);
    return this.#done(t('Your changes were saved.'), null);
  };

  #remove = async (id: string) => {
    const result = await request<{ comment: CommentView | null }>(this.#url(`comments/${id}`), {
      method: 'DELETE',
      token: this.state.own[id]?.token,
    });
    if (!result.ok) return this.#forget(id, result.failure);
    const placeholder = result.value.comment;
    const { data, added } = this.state;
    const gone = [...(data?.comments ?? []), ...added].find((each) => each.id === id);
    this.#remember(id, null);
    this.#change(
      (comments) =>
        placeholder
          ? comments.map((each) => (each.id === id ? placeholder : each))
          : comments.filter((each) => each.id !== id),
      gone?.status === 'pending' ? 0 : -1,
    );
    // Focus stays where the comment was: on its placeholder, or else on the comment it answered.
    return this.#done(t('Your comment was deleted.'), placeholder ? id : gone?.parentId);
  };

  #vote = async (id: string, voted: boolean) => {
    const { origin } = this.props.options;
    const result = await sendVote(origin, id, voted);
    if (!result.ok) {
      this.#done(describeFailure(report(result.failure)), null);
      return;
    }
    const { votes } = result.value;
    this.setState({ voted: loadVotes(origin) });
    this.#change((comments) => comments.map((each) => (each.id === id ? { ...each, votes } : each)), 0);
  };

  #preview = (body: string) =>
    request<{ html: string }>(this.#url('preview'), { method: 'POST', body: { body } });

  override render(
    { options }: ThreadProps,
    {
      sort,
      data,
      failed,
      loadingMore,
      own,
      added,
      fresh,
      closed,
      now,
      focus,
      said,
      posted,
      narrow,
      voted,
    }: ThreadState,
  ) {
    if (!data) {
      // A site that does not list the blog's origin: its owner's words, and no retrying.
      const refused = failed?.code === 'origin_not_allowed';
      return failed ? (
        <div class="note">
          <p role="alert">{refused ? failed.message : t('Comments could not be loaded.')}</p>
          {!refused && (
            <button type="button" onClick={() => this.#load()}>
              {t('Try again')}
            </button>
          )}
        </div>
      ) : (
        <p class="note">{t('Loading comments…')}</p>
      );
    }
    const { thread, settings, pinned, nextCursor } = data;
    let { comments } = data;
    let count = thread.commentCount;
    for (const comment of added) {
      const has = (id: string | null) => comments.some((each) => each.id === id);
      // A reply waits for its parent's page; once every page is in, a missing parent is gone for good.
      if (has(comment.id) || (comment.parentId && nextCursor && !has(comment.parentId))) continue;
      comments = insertComment(comments, comment, sort === 'newest');
      if (comment.status === 'pending') count++;
    }
    const locked = thread.locked || closed;
    const ctx: Ctx = {
      lang: options.lang,
      now,
      locked,
      maxDepth: settings.maxDepth,
      need: { name: settings.requireName, email: settings.requireEmail },
      mail: settings.mail,
      own,
      focus,
      said,
      posted,
      draftKey: (parentId) => draftKey(options.origin, thread.key, parentId),
      post: this.#post,
      update: this.#update,
      remove: this.#remove,
      preview: this.#preview,
      voted,
      vote: this.#vote,
    };

    return (
      <section class={narrow ? 'n' : undefined}>
        <div class="top">
          <h2>
            {count === 1
              ? t('{n} comment', { n: count })
              : count
                ? t('{n} comments', { n: count })
                : t('No comments yet')}
          </h2>
          {count > 1 && <SortControl sort={sort} onSort={(each) => this.#sortBy(each)} />}
        </div>
        {locked ? (
          <p class="note" role={closed ? 'alert' : undefined}>
            {t('Comments are closed on this page.')}
          </p>
        ) : (
          <Form ctx={ctx} label={t('Leave a comment')} />
        )}
        {pinned.length > 0 && (
          <section class="pins" aria-label={t('Pinned')}>
            <h3>{t('Pinned')}</h3>
            {pinned.map((comment) => (
              <Comment key={comment.id} item={{ comment, replies: [] }} ctx={ctx} />
            ))}
          </section>
        )}
        <div class="list">
          {buildTree(comments, narrow ? NARROW_LEVELS : NEST_LEVELS).map((item) => (
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
            onClick={() => loadingMore || this.#load(nextCursor)}
          >
            {loadingMore ? t('Loading…') : t('Show more comments')}
          </button>
        )}
        <p class="note">
          <a
            href={this.#url(
              `feed.atom?${new URLSearchParams(
                Object.entries({
                  site: options.site,
                  url: this.props.page.url,
                  pageId: this.props.page.pageId,
                }).filter((param): param is [string, string] => !!param[1]),
              )}`,
            )}
          >
            {t('Comments feed')}
          </a>
        </p>
        <NewComments count={fresh.length} show={this.#show} />
        <p class="sr" aria-live="polite">
          {said}
        </p>
      </section>
    );
  }
}
