import { useState } from 'preact/hooks';
import { api, type Failure } from '../api.ts';
import { Field } from '../ui/field.tsx';
import { Alert } from '../ui/page.tsx';

/** Changing the password; the server then signs out every other session. */
export function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setDone(false);
    const result = await api('/account/password', { method: 'POST', body: { current, next } });
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    setCurrent('');
    setNext('');
    setDone(true);
  };
  return (
    <form class="f stack" onSubmit={submit} noValidate aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <Field label="Current password" error={failure?.fields?.current}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="current-password"
            value={current}
            onInput={(event) => setCurrent(event.currentTarget.value)}
          />
        )}
      </Field>
      <Field label="New password" hint="At least 10 characters." error={failure?.fields?.next}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="new-password"
            minLength={10}
            value={next}
            onInput={(event) => setNext(event.currentTarget.value)}
          />
        )}
      </Field>
      <Alert failure={failure} />
      <div class="acts">
        <button type="submit" class="pri" disabled={busy}>
          Change password
        </button>
        <span role="status" class="dim">
          {done ? 'Password changed. Your other sessions were signed out.' : ''}
        </span>
      </div>
    </form>
  );
}
