import { useState } from 'preact/hooks';
import type { CreatedWebhook, Delivery, Webhook, WebhookEventName } from '../../shared/webhook-schemas.ts';
import { api, type Failure } from '../api.ts';
import { CopyText } from '../ui/copy.tsx';
import { Check, Field } from '../ui/field.tsx';
import { Alert, Loading } from '../ui/page.tsx';
import { useFetch } from '../ui/use-fetch.ts';

const EVENTS: Array<[WebhookEventName, string]> = [
  ['comment.created', 'New comments (held ones too)'],
  ['comment.approved', 'Approved comments'],
  ['comment.edited', 'Edited comments'],
  ['comment.deleted', 'Deleted comments'],
];

const STATUS_WORDS: Record<Delivery['status'], string> = {
  pending: 'Will retry',
  delivered: 'Delivered',
  failed: 'Gave up',
};

/** A site's webhooks: add one (its secret shown once), send a test event, read the delivery log, remove. */
export function Webhooks({ siteId }: { siteId: string }) {
  const path = `/sites/${encodeURIComponent(siteId)}/webhooks`;
  const hooks = useFetch<Webhook[]>(path);
  const [failure, setFailure] = useState<Failure | null>(null);
  const remove = async (hook: Webhook) => {
    const result = await api(`${path}/${encodeURIComponent(hook.id)}`, { method: 'DELETE' });
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    hooks.set((hooks.data ?? []).filter((each) => each.id !== hook.id));
  };
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p class="dim">
        Comment events are posted as JSON, signed in the <code>Parley-Signature</code> header, and retried for
        a day until answered with a 2xx.
      </p>
      <Alert failure={failure ?? hooks.failure} />
      {hooks.loading && !hooks.data ? (
        <Loading />
      ) : hooks.data?.length ? (
        <ul class="rows">
          {hooks.data.map((hook) => (
            <li key={hook.id}>
              <WebhookRow
                path={`${path}/${encodeURIComponent(hook.id)}`}
                hook={hook}
                onRemove={() => remove(hook)}
              />
            </li>
          ))}
        </ul>
      ) : (
        <p class="dim">No webhook yet.</p>
      )}
      <WebhookForm path={path} onAdded={(hook) => hooks.set([...(hooks.data ?? []), hook])} />
    </section>
  );
}

function WebhookRow({ path, hook, onRemove }: { path: string; hook: Webhook; onRemove: () => void }) {
  const [open, setOpen] = useState(false);
  const log = useFetch<Delivery[]>(open ? `${path}/deliveries` : null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const test = async () => {
    setBusy(true);
    const result = await api<Delivery>(`${path}/test`, { method: 'POST', body: {} });
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    setOpen(true);
    log.reload();
  };
  return (
    <div class="stack hook">
      <span>
        <strong class="code">{hook.url}</strong>{' '}
        <span class="dim">· {hook.events.map((event) => event.replace('comment.', '')).join(', ')}</span>
      </span>
      <span class="acts">
        <button type="button" onClick={test} disabled={busy}>
          Send a test event
        </button>
        <button type="button" class="l" aria-expanded={open} onClick={() => setOpen(!open)}>
          Delivery log
        </button>
        <button type="button" class="l" onClick={onRemove}>
          Remove<span class="sr"> the webhook to {hook.url}</span>
        </button>
      </span>
      <Alert failure={failure ?? log.failure} />
      {open && (log.data ? <DeliveryLog rows={log.data} /> : <Loading />)}
    </div>
  );
}

function DeliveryLog({ rows }: { rows: Delivery[] }) {
  if (rows.length === 0) return <p class="dim">Nothing sent yet.</p>;
  return (
    <table class="log">
      <caption class="sr">Latest deliveries, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Answer</th>
          <th scope="col">Time</th>
          <th scope="col">Attempts</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>{new Date(row.lastAttemptAt ?? row.createdAt).toLocaleString()}</td>
            <td>{row.event}</td>
            <td>
              {STATUS_WORDS[row.status]}
              {row.nextAttemptAt && (
                <span class="dim"> at {new Date(row.nextAttemptAt).toLocaleTimeString()}</span>
              )}
            </td>
            <td>{row.error ?? row.responseCode ?? '—'}</td>
            <td>{row.durationMs === null ? '—' : `${row.durationMs} ms`}</td>
            <td>{row.attempts}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function WebhookForm({ path, onAdded }: { path: string; onAdded: (hook: Webhook) => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventName[]>(['comment.created']);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [secret, setSecret] = useState('');
  const toggle = (event: WebhookEventName, on: boolean) =>
    setEvents(on ? [...events, event] : events.filter((each) => each !== event));
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const result = await api<CreatedWebhook>(path, { method: 'POST', body: { url, events } });
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    setSecret(result.value.secret);
    setUrl('');
    onAdded(result.value.webhook);
  };
  return (
    <form class="f stack" onSubmit={submit} noValidate aria-labelledby="webhook-add-title">
      <h3 id="webhook-add-title">Add a webhook</h3>
      <Field
        label="URL"
        hint="An http or https address that accepts POST requests."
        error={failure?.fields?.url}
      >
        {(control) => (
          <input {...control} type="url" value={url} onInput={(event) => setUrl(event.currentTarget.value)} />
        )}
      </Field>
      <fieldset>
        <legend>Events</legend>
        {EVENTS.map(([name, label]) => (
          <Check
            key={name}
            label={label}
            checked={events.includes(name)}
            onChange={(on) => toggle(name, on)}
          />
        ))}
        {failure?.fields?.events && <p class="fe">{failure.fields.events}</p>}
      </fieldset>
      <Alert failure={failure} />
      <button type="submit" class="pri" disabled={busy}>
        Add webhook
      </button>
      {secret && (
        <div class="done">
          <p>Keep this secret where the receiver can read it: it is shown this once only.</p>
          <CopyText label="Signing secret" text={secret} oneLine />
        </div>
      )}
    </form>
  );
}
