import { useState } from 'preact/hooks';
import type { Passkey } from '../../shared/admin-schemas.ts';
import { api, type Failure } from '../api.ts';
import { Field } from '../ui/field.tsx';
import { Alert, Loading } from '../ui/page.tsx';
import { useFetch } from '../ui/use-fetch.ts';
import { describeCeremonyError, passkeysSupported, registerPasskey } from '../webauthn.ts';

const date = (at: number) => new Date(at).toLocaleDateString();

/** The person's passkeys: add one from this device, remove one. */
export function Passkeys() {
  const passkeys = useFetch<Passkey[]>('/passkeys');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [refusal, setRefusal] = useState('');
  const [done, setDone] = useState('');

  const add = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    setRefusal('');
    setDone('');
    const label = name.trim() || 'Passkey';
    try {
      const result = await registerPasskey(label);
      if (!result.ok) return setFailure(result.failure);
      setName('');
      setDone(`Passkey “${label}” added. You can now sign in with it.`);
      passkeys.reload();
    } catch (error) {
      setRefusal(describeCeremonyError(error));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (passkey: Passkey) => {
    const result = await api(`/passkeys/${encodeURIComponent(passkey.id)}`, { method: 'DELETE' });
    if (!result.ok) return setFailure(result.failure);
    setDone(`Passkey “${passkey.name}” removed.`);
    passkeys.set((passkeys.data ?? []).filter((each) => each.id !== passkey.id));
  };

  return (
    <section aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      {passkeys.loading && !passkeys.data ? (
        <Loading />
      ) : passkeys.data?.length ? (
        <ul class="rows">
          {passkeys.data.map((passkey) => (
            <li key={passkey.id}>
              <span>
                <strong>{passkey.name}</strong>{' '}
                <span class="dim">
                  added {date(passkey.createdAt)}
                  {passkey.lastUsedAt ? `, last used ${date(passkey.lastUsedAt)}` : ', never used'}
                </span>
              </span>
              <button type="button" class="l" onClick={() => remove(passkey)}>
                Remove<span class="sr"> {passkey.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="dim">
          No passkey yet. A passkey signs you in with this device’s lock instead of a password.
        </p>
      )}
      {passkeysSupported() ? (
        <form class="f stack" onSubmit={add} noValidate>
          <Field
            label="Passkey name"
            hint="To tell your devices apart, e.g. “Work laptop”."
            error={failure?.fields?.name}
          >
            {(control) => (
              <input {...control} value={name} onInput={(event) => setName(event.currentTarget.value)} />
            )}
          </Field>
          <button type="submit" disabled={busy}>
            Add a passkey
          </button>
        </form>
      ) : (
        <p class="dim">This browser cannot create passkeys.</p>
      )}
      <Alert failure={failure ?? passkeys.failure} />
      {refusal && (
        <p class="err" role="alert">
          {refusal}
        </p>
      )}
      <p role="status" class="dim">
        {done}
      </p>
    </section>
  );
}
