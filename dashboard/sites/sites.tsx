import { useState } from 'preact/hooks';
import type { Site } from '../../shared/admin-schemas.ts';
import { api, type Failure } from '../api.ts';
import { Link, navigate } from '../router.tsx';
import { canManage, useSession } from '../session.ts';
import { Field } from '../ui/field.tsx';
import { fieldError, lines } from '../ui/form-values.ts';
import { Alert, Page } from '../ui/page.tsx';

const ACCESS_WORDS = { admin: 'Server owner', owner: 'Owner', moderator: 'Moderator' } as const;

/** The sites the person works on; a server owner also adds sites here. */
export function Sites() {
  const { session } = useSession();
  return (
    <Page title="Sites">
      {session.sites.length === 0 ? (
        <p class="empty">No site yet.</p>
      ) : (
        <ul class="rows">
          {session.sites.map((site) => (
            <li key={site.id}>
              <Link to={`/sites/${encodeURIComponent(site.id)}`}>
                <strong>{site.name}</strong>
              </Link>{' '}
              <span class="dim">
                {site.id} · {ACCESS_WORDS[site.access]}
              </span>
              <span class="acts">
                <Link to={`/queue?site=${encodeURIComponent(site.id)}`}>
                  Queue<span class="sr"> of {site.name}</span>
                </Link>
                {canManage(site) && (
                  <>
                    <Link to={`/sites/${encodeURIComponent(site.id)}#settings`}>
                      Settings<span class="sr"> of {site.name}</span>
                    </Link>
                    <Link to={`/sites/${encodeURIComponent(site.id)}/members`}>
                      Members<span class="sr"> of {site.name}</span>
                    </Link>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      {session.user.isAdmin && <NewSite />}
    </Page>
  );
}

function NewSite() {
  const { refresh } = useSession();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [origins, setOrigins] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const result = await api<Site>('/sites', { method: 'POST', body: { id, name, origins: lines(origins) } });
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    await refresh();
    navigate(`/sites/${encodeURIComponent(result.value.id)}`);
  };
  const fields = failure?.fields;
  return (
    <form class="f stack" onSubmit={submit} noValidate aria-labelledby="new-site">
      <h2 id="new-site">Add a site</h2>
      <Field label="Name" error={fields?.name}>
        {(control) => (
          <input {...control} value={name} onInput={(event) => setName(event.currentTarget.value)} />
        )}
      </Field>
      <Field
        label="Site id"
        hint="Lowercase letters, digits and dashes; it goes in the embed snippet."
        error={fields?.id}
      >
        {(control) => <input {...control} value={id} onInput={(event) => setId(event.currentTarget.value)} />}
      </Field>
      <Field
        label="Origins"
        hint="One per line, such as https://blog.example.com: the pages that may show and post comments."
        error={fieldError(fields, 'origins')}
      >
        {(control) => (
          <textarea {...control} value={origins} onInput={(event) => setOrigins(event.currentTarget.value)} />
        )}
      </Field>
      <Alert failure={failure} />
      <button type="submit" class="pri" disabled={busy}>
        Add site
      </button>
    </form>
  );
}
