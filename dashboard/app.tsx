import type { z } from '@hono/zod-openapi';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { SessionView, SetupStateSchema } from '../shared/admin-schemas.ts';
import { api, type Failure, onUnauthorized, setCsrfToken } from './api.ts';
import { Layout } from './layout.tsx';
import { FirstRun } from './pages/first-run.tsx';
import { Invite } from './pages/invite.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { useRoute } from './router.tsx';
import { Routes } from './routes.tsx';
import { SessionContext, type SessionState } from './session.ts';
import { Bare } from './ui/bare.tsx';
import { Alert, Loading, Page } from './ui/page.tsx';

type SetupState = z.infer<typeof SetupStateSchema>;

type Boot =
  | { kind: 'loading' }
  | { kind: 'failed'; failure: Failure }
  | { kind: 'first-run' }
  | { kind: 'ready'; session: SessionView | null };

/**
 * The dashboard: finds out whether the server has an owner yet and whether someone is signed in, then shows the
 * first-run explanation, the sign-in page or the page the address asks for. A 401 from any request signs out.
 */
export function App() {
  const route = useRoute();
  const [boot, setBoot] = useState<Boot>({ kind: 'loading' });

  const replace = useCallback((session: SessionView | null) => {
    setCsrfToken(session?.csrfToken ?? '');
    setBoot({ kind: 'ready', session });
  }, []);

  const refresh = useCallback(async () => {
    const result = await api<SessionView>('/session');
    if (result.ok) replace(result.value);
  }, [replace]);

  useEffect(() => {
    void (async () => {
      const session = await api<SessionView>('/session');
      // From now on a 401 anywhere means the session ended (the first one only means nobody is signed in).
      onUnauthorized(() => replace(null));
      if (session.ok) return replace(session.value);
      if (session.failure.status !== 401) return setBoot({ kind: 'failed', failure: session.failure });
      // Signed out: a fresh server has nobody to sign in as yet, and says how to create the first owner.
      const setup = await api<SetupState>('/setup');
      if (!setup.ok) setBoot({ kind: 'failed', failure: setup.failure });
      else setBoot(setup.value.hasOwner ? { kind: 'ready', session: null } : { kind: 'first-run' });
    })();
  }, [replace]);

  const state = useMemo<SessionState | null>(
    () => (boot.kind === 'ready' && boot.session ? { session: boot.session, replace, refresh } : null),
    [boot, replace, refresh],
  );

  if (route.path === '/invite') return <Invite route={route} onSignedIn={replace} />;
  if (boot.kind === 'loading')
    return (
      <Bare>
        <Loading />
      </Bare>
    );
  if (boot.kind === 'failed') {
    return (
      <Bare>
        <Page title="Parley is unavailable">
          <Alert failure={boot.failure} />
        </Page>
      </Bare>
    );
  }
  if (boot.kind === 'first-run')
    return (
      <Bare>
        <FirstRun />
      </Bare>
    );
  if (!state)
    return (
      <Bare>
        <SignIn onSignedIn={replace} />
      </Bare>
    );
  return (
    <SessionContext.Provider value={state}>
      <Layout route={route}>
        <Routes route={route} />
      </Layout>
    </SessionContext.Provider>
  );
}
