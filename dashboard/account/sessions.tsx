import { useState } from 'preact/hooks';
import type { SessionRecord } from '../../shared/admin-schemas.ts';
import { api, type Failure } from '../api.ts';
import { Alert, Loading } from '../ui/page.tsx';
import { useFetch } from '../ui/use-fetch.ts';

/** A rough name for a browser from its user agent, enough to recognise one's own devices. */
function browserName(userAgent: string): string {
  const browser = userAgent.match(/(Firefox|Edg|OPR|Chrome|Safari)\/[\d.]+/)?.[1] ?? 'A browser';
  const system = userAgent.match(/(Windows|Android|iPhone|iPad|Mac OS X|Linux)/)?.[1] ?? '';
  const names: Record<string, string> = { Edg: 'Edge', OPR: 'Opera', 'Mac OS X': 'macOS' };
  return system ? `${names[browser] ?? browser} on ${names[system] ?? system}` : (names[browser] ?? browser);
}

/** Where the person is signed in; any other session can be signed out from here. */
export function Sessions() {
  const sessions = useFetch<SessionRecord[]>('/sessions');
  const [failure, setFailure] = useState<Failure | null>(null);
  const revoke = async (record: SessionRecord) => {
    const result = await api(`/sessions/${encodeURIComponent(record.id)}`, { method: 'DELETE' });
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    sessions.set((sessions.data ?? []).filter((each) => each.id !== record.id));
  };
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <Alert failure={failure ?? sessions.failure} />
      {sessions.loading && !sessions.data ? (
        <Loading />
      ) : (
        <ul class="rows">
          {sessions.data?.map((record) => (
            <li key={record.id}>
              <span>
                <strong title={record.userAgent}>{browserName(record.userAgent)}</strong>{' '}
                <span class="dim">
                  {record.current
                    ? 'this browser'
                    : `last active ${new Date(record.lastSeenAt).toLocaleString()}`}
                  , signed in {new Date(record.createdAt).toLocaleDateString()}
                </span>
              </span>
              {!record.current && (
                <button type="button" class="l" onClick={() => revoke(record)}>
                  Sign out<span class="sr"> {browserName(record.userAgent)}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
