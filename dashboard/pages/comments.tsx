import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { FullStatus } from '../../shared/admin-schemas.ts';
import { query } from '../api.ts';
import { ModerationList } from '../moderation/moderation-list.tsx';
import type { ModComment } from '../moderation/types.ts';
import { type CommentPages, useCommentPages } from '../moderation/use-comment-pages.ts';
import { Link, navigate, type Route } from '../router.tsx';
import { useSession } from '../session.ts';
import { Field } from '../ui/field.tsx';
import { Alert, Loading, Page } from '../ui/page.tsx';
import { SiteFilter, SiteFilterBar } from '../ui/site-filter.tsx';

/** Set once the queue's first comments are painted; `bench/dashboard-queue.ts` reads it. */
export const QUEUE_RENDERED_MARK = 'parley:queue-rendered';

const STATUSES: Array<[FullStatus | '', string]> = [
  ['', 'Any status'],
  ['pending', 'Pending'],
  ['approved', 'Approved'],
  ['spam', 'Spam'],
  ['deleted', 'Deleted'],
];

const isStatus = (value: string | null): value is FullStatus =>
  STATUSES.some(([status]) => status !== '' && status === value);

/** Pending comments of every site the person moderates (or of one of them), newest first. */
export function Queue({ route }: { route: Route }) {
  const { session } = useSession();
  const site = route.params.get('site') ?? undefined;
  const pages = useCommentPages({ status: 'pending', site });
  const markPainted = () =>
    // The frame after the one that renders the list has painted it.
    requestAnimationFrame(() => setTimeout(() => performance.mark(QUEUE_RENDERED_MARK)));
  return (
    <Page title="Queue" wide>
      <SiteFilterBar
        label="Filter the queue"
        sites={session.sites}
        value={site}
        onChange={(next) => navigate(`/queue${query({ site: next })}`, { replace: true })}
      />
      <CommentList
        key={site}
        pages={pages}
        label="Pending comments"
        keeps={(comment) => comment.status === 'pending'}
        onRendered={markPainted}
        empty={
          <p class="empty">Nothing is waiting for you. Comments held for moderation will appear here.</p>
        }
      />
    </Page>
  );
}

/** Every comment, filtered by site, page, status and text, newest first. */
export function AllComments({ route }: { route: Route }) {
  const { session } = useSession();
  const { params } = route;
  const filter = {
    site: params.get('site') ?? undefined,
    thread: params.get('thread') ?? undefined,
    status: isStatus(params.get('status')) ? (params.get('status') as FullStatus) : undefined,
    q: params.get('q') ?? undefined,
  };
  const [text, setText] = useState(filter.q ?? '');
  const pages = useCommentPages(filter);
  const go = (change: Partial<typeof filter>) =>
    navigate(`/comments${query({ ...filter, ...change })}`, { replace: true });
  const threadTitle = pages.comments.find((comment) => comment.thread.id === filter.thread)?.thread;

  return (
    <Page title="Comments" wide>
      <search aria-label="Filter the comments">
        <form
          class="filters"
          onSubmit={(event) => {
            event.preventDefault();
            go({ q: text.trim() || undefined });
          }}
        >
          <SiteFilter sites={session.sites} value={filter.site} onChange={(site) => go({ site })} />
          <Field label="Status">
            {(control) => (
              <select
                {...control}
                value={filter.status ?? ''}
                onChange={(event) =>
                  go({ status: (event.currentTarget.value || undefined) as FullStatus | undefined })
                }
              >
                {STATUSES.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Text, name or email">
            {(control) => (
              <span class="search">
                <input
                  {...control}
                  type="search"
                  value={text}
                  onInput={(event) => setText(event.currentTarget.value)}
                />
                <button type="submit">Search</button>
              </span>
            )}
          </Field>
        </form>
      </search>
      {filter.thread && (
        <p class="chip">
          On the page{' '}
          <Link to={`/threads/${filter.thread}`}>
            {threadTitle?.title || threadTitle?.url || 'shown in its thread'}
          </Link>{' '}
          <button type="button" class="l" onClick={() => go({ thread: undefined })}>
            Show all pages
          </button>
        </p>
      )}
      <CommentList
        key={query(filter)}
        pages={pages}
        label="Comments"
        keeps={(comment) => !filter.status || comment.status === filter.status}
        empty={<p class="empty">No comment matches these filters.</p>}
      />
    </Page>
  );
}

function CommentList({
  pages,
  ...rest
}: {
  pages: CommentPages;
  label: string;
  keeps: (comment: ModComment) => boolean;
  onRendered?: () => void;
  empty: ComponentChildren;
}) {
  if (pages.loading) return <Loading />;
  if (pages.failure && pages.comments.length === 0) return <Alert failure={pages.failure} />;
  const more = pages.hasMore ? pages.loadMore : undefined;
  return (
    <>
      <Alert failure={pages.failure} />
      <ModerationList
        {...rest}
        comments={pages.comments}
        setComments={pages.setComments}
        context
        onEnd={more}
        onReplied={(reply) => {
          if (rest.keeps(reply)) pages.setComments([reply, ...pages.comments]);
        }}
      />
      {more && (
        <button type="button" class="more" onClick={more} disabled={pages.loadingMore}>
          {pages.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}
