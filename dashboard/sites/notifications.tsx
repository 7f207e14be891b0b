import { useState } from 'preact/hooks';
import type { MailLevel, NotificationsView } from '../../shared/admin-schemas.ts';
import { api, type Failure } from '../api.ts';
import { Alert, Loading } from '../ui/page.tsx';
import { useFetch } from '../ui/use-fetch.ts';

const LEVELS: Array<[MailLevel, string]> = [
  ['off', 'No mail'],
  ['held', 'Comments held for moderation'],
  ['all', 'Every new comment'],
];

/**
 * Which comments of this site the signed-in member is mailed about, each mail with one-click Approve, Spam and
 * Delete links; says so plainly when the server sends no mail at all.
 */
export function Notifications({ siteId }: { siteId: string }) {
  const path = `/sites/${encodeURIComponent(siteId)}/notifications`;
  const choice = useFetch<NotificationsView>(path);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saved, setSaved] = useState(false);
  const choose = async (level: MailLevel) => {
    setSaved(false);
    const result = await api<NotificationsView>(path, { method: 'PATCH', body: { level } });
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    setSaved(true);
    choice.set(result.value);
  };
  return (
    <section aria-labelledby="mail-title">
      <h2 id="mail-title">Email notifications</h2>
      <Alert failure={failure ?? choice.failure} />
      {choice.data ? (
        <>
          {!choice.data.mail && (
            <p role="status">
              <strong>Mail is off</strong> on this server: nobody is mailed until it is configured
              (PARLEY_SMTP_URL and PARLEY_MAIL_FROM). Your choice is kept for then.
            </p>
          )}
          <fieldset>
            <legend>Mail me about</legend>
            {LEVELS.map(([level, label]) => (
              <label key={level} class="check">
                <input
                  type="radio"
                  name="mail-level"
                  value={level}
                  checked={choice.data?.level === level}
                  onChange={() => choose(level)}
                />{' '}
                {label}
              </label>
            ))}
          </fieldset>
          {saved && (
            <p class="dim" role="status">
              Saved.
            </p>
          )}
        </>
      ) : (
        <Loading />
      )}
    </section>
  );
}
