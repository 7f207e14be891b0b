import { useState } from 'preact/hooks';
import type { SessionView } from '../../shared/admin-schemas.ts';
import { api, type Failure } from '../api.ts';
import { Field } from '../ui/field.tsx';
import { Alert, Page } from '../ui/page.tsx';
import { describeCeremonyError, passkeysSupported, signInWithPasskey } from '../webauthn.ts';

/** Email and password, or a passkey. Shown in place of any page while nobody is signed in. */
export function SignIn({ onSignedIn }: { onSignedIn: (session: SessionView) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [refusal, setRefusal] = useState('');

  const finish = (result: Awaited<ReturnType<typeof signInWithPasskey>>) => {
    setBusy(false);
    if (result.ok) onSignedIn(result.value);
    else setFailure(result.failure);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    setRefusal('');
    finish(await api<SessionView>('/session', { method: 'POST', body: { email, password } }));
  };

  const withPasskey = async () => {
    setBusy(true);
    setFailure(null);
    setRefusal('');
    try {
      finish(await signInWithPasskey());
    } catch (error) {
      setBusy(false);
      setRefusal(describeCeremonyError(error));
    }
  };

  return (
    <Page title="Sign in to Parley">
      <form class="f stack" onSubmit={submit} noValidate>
        <Field label="Email" error={failure?.fields?.email}>
          {(control) => (
            <input
              {...control}
              type="email"
              autoComplete="username webauthn"
              required
              value={email}
              onInput={(event) => setEmail(event.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="Password" error={failure?.fields?.password}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onInput={(event) => setPassword(event.currentTarget.value)}
            />
          )}
        </Field>
        <Alert failure={failure} />
        <button type="submit" class="pri" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {passkeysSupported() && (
        <div class="or">
          <p class="dim">or</p>
          <button type="button" onClick={withPasskey} disabled={busy}>
            Sign in with a passkey
          </button>
          {refusal && (
            <p class="err" role="alert">
              {refusal}
            </p>
          )}
        </div>
      )}
    </Page>
  );
}
