import { useState } from 'preact/hooks';
import type { User } from '../../shared/admin-schemas.ts';
import { api, type Failure } from '../api.ts';
import { useSession } from '../session.ts';
import { Field } from '../ui/field.tsx';
import { Alert } from '../ui/page.tsx';

/** The name readers see on the person's replies from the dashboard (until set: the start of their email). */
export function NameForm() {
  const { session, replace } = useSession();
  const [name, setName] = useState(session.user.name);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setDone(false);
    const result = await api<User>('/account', { method: 'PATCH', body: { name } });
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    setName(result.value.name);
    setDone(true);
    replace({ ...session, user: result.value });
  };
  return (
    <form class="f stack" onSubmit={submit} noValidate aria-labelledby="name-title">
      <h2 id="name-title">Public name</h2>
      <Field
        label="Your name"
        hint="Readers see it on your replies, with the site’s author badge."
        error={failure?.fields?.name}
      >
        {(control) => (
          <input
            {...control}
            value={name}
            autoComplete="name"
            maxLength={80}
            onInput={(event) => {
              setName(event.currentTarget.value);
              setDone(false);
            }}
          />
        )}
      </Field>
      <Alert failure={failure} />
      <div class="acts">
        <button type="submit" class="pri" disabled={busy}>
          Save name
        </button>
        <span role="status" class="dim">
          {done ? 'Name saved.' : ''}
        </span>
      </div>
    </form>
  );
}
