import { useState } from 'preact/hooks';
import type { SessionView } from '../../shared/admin-schemas.ts';
import { api, type Failure } from '../api.ts';
import { navigate, type Route } from '../router.tsx';
import { Bare } from '../ui/bare.tsx';
import { Field } from '../ui/field.tsx';
import { Alert, Page } from '../ui/page.tsx';

/** The token from `/admin/invite#token=…` (kept out of server logs) or `/admin/invite?token=…`. */
function inviteToken(route: Route): string {
  return new URLSearchParams(route.hash).get('token') ?? route.params.get('token') ?? '';
}

/** Where an invite link leads: the invitee picks a name and a password, joins the site and is signed in. */
export function Invite({ route, onSignedIn }: { route: Route; onSignedIn: (session: SessionView) => void }) {
  const token = inviteToken(route);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    const result = await api<SessionView>('/invites/accept', {
      method: 'POST',
      body: { token, ...(name.trim() && { name: name.trim() }), ...(password && { password }) },
    });
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    onSignedIn(result.value);
    navigate('', { replace: true });
  };

  if (!token) {
    return (
      <Bare>
        <Page title="Invitation">
          <p class="err" role="alert">
            This invitation link is incomplete. Copy the whole link from the message you received, or ask for
            a new invitation.
          </p>
        </Page>
      </Bare>
    );
  }
  return (
    <Bare>
      <Page title="Accept your invitation">
        <p>
          You were invited to moderate comments with Parley. Choose how you will be shown and how you sign in.
        </p>
        <form class="f stack" onSubmit={submit} noValidate>
          <Field label="Your name" error={failure?.fields?.name}>
            {(control) => (
              <input
                {...control}
                autoComplete="name"
                value={name}
                onInput={(event) => setName(event.currentTarget.value)}
              />
            )}
          </Field>
          <Field
            label="Password"
            hint="At least 10 characters. Leave it empty if you already have an account on this server."
            error={failure?.fields?.password}
          >
            {(control) => (
              <input
                {...control}
                type="password"
                autoComplete="new-password"
                value={password}
                onInput={(event) => setPassword(event.currentTarget.value)}
              />
            )}
          </Field>
          <Alert failure={failure} />
          <button type="submit" class="pri" disabled={busy}>
            {busy ? 'Joining…' : 'Accept and sign in'}
          </button>
        </form>
      </Page>
    </Bare>
  );
}
