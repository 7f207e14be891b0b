import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { SessionView, Site } from '../shared/admin-schemas.ts';

export interface SessionState {
  session: SessionView;
  /** Takes a new session (after signing in, accepting an invite) or drops it (signed out). */
  replace(next: SessionView | null): void;
  /** Fetches the session again, e.g. after a site was created or renamed. */
  refresh(): Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

/** The signed-in person's session; only pages shown behind sign-in call it. */
export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession() outside a signed-in page');
  return state;
}

/** Owners and server owners manage a site's settings, members and bans; moderators only moderate. */
export const canManage = (site: Site | undefined): boolean =>
  site?.access === 'admin' || site?.access === 'owner';

export function findSite(session: SessionView, id: string | null | undefined): Site | undefined {
  return session.sites.find((site) => site.id === id);
}
