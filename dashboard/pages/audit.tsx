import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, AuditPage } from '../../shared/admin-schemas.ts';
import { api, type Failure, query } from '../api.ts';
import { navigate, type Route } from '../router.tsx';
import { canManage, useSession } from '../session.ts';
import { Alert, Loading, Page } from '../ui/page.tsx';
import { SiteFilterBar } from '../ui/site-filter.tsx';
import { AuditEntryRow } from './audit-entry.tsx';

/** Who changed what and when, newest first, for the sites the person owns (all of them for a server owner). */
export function Audit({ route }: { route: Route }) {
  const { session } = useSession();
  const site = route.params.get('site') ?? undefined;
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async (from: string | null) => {
    setBusy(true);
    const result = await api<AuditPage>(`/audit${query({ site, cursor: from })}`);
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    setEntries((before) => [...(from ? (before ?? []) : []), ...result.value.entries]);
    setCursor(result.value.nextCursor);
  };
  // A new site filter starts the log afresh.
  useEffect(() => {
    setEntries(null);
    void load(null);
  }, [site]);

  const owned = session.sites.filter(canManage);
  const siteNames = new Map(session.sites.map((each) => [each.id, each.name]));
  return (
    <Page title="Audit log" wide>
      <SiteFilterBar
        label="Filter the log"
        sites={owned}
        value={site}
        onChange={(next) => navigate(`/audit${query({ site: next })}`, { replace: true })}
      />
      <Alert failure={failure} />
      {entries === null ? (
        !failure && <Loading />
      ) : entries.length === 0 ? (
        <p class="empty">Nothing has been changed yet.</p>
      ) : (
        <ol class="rows audit">
          {entries.map((entry) => (
            <AuditEntryRow key={entry.id} entry={entry} siteName={siteNames.get(entry.siteId ?? '')} />
          ))}
        </ol>
      )}
      {cursor && (
        <button type="button" class="more" disabled={busy} onClick={() => load(cursor)}>
          {busy ? 'Loading…' : 'Load more'}
        </button>
      )}
    </Page>
  );
}
