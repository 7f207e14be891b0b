import { useState } from 'preact/hooks';
import type { Ban } from '../../shared/admin-schemas.ts';
import { api, type Failure } from '../api.ts';
import { Alert, Loading } from '../ui/page.tsx';
import { useFetch } from '../ui/use-fetch.ts';

const KIND_WORDS = { email: 'by email', client: 'by client' } as const;

/** The commenters banned from a site (banned from a comment's actions), and lifting a ban. */
export function Bans({ siteId }: { siteId: string }) {
  const path = `/sites/${encodeURIComponent(siteId)}/bans`;
  const bans = useFetch<Ban[]>(path);
  const [failure, setFailure] = useState<Failure | null>(null);
  const lift = async (ban: Ban) => {
    const result = await api(`${path}/${encodeURIComponent(ban.id)}`, { method: 'DELETE' });
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    bans.set((bans.data ?? []).filter((each) => each.id !== ban.id));
  };
  return (
    <section aria-labelledby="bans-title">
      <h2 id="bans-title">Bans</h2>
      <Alert failure={failure ?? bans.failure} />
      {bans.loading && !bans.data ? (
        <Loading />
      ) : bans.data?.length ? (
        <ul class="rows">
          {bans.data.map((ban) => (
            <li key={ban.id}>
              <span>
                <strong>{ban.label || 'Anonymous'}</strong> <span class="dim">{KIND_WORDS[ban.kind]}</span>
                {ban.reason && <span class="dim"> · {ban.reason}</span>}
                <span class="dim">
                  {' '}
                  · {new Date(ban.createdAt).toLocaleDateString()}
                  {ban.expiresAt ? `, until ${new Date(ban.expiresAt).toLocaleString()}` : ', until lifted'}
                </span>
              </span>
              <button type="button" class="l" onClick={() => lift(ban)}>
                Lift ban
                <span class="sr">
                  {' '}
                  on {ban.label || 'Anonymous'} ({ban.kind})
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="dim">Nobody is banned. Ban a commenter from one of their comments.</p>
      )}
    </section>
  );
}
