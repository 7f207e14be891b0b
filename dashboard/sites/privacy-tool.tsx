import { useState } from 'preact/hooks';
import type { Erased, PersonalData } from '../../shared/privacy-schemas.ts';
import { api, type Failure } from '../api.ts';
import { Field } from '../ui/field.tsx';
import { Alert } from '../ui/page.tsx';

/** Offers a JSON file for download without a navigation (the data is already here). */
function saveJson(name: string, data: unknown) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** For a commenter who wrote to the owner: download or erase what this site keeps under their email. */
export function PrivacyTool({ siteId }: { siteId: string }) {
  const base = `/sites/${encodeURIComponent(siteId)}/privacy`;
  const [email, setEmail] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [said, setSaid] = useState('');
  const download = async () => {
    const result = await api<PersonalData>(`${base}/export`, { method: 'POST', body: { email } });
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    const { comments, subscriptions } = result.value;
    const mail = subscriptions.length > 0 ? ` and ${subscriptions.length} reply-email subscriptions` : '';
    setSaid(`${comments.length} comments${mail} found; the file is downloading.`);
    saveJson(`parley-${siteId}-personal-data.json`, result.value);
  };
  const erase = async () => {
    setConfirming(false);
    const result = await api<Erased>(`${base}/erase`, { method: 'POST', body: { email } });
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    const { removed, placeholders, subscriptions } = result.value;
    const mail = subscriptions > 0 ? ` Reply emails stopped (${subscriptions} subscriptions removed).` : '';
    setSaid(`Erased: ${removed} removed, ${placeholders} left as placeholders for replies.${mail}`);
  };
  return (
    <section aria-labelledby="privacy-title">
      <h2 id="privacy-title">Privacy requests</h2>
      <p class="dim">
        Commenters can do this themselves at <a href="/privacy">/privacy</a> when the server sends mail. Here
        it covers this site: comments, bans, reply-email subscriptions. Both actions go into the audit log,
        under a keyed hash of the email.
      </p>
      <form class="f stack" onSubmit={(event) => event.preventDefault()} noValidate>
        <Field label="Commenter’s email" error={failure?.fields?.email}>
          {(control) => (
            <input
              {...control}
              type="email"
              value={email}
              onInput={(event) => setEmail(event.currentTarget.value)}
            />
          )}
        </Field>
        <Alert failure={failure} />
        <div class="acts">
          <button type="button" onClick={download}>
            Download their data
          </button>
          {confirming ? (
            <>
              <button type="button" class="pri" onClick={erase}>
                Yes, erase their comments
              </button>
              <button type="button" class="l" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirming(true)}>
              Erase…
            </button>
          )}
        </div>
        <p role="status">{said}</p>
      </form>
    </section>
  );
}
