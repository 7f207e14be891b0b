import { useState } from 'preact/hooks';
import { api, type Failure } from '../api.ts';
import { navigate } from '../router.tsx';
import { useSession } from '../session.ts';
import { Alert, Page } from '../ui/page.tsx';
import { NameForm } from './name-form.tsx';
import { Passkeys } from './passkeys.tsx';
import { PasswordForm } from './password-form.tsx';
import { Sessions } from './sessions.tsx';

/** The signed-in person's own account: public name, password, passkeys, where they are signed in, signing out. */
export function Account() {
  const { session, replace } = useSession();
  const [failure, setFailure] = useState<Failure | null>(null);
  const signOut = async () => {
    const result = await api('/session', { method: 'DELETE' });
    if (!result.ok && result.failure.status !== 401) return setFailure(result.failure);
    navigate('');
    replace(null);
  };
  return (
    <Page title="Account">
      <p>
        Signed in as <strong>{session.user.name || session.user.email}</strong>{' '}
        <span class="dim">
          ({session.user.email}
          {session.user.isAdmin && ', server owner'})
        </span>
      </p>
      <div class="acts">
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </div>
      <Alert failure={failure} />
      <NameForm />
      <PasswordForm />
      <Passkeys />
      <Sessions />
    </Page>
  );
}
