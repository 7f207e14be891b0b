import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, AuditPage } from '../../shared/admin-schemas.ts';
import { api, type Failure, query } from '../api.ts';
import { navigate, type Route } from '../router.tsx';
import { canManage, useSession } from '../session.ts';
import { Alert, Loading, Page } from '../ui/page.tsx';
import { SiteFilterBar } from '../ui/site-filter.tsx';

/** `comment.approve` → "comment approve": the log's action names read well enough with the dot gone. */
const actionWords = (action: string) => action.replace(/[._]/g, ' ');

const json = (value: unknown) => JSON.stringify(value, null, 2);

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
            <li key={entry.id}>
              <div>
                <strong>{actionWords(entry.action)}</strong>{' '}
                <span class="dim">
                  by {entry.actor.email}
                  {entry.siteId && ` on ${entry.siteId}`}
                  {entry.targetId && ` · ${entry.targetId}`}
                </span>
              </div>
              <time class="dim" dateTime={new Date(entry.createdAt).toISOString()}>
                {new Date(entry.createdAt).toLocaleString()}
              </time>
              {(entry.before != null || entry.after != null) && (
                <details>
                  <summary>Before and after</summary>
                  <div class="diff">
                    <figure>
                      <figcaption class="dim">Before</figcaption>
                      <pre class="code">{json(entry.before)}</pre>
                    </figure>
                    <figure>
                      <figcaption class="dim">After</figcaption>
                      <pre class="code">{json(entry.after)}</pre>
                    </figure>
                  </div>
                </details>
              )}
            </li>
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
