import { useEffect, useRef, useState } from 'preact/hooks';
import type { Ban, BanCreated, BanDuration } from '../../shared/admin-schemas.ts';
import { api, type Failure, type Result } from '../api.ts';
import { Check, Field } from '../ui/field.tsx';
import { Alert } from '../ui/page.tsx';
import type { ModComment } from './types.ts';

type BanKind = Ban['kind'];

interface FormProps {
  comment: ModComment;
  onCancel: () => void;
}

const escapeCancels = (onCancel: () => void) => (event: KeyboardEvent) => {
  if (event.key === 'Escape') {
    event.stopPropagation();
    onCancel();
  }
};

/**
 * Markdown in a textarea, for a moderator's edit or an owner's reply. Takes focus when it opens; Escape cancels.
 */
export function BodyForm({
  comment,
  onCancel,
  kind,
  onDone,
}: FormProps & { kind: 'edit' | 'reply'; onDone: (comment: ModComment) => void }) {
  const [body, setBody] = useState(kind === 'edit' ? comment.body : '');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => area.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const result: Result<ModComment> =
      kind === 'edit'
        ? await api(`/comments/${comment.id}`, { method: 'PATCH', body: { body } })
        : await api(`/comments/${comment.id}/replies`, { method: 'POST', body: { body } });
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setFailure(result.failure);
  };

  const name = comment.author.name || 'Anonymous';
  return (
    <form class="f card-form" onSubmit={submit} onKeyDown={escapeCancels(onCancel)} noValidate>
      <Field
        label={kind === 'edit' ? `Edit the comment by ${name}` : `Your reply to ${name}`}
        hint="Markdown: **bold**, _italic_, `code`, [link](https://…), > quote"
        error={failure?.fields?.body}
      >
        {(control) => (
          <textarea
            {...control}
            ref={area}
            value={body}
            required
            onInput={(event) => setBody(event.currentTarget.value)}
          />
        )}
      </Field>
      <Alert failure={failure} />
      <div class="acts">
        <button type="submit" class="pri" disabled={busy || !body.trim()}>
          {kind === 'edit' ? 'Save changes' : 'Post reply'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const DURATIONS: Array<[BanDuration, string]> = [
  ['day', 'For a day'],
  ['week', 'For a week'],
  ['forever', 'Until lifted'],
];

/**
 * Bans the commenter behind a comment, by their email, their client (network address hash) or both, for a while
 * or for good; and, in the same step, deletes what they wrote on the site.
 */
export function BanForm({
  comment,
  onCancel,
  onDone,
}: FormProps & { onDone: (created: BanCreated) => void }) {
  const [kinds, setKinds] = useState<Record<BanKind, boolean>>({ email: !!comment.email, client: true });
  const [reason, setReason] = useState('');
  const [duration, setDuration] = useState<BanDuration>('forever');
  const [deleteComments, setDeleteComments] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const first = useRef<HTMLFieldSetElement>(null);
  useEffect(() => first.current?.querySelector('input')?.focus(), []);

  const chosen = (Object.keys(kinds) as BanKind[]).filter((kind) => kinds[kind]);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const result = await api<BanCreated>(`/sites/${encodeURIComponent(comment.siteId)}/bans`, {
      method: 'POST',
      body: { commentId: comment.id, kinds: chosen, reason: reason.trim(), duration, deleteComments },
    });
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setFailure(result.failure);
  };

  const name = comment.author.name || 'this anonymous commenter';
  return (
    <form class="f card-form" onSubmit={submit} onKeyDown={escapeCancels(onCancel)} noValidate>
      <fieldset ref={first}>
        <legend>Ban {name} from commenting on this site</legend>
        <Check
          label={comment.email ? `By email (${comment.email})` : 'By email (none was given)'}
          checked={kinds.email}
          onChange={(email) => setKinds({ ...kinds, email })}
        />
        <Check
          label="By client (their network address, kept only as a hash)"
          checked={kinds.client}
          onChange={(client) => setKinds({ ...kinds, client })}
        />
      </fieldset>
      <Field label="How long" error={failure?.fields?.duration}>
        {(control) => (
          <select
            {...control}
            value={duration}
            onChange={(event) => setDuration(event.currentTarget.value as BanDuration)}
          >
            {DURATIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Check
        label="Also delete their comments on this site"
        hint="Every comment matched the way the ban matches them, this one included."
        checked={deleteComments}
        onChange={setDeleteComments}
      />
      <Field label="Reason (for other moderators)" error={failure?.fields?.reason}>
        {(control) => (
          <input {...control} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
        )}
      </Field>
      <Alert failure={failure} />
      <div class="acts">
        <button type="submit" class="pri" disabled={busy || chosen.length === 0}>
          {deleteComments ? 'Ban and delete' : 'Ban'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
