import { useEffect, useRef, useState } from 'preact/hooks';
import type { AdminThread, AdminThreadDetail } from '../../shared/admin-schemas.ts';
import type { CommentView } from '../../shared/schemas.ts';
import { insertComment } from '../../widget/insert.ts';
import { api, type Failure } from '../api.ts';
import { ModerationList } from '../moderation/moderation-list.tsx';
import { countComments, type ModComment } from '../moderation/types.ts';
import { Link } from '../router.tsx';
import { Field } from '../ui/field.tsx';
import { Alert, Loading, Page } from '../ui/page.tsx';
import { useFetch } from '../ui/use-fetch.ts';

/** A page's whole thread, every status, nested as readers see it; lock or unlock it, change its title. */
export function ThreadPage({ id }: { id: string }) {
  const detail = useFetch<AdminThreadDetail>(`/threads/${encodeURIComponent(id)}`);
  if (!detail.data) {
    return <Page title="Thread">{detail.loading ? <Loading /> : <Alert failure={detail.failure} />}</Page>;
  }
  const { thread, comments } = detail.data;
  const setComments = (next: ModComment[]) => detail.set({ thread, comments: next });
  return (
    <Page title={thread.title || thread.url} wide>
      <ThreadHeader thread={thread} onChange={(next) => detail.set({ thread: next, comments })} />
      <ModerationList
        label="Comments on this page"
        comments={comments}
        setComments={setComments}
        keeps={() => true}
        context={false}
        nested
        // The reply goes after its parent's replies, as in the widget (which only reads ids and depths).
        onReplied={(reply) =>
          setComments(insertComment(comments as CommentView[], reply as CommentView, false) as ModComment[])
        }
        empty={<p class="empty">No comments on this page yet.</p>}
      />
    </Page>
  );
}

function ThreadHeader({
  thread,
  onChange,
}: {
  thread: AdminThread;
  onChange: (thread: AdminThread) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const lock = async () => {
    setBusy(true);
    const result = await api<AdminThread>(`/threads/${encodeURIComponent(thread.id)}`, {
      method: 'PATCH',
      body: { locked: !thread.locked },
    });
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    onChange(result.value);
  };
  return (
    <div class="thread-head">
      <p>
        {/* The heading is the URL itself when the page gave no title. */}
        <a href={thread.url} target="_blank" rel="noopener noreferrer">
          {thread.title ? thread.url : 'Open the page'}
        </a>
      </p>
      <p class="dim">
        {countComments(thread.commentCount)} shown to readers ·{' '}
        {thread.locked ? 'Locked: readers cannot comment.' : 'Open for comments.'}{' '}
        <Link to={`/comments?thread=${encodeURIComponent(thread.id)}`}>Newest first, with filters</Link>
      </p>
      <div class="acts">
        <button type="button" onClick={lock} disabled={busy}>
          {thread.locked ? 'Unlock thread' : 'Lock thread'}
        </button>
      </div>
      <Alert failure={failure} />
      <TitleForm thread={thread} onChange={onChange} />
    </div>
  );
}

/** The page's title as the dashboard and exports show it, behind a button until wanted. */
function TitleForm({ thread, onChange }: { thread: AdminThread; onChange: (thread: AdminThread) => void }) {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(thread.title ?? '');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saved, setSaved] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);
  if (!open) {
    return (
      <div class="acts">
        <button
          type="button"
          onClick={() => {
            setOpen(true);
            setSaved(false);
          }}
        >
          Edit title
        </button>
        <span role="status" class="dim">
          {saved ? 'Title saved.' : ''}
        </span>
      </div>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const result = await api<AdminThread>(`/threads/${encodeURIComponent(thread.id)}`, {
      method: 'PATCH',
      body: { title },
    });
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    setOpen(false);
    setSaved(true);
    onChange(result.value);
  };
  return (
    <form
      class="f stack"
      onSubmit={submit}
      noValidate
      onKeyDown={(event) => {
        if (event.key === 'Escape') setOpen(false);
      }}
    >
      <Field label="Page title" error={failure?.fields?.title}>
        {(control) => (
          <input
            {...control}
            value={title}
            maxLength={300}
            ref={input}
            onInput={(event) => setTitle(event.currentTarget.value)}
          />
        )}
      </Field>
      <Alert failure={failure} />
      <div class="acts">
        <button type="submit" class="pri" disabled={busy}>
          Save title
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
