import type { LiveEvent } from '../shared/live.ts';
import type { CommentView, CreatedComment, Sort, ThreadView } from '../shared/schemas.ts';
import { type Failure, request } from './api.ts';
import { action, type Comment, type CommentState } from './comment.tsx';
import type { Ctx, NewComment } from './context.ts';
import { describeFailure, report } from './failures.ts';
import { foldButton, measureFold } from './fold.tsx';
import { Form } from './form.tsx';
import { t } from './i18n.ts';
import { loadOwn, saveOwn } from './identity.ts';
import { insertComment } from './insert.ts';
import { quoteButton } from './quote.tsx';
import './more-styles.ts';
import { applyChange, type LiveLists, NewComments, follow as stream } from './live.tsx';
import { SortControl } from './sort.tsx';
import type { OwnComments } from './storage.ts';
import { isNarrow, search, type Thread } from './thread.tsx';
import { loadVotes, sendVote, VoteButton } from './votes.tsx';

export { fullTime } from './full-time.ts';
export { watchTheme } from './theme-watch.ts';

/*
 * All a thread does after its first paint, loaded after it (widget/lazy.ts): post, edit, delete; find the reader's
 * own comments that the first page does not show; sort, show more, vote; follow the thread live; keep relative
 * times and the layout current. Each function works on the thread it is given.
 */

/**
 * Keeps the thread current: relative times every half minute, the layout with the widget's width. Re-renders it
 * at once, which shows what needed this chunk. Returns what stops it.
 */
export function follow(self: Thread): () => void {
  const { root } = self.props;
  const tick = () => self.setState({ now: Date.now(), narrow: isNarrow(root) });
  // The reader's own comments and votes, which only this chunk's buttons use.
  const { origin } = self.props.options;
  self.setState({ own: loadOwn(origin), voted: loadVotes(origin) });
  const ticker = setInterval(tick, 30_000);
  const sizes = new ResizeObserver(tick);
  sizes.observe(root);
  tick();
  const opened = () => reveal(self);
  addEventListener('hashchange', opened);
  opened();
  return () => {
    streams.get(self)?.();
    clearInterval(ticker);
    sizes.disconnect();
    removeEventListener('hashchange', opened);
  };
}

/**
 * The comment a permalink names (`#comment-ID` in the page's address), shown: the pages before it are loaded, one
 * after the other, until one holds it; then it takes focus, which scrolls to it, and is highlighted.
 */
async function reveal(self: Thread): Promise<void> {
  const id = /^#comment-([\w-]+)$/.exec(location.hash)?.[1];
  for (let page = 0; id && page < 100; page++) {
    const { data, loadingMore } = self.state;
    if (!data) return;
    if (data.comments.some((comment) => comment.id === id)) {
      self.setState({ focus: { id, target: true } });
      return;
    }
    if (!data.nextCursor) return;
    if (!loadingMore) await loadMore(self, data.nextCursor);
    // The page is in once the thread has rendered it.
    await new Promise((rendered) => setTimeout(rendered, 50));
  }
}

/** The sort buttons. */
export const sorting = (self: Thread) => (
  <SortControl
    sort={self.state.sort}
    onSort={(sort) => {
      self.setState({ sort });
      self.load(sort);
    }}
  />
);

/** A comment's up-vote button, in place of the count the first paint shows. */
export function vote({ props: { item, ctx } }: Comment) {
  const self = ctx.thread;
  return (
    <VoteButton
      comment={item.comment}
      voted={!!self.state.voted?.includes(item.comment.id)}
      vote={async (id, voted) => {
        const { origin } = self.props.options;
        const result = await sendVote(origin, id, voted);
        if (!result.ok) {
          done(self, describeFailure(report(result.failure)), null);
          return;
        }
        const { votes } = result.value;
        self.setState({ voted: loadVotes(origin) });
        change(self, (comments) => comments.map((each) => (each.id === id ? { ...each, votes } : each)), 0);
      }}
    />
  );
}

/** The thread's foot: its Atom feed, and the notice of new comments from others with the button that shows them. */
export function footer(self: Thread) {
  const { options, page } = self.props;
  return (
    <>
      <p class="note feed">
        <a
          part="feed"
          href={self.url(`feed.atom?${search({ site: options.site, url: page.url, pageId: page.pageId })}`)}
        >
          {t('Comments feed')}
        </a>
      </p>
      <NewComments
        count={self.state.fresh?.length ?? 0}
        show={() =>
          // The new comments in their places, counted; focus to the first.
          self.setState(({ data, added, fresh = [] }) => ({
            fresh: [],
            added: [...added, ...fresh],
            data: data && {
              ...data,
              thread: { ...data.thread, commentCount: data.thread.commentCount + fresh.length },
            },
            focus: fresh[0] ? { id: fresh[0].id } : null,
          }))
        }
      />
    </>
  );
}

/** The live stream of each thread, closed when the thread goes or a new first page is loaded. */
const streams = new WeakMap<Thread, () => void>();

/** Follows the thread's changes from the version of `first`, the first page just loaded, on. */
export function followLive(self: Thread, first: ThreadView): void {
  const { options, page } = self.props;
  streams.get(self)?.();
  self.setState({ fresh: [] });
  const query = search({
    url: page.url,
    pageId: page.pageId,
    site: options.site,
    since: String(first.thread.version),
  });
  streams.set(
    self,
    stream(self.url(`comments/live?${query}`), (event) => applyLive(self, event)),
  );
}

/** Applies a live change; `resync` loads the first page again and applies what differs. */
async function applyLive(self: Thread, event: LiveEvent): Promise<void> {
  let page: ThreadView | undefined;
  if (event.type === 'resync') {
    const result = await self.page(self.state.sort);
    if (!result.ok) return;
    page = result.value;
  } else if (event.type === 'removed' && self.state.own[event.id]) {
    // The reader's own comment, held after an edit: its author still sees it, awaiting moderation.
    return;
  }
  self.setState(({ data, added, fresh = [] }) => {
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
}

/** "Show more comments", under a thread that has more. */
export function showMore(self: Thread, cursor: string) {
  const { loadingMore, failed } = self.state;
  return (
    <>
      {failed && (
        <p class="err" role="alert">
          {t('Comments could not be loaded.')}
        </p>
      )}
      <button
        type="button"
        class="more"
        part="button"
        aria-disabled={loadingMore}
        onClick={() => loadingMore || loadMore(self, cursor)}
      >
        {loadingMore ? t('Loading…') : t('Show more comments')}
      </button>
    </>
  );
}

/**
 * Loads the page after `cursor` and joins it to the loaded ones: it may continue a subtree, so the tree is rebuilt
 * from all. A first page loaded meanwhile (another order) wins.
 */
async function loadMore(self: Thread, cursor: string): Promise<void> {
  const ticket = ++self.latest;
  self.setState({ loadingMore: true });
  const result = await self.page(self.state.sort, cursor);
  if (ticket !== self.latest) return;
  if (!result.ok) {
    report(result.failure);
    self.setState({ failed: result.failure, loadingMore: false });
    return;
  }
  const next = result.value;
  self.setState(({ data }) => {
    const known = new Set(data?.comments.map((comment) => comment.id));
    const added = next.comments.filter((comment) => !known.has(comment.id));
    return {
      data: {
        ...next,
        comments: [...(data?.comments ?? []), ...added],
        // Pinned comments come with the first page only.
        pinned: data?.pinned ?? [],
      },
      failed: null,
      loadingMore: false,
      // Keyboard and screen-reader users land on the first comment that is new.
      focus: added[0] ? { id: added[0].id } : null,
    };
  });
}

/**
 * The loaded comments with the reader's own that the loaded pages do not hold, each in its place, and the count
 * with those awaiting moderation.
 */
export function merge({ comments, thread, nextCursor }: ThreadView, added: CommentView[], sort: Sort) {
  let count = thread.commentCount;
  for (const comment of added) {
    const has = (id: string | null) => comments.some((each) => each.id === id);
    // A reply waits for its parent's page; once every page is in, a missing parent is gone for good.
    if (has(comment.id) || (comment.parentId && nextCursor && !has(comment.parentId))) continue;
    comments = insertComment(comments, comment, sort === 'newest');
    if (comment.status === 'pending') count++;
  }
  return { comments, count };
}

/**
 * The reader's own comments on this thread that the first page does not show (awaiting moderation, or further
 * down) are asked for in one request, and only when there are some; those awaiting moderation are shown.
 */
export async function findHeld(self: Thread, { thread, comments }: ThreadView): Promise<void> {
  const shown = new Set(comments.map((comment) => comment.id));
  const mine = Object.entries(loadOwn(self.props.options.origin))
    .filter(([id, entry]) => entry.thread === thread.key && !shown.has(id))
    .slice(-50);
  if (!mine.length) return;
  const result = await request<{ comments: CommentView[] }>(self.url('comments/own'), {
    method: 'POST',
    body: { comments: mine.map(([id, { token }]) => ({ id, token })) },
  });
  if (!result.ok) {
    report(result.failure);
    return;
  }
  const found = result.value.comments;
  for (const [id, entry] of mine) {
    const comment = found.find((each) => each.id === id);
    // Gone (deleted, or the token no longer matches): forgotten. Approved: no longer kept past the edit window.
    remember(self, id, comment ? { ...entry, held: comment.status === 'pending' } : null);
  }
  self.setState(({ added }) => ({
    // As the server says for those asked about; what was posted meanwhile stays.
    added: [
      ...added.filter((comment) => !found.some((each) => each.id === comment.id)),
      ...found.filter((comment) => comment.status === 'pending'),
    ],
  }));
}

/** Applies a change to every list a comment can be in, and to the count; `add` joins the reader's added ones. */
function change(
  self: Thread,
  update: (comments: CommentView[]) => CommentView[],
  delta: number,
  add?: CommentView,
) {
  self.setState(({ data, added }) => ({
    added: update(add ? [...added, add] : added),
    data: data && {
      ...data,
      comments: update(data.comments),
      pinned: update(data.pinned),
      thread: { ...data.thread, commentCount: data.thread.commentCount + delta },
    },
  }));
}

function remember(self: Thread, id: string, entry: OwnComments[string] | null) {
  self.setState({ own: saveOwn(self.props.options.origin, id, entry) });
}

/** A token that no longer works is forgotten, so that its buttons go away. */
function forget(self: Thread, id: string, failure: Failure) {
  if (['forbidden', 'edit_window_closed', 'not_found'].includes(failure.code)) remember(self, id, null);
  return report(failure);
}

/**
 * Says what happened in the live region and moves focus to the comment concerned; after a post, the new
 * comment says it too, for those who do not hear live regions.
 */
function done(self: Thread, said: string, focus: string | null | undefined, posted?: string) {
  self.setState({ said, focus: focus ? { id: focus } : null, posted });
  return null;
}

export async function post(self: Thread, input: NewComment): Promise<Failure | null> {
  const { page, options } = self.props;
  const result = await request<CreatedComment>(self.url('comments'), {
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
    if (result.failure.code === 'thread_locked') self.setState({ closed: true });
    return report(result.failure);
  }
  const { comment, editToken, editableUntil } = result.value;
  const held = comment.status === 'pending';
  remember(self, comment.id, {
    token: editToken,
    until: editableUntil,
    body: input.body,
    thread: self.state.data?.thread.key,
    held,
  });
  // Others see it only once a moderator approves it: it does not count until then. Its live event may be in first.
  self.setState(({ fresh = [] }) => ({ fresh: fresh.filter((each) => each.id !== comment.id) }));
  change(self, (comments) => comments, held ? 0 : 1, comment);
  return done(
    self,
    held ? t('Your comment will appear once a moderator approves it.') : t('Your comment was posted.'),
    comment.id,
    comment.id,
  );
}

export async function update(self: Thread, id: string, body: string): Promise<Failure | null> {
  const mine = self.state.own[id];
  const result = await request<{ comment: CommentView }>(self.url(`comments/${id}`), {
    method: 'PATCH',
    body: { body },
    token: mine?.token,
  });
  if (!result.ok) return forget(self, id, result.failure);
  const { comment } = result.value;
  // The new text may be held for moderation.
  if (mine) remember(self, id, { ...mine, body, held: comment.status === 'pending' });
  change(self, (comments) => comments.map((each) => (each.id === id ? comment : each)), 0);
  return done(self, t('Your changes were saved.'), null);
}

export async function remove(self: Thread, id: string): Promise<string | null> {
  const result = await request<{ comment: CommentView | null }>(self.url(`comments/${id}`), {
    method: 'DELETE',
    token: self.state.own[id]?.token,
  });
  if (!result.ok) return describeFailure(forget(self, id, result.failure));
  const placeholder = result.value.comment;
  const { data, added } = self.state;
  const gone = [...(data?.comments ?? []), ...added].find((each) => each.id === id);
  remember(self, id, null);
  change(
    self,
    (comments) =>
      placeholder
        ? comments.map((each) => (each.id === id ? placeholder : each))
        : comments.filter((each) => each.id !== id),
    gone?.status === 'pending' ? 0 : -1,
  );
  // Focus stays where the comment was: on its placeholder, or else on the comment it answered.
  return done(self, t('Your comment was deleted.'), placeholder ? id : gone?.parentId);
}

export const preview = (self: Thread, body: string) =>
  request<{ html: string }>(self.url('preview'), { method: 'POST', body: { body } });

/** Focus to the comment when the thread asks for it, and to "Yes, delete" when that appears. */
export function moveFocus(self: Comment, focus?: Ctx['focus'], mode?: CommentState['mode']): void {
  const { ctx, item } = self.props;
  const article = self.self.current;
  if (ctx.focus !== focus && ctx.focus?.id === item.comment.id) {
    article?.focus();
    // Only the comment a permalink names keeps a mark, until another is named.
    if (ctx.focus.target) article?.classList.add('hl');
  } else if (ctx.focus !== focus && ctx.focus?.target) article?.classList.remove('hl');
  if (self.state.mode === 'confirm' && mode !== 'confirm') self.confirm.current?.focus();
  measureFold(self);
}

/** Opens a comment's mode (reply, edit, confirm), or closes it when it is open. */
const toggle = (self: Comment, next: CommentState['mode']) => () =>
  self.setState(({ mode }) => ({ mode: mode === next ? 'read' : next }));

/** Back to reading, with focus on the comment so that keyboard users keep their place. */
function back(self: Comment) {
  self.setState({ mode: 'read' });
  self.self.current?.focus();
}

/** A comment's buttons after its up-vote: Reply where replies are taken; Edit and Delete on the reader's own. */
export function buttons(self: Comment) {
  const { item, ctx } = self.props;
  const { comment } = item;
  const own = ctx.own[comment.id];
  return (
    <>
      {foldButton(self)}
      {!ctx.locked && comment.status === 'approved' && comment.depth < ctx.maxDepth && (
        <>
          {action(t('Reply'), toggle(self, 'reply'))}
          {quoteButton(self)}
        </>
      )}
      {own && own.until > ctx.now && action(t('Edit'), toggle(self, 'edit'))}
      {own && own.until > ctx.now && action(t('Delete'), toggle(self, 'confirm'))}
    </>
  );
}

/** The reply form under a comment, while the thread takes replies. */
export function replyForm(self: Comment) {
  const { item, ctx } = self.props;
  return (
    !ctx.locked && (
      <Form
        ctx={ctx}
        label={t('Reply to {name}', { name: item.comment.author.name || t('Anonymous') })}
        parentId={item.comment.id}
        onDone={toggle(self, 'reply')}
        onCancel={() => back(self)}
      />
    )
  );
}

/** The form that edits one of the reader's comments, in place of its text; none once its token is forgotten. */
export function editor(self: Comment) {
  const { item, ctx } = self.props;
  const own = ctx.own[item.comment.id];
  return (
    own && (
      <Form
        ctx={ctx}
        label={t('Edit your comment')}
        editId={item.comment.id}
        initial={own.body}
        onDone={() => back(self)}
        onCancel={() => back(self)}
      />
    )
  );
}

/** "Delete this comment?", asked under a comment of the reader's. */
export function confirm(self: Comment) {
  const yes = async () => {
    const failure = await remove(self.props.ctx.thread, self.props.item.comment.id);
    self.setState({ failure, mode: 'read' });
  };
  return (
    <div class="acts">
      <span>{t('Delete this comment?')}</span>
      <button type="button" class="pri del" part="button primary" ref={self.confirm} onClick={yes}>
        {t('Yes, delete')}
      </button>
      {action(t('Keep it'), () => back(self))}
    </div>
  );
}
