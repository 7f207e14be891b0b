import { Component } from 'preact';
import type { CommentView, Sort, ThreadView } from '../shared/schemas.ts';
import type { Failure } from './api.ts';
import { writing as actions, failures } from './chunks.ts';
import { Comment } from './comment.tsx';
import type { Ctx } from './context.ts';
import { Form } from './form.tsx';
import { get } from './get.ts';
import { t } from './i18n.ts';
import { afterPaint, warnChunk } from './lazy.ts';
import type { Options } from './options.ts';
import { draftKey, loadSort, type OwnComments } from './storage.ts';
import { buildTree } from './tree.ts';

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
export const isNarrow = (root: Element) => root.clientWidth < NARROW_PX;

/** A query string of the parameters that have a value. */
export const search = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((param): param is [string, string] => !!param[1]));

export interface ThreadProps {
  options: Options;
  page: Page;
  /** Resolves when the translation (if any) is in, so the first paint is in the right language. */
  ready: Promise<void>;
  /** The element the thread renders into: its width decides the layout. */
  root: Element;
}

export interface ThreadState {
  sort: Sort;
  // Absent until set, rather than null or false: the first paint's bytes.
  data?: ThreadView | null;
  failed?: Failure | null;
  /** "Show more" is loading the next page. */
  loadingMore?: boolean;
  own: OwnComments;
  /**
   * Comments of the reader's that the loaded pages do not hold: those posted since the page loaded, and those
   * awaiting moderation. Each is shown in its place until a page holds it.
   */
  added: CommentView[];
  /** Others' comments that arrived live, held back until the reader asks to see them (live.tsx). */
  fresh?: CommentView[];
  /** A post was refused because the thread is locked. */
  closed?: boolean;
  now: number;
  focus: Ctx['focus'];
  /** The polite live region's text. */
  said?: string;
  /** The comment just posted, which repeats `said` where it is seen. */
  posted?: string | undefined;
  /** The widget is narrower than NARROW_PX. */
  narrow: boolean;
  /** Comments this browser voted for; read by the chunk that writes, which brings the vote buttons. */
  voted?: string[];
}

/** A page's thread: loads it, holds it, and changes it as the reader posts, edits and deletes. */
export class Thread extends Component<ThreadProps, ThreadState> {
  override state: ThreadState = {
    // The reader's choice, remembered, over the blogger's: the first page comes in that order.
    sort: loadSort(this.props.options.sort),
    // Read by the chunk that writes: only its buttons need it.
    own: {},
    added: [],
    now: Date.now(),
    focus: null,
    // Known from the first render, so that a phone never shows the wide layout first; the chunk follows it.
    narrow: isNarrow(this.props.root),
  };
  /** The number of the latest request for a page: only its answer is kept. */
  latest = 0;
  /** Stops what the chunk started: the clock of relative times, the watch on the widget's width. */
  stop?: () => void;

  override componentDidMount() {
    this.load();
  }

  override componentWillUnmount() {
    this.stop?.();
    this.latest++;
  }

  /** An API address on the Parley server. */
  url(path: string) {
    return `${this.props.options.origin}/api/${path}`;
  }

  /** The first page in `sort`'s order, or the page after `cursor`. */
  page(sort: Sort, cursor?: string) {
    const { options, page } = this.props;
    const params = {
      url: page.url,
      sort,
      pageId: page.pageId,
      site: options.site,
      limit: options.limit,
      cursor,
    };
    return get<ThreadView>(this.url(`comments?${search(params)}`));
  }

  /**
   * The first page in the current order. Only the latest request is kept. ("Show more", after the first paint,
   * is the chunk's: thread-actions.tsx.)
   */
  async load(sort = this.state.sort) {
    const ticket = ++this.latest;
    const [result] = await Promise.all([this.page(sort), this.props.ready]);
    if (ticket !== this.latest) return;
    if (!result.ok) {
      failures().then((chunk) => chunk.report(result.failure), warnChunk);
      return this.setState({ failed: result.failure });
    }
    const next = result.value;
    this.setState({ data: next, failed: null, loadingMore: false, focus: null });
    // After the first page is painted, the chunk that writes; its arrival shows the sort and vote buttons, the
    // Edit and Delete buttons of the reader's own comments and the feed link; it looks for the reader's comments
    // the page lacks, and follows the thread's changes from this page's version on.
    afterPaint(() =>
      actions().then((chunk) => {
        this.stop ??= chunk.follow(this);
        chunk.findHeld(this, next);
        chunk.followLive(this, next);
      }, warnChunk),
    );
  }

  override render(
    { options }: ThreadProps,
    { sort, data, failed, own, added, closed, now, focus, said, posted, narrow }: ThreadState,
  ) {
    if (!data) {
      // A site that does not list the blog's origin: its owner's words, and no retrying.
      const refused = failed?.code === 'origin_not_allowed';
      return failed ? (
        <div class="note" part="notice">
          <p role="alert">{refused ? failed.message : t('Comments could not be loaded.')}</p>
          {!refused && (
            <button type="button" part="button" onClick={() => this.load()}>
              {t('Try again')}
            </button>
          )}
        </div>
      ) : (
        <p class="note" part="notice">
          {t('Loading comments…')}
        </p>
      );
    }
    const { thread, settings, pinned, nextCursor } = data;
    // The reader's own comments that the loaded pages lack: only the chunk that writes ever adds them.
    const { comments, count } = (added.length && actions.value?.merge(data, added, sort)) || {
      comments: data.comments,
      count: thread.commentCount,
    };
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
      thread: this,
    };

    return (
      <section class={narrow ? 'n' : undefined}>
        <div class="top">
          <h2 part="heading">
            {count === 1
              ? t('{n} comment', { n: count })
              : count
                ? t('{n} comments', { n: count })
                : t('No comments yet')}
          </h2>
          {count > 1 && actions.value?.sorting(this)}
        </div>
        {locked ? (
          <p class="note" part="notice" role={closed ? 'alert' : undefined}>
            {t('Comments are closed on this page.')}
          </p>
        ) : (
          <Form ctx={ctx} label={t('Leave a comment')} />
        )}
        {pinned.length > 0 && (
          <section class="pins" part="pinned" aria-label={t('Pinned')}>
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
        {/* Far down a long thread, it comes with the chunk, after the first paint, as does a failure to load more. */}
        {nextCursor && actions.value?.showMore(this, nextCursor)}
        {/* The feed link and the notice of new comments, at the foot: nothing above them moves when they come. */}
        {actions.value?.footer(this)}
        <p class="sr" aria-live="polite">
          {said}
        </p>
      </section>
    );
  }
}
