import { useEffect, useRef, useState } from 'preact/hooks';
import type { ModerationMode, Site, SiteSettings } from '../../shared/admin-schemas.ts';
import { api, type Failure } from '../api.ts';
import { useSession } from '../session.ts';
import { Check, Field } from '../ui/field.tsx';
import { fieldError, lines } from '../ui/form-values.ts';
import { Alert } from '../ui/page.tsx';

const MODES: Array<[ModerationMode, string]> = [
  ['none', 'Publish at once'],
  ['first-time', 'Hold a commenter’s first comment'],
  ['all', 'Hold every comment'],
];

type Numbers = 'editWindowMinutes' | 'autoCloseDays' | 'maxDepth' | 'maxLinks';

const NUMBERS: Array<[Numbers, string, string]> = [
  ['editWindowMinutes', 'Edit window (minutes)', 'How long readers may edit or delete what they wrote.'],
  [
    'autoCloseDays',
    'Close threads after (days)',
    'Counted from a page’s first comment; 0 keeps threads open.',
  ],
  ['maxDepth', 'Deepest reply', '0 allows no replies.'],
  ['maxLinks', 'Links before a comment is held', 'A comment with more links waits for moderation.'],
];

/** A site's name and settings, saved together with one PATCH. */
export function SettingsForm({ site, onSaved }: { site: Site; onSaved: (site: Site) => void }) {
  const { refresh } = useSession();
  const [name, setName] = useState(site.name);
  const [settings, setSettings] = useState<SiteSettings>(site.settings);
  const [origins, setOrigins] = useState(site.settings.origins.join('\n'));
  const [words, setWords] = useState(site.settings.blockedWords.join('\n'));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saved, setSaved] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // The list of sites links here as `#settings`: the form is below the snippet, so bring it into view.
  useEffect(() => {
    if (location.hash === '#settings') {
      heading.current?.scrollIntoView();
      heading.current?.focus();
    }
  }, []);
  const change = (patch: Partial<SiteSettings>) => {
    setSettings({ ...settings, ...patch });
    setSaved(false);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const result = await api<Site>(`/sites/${encodeURIComponent(site.id)}`, {
      method: 'PATCH',
      body: { name, settings: { ...settings, origins: lines(origins), blockedWords: lines(words) } },
    });
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    setSaved(true);
    onSaved(result.value);
    void refresh();
  };

  const error = (name: string) => fieldError(failure?.fields, name, `settings.${name}`);
  return (
    <form class="f stack" onSubmit={submit} noValidate aria-labelledby="settings-title">
      <h2 id="settings-title" ref={heading} tabIndex={-1}>
        Settings
      </h2>
      <Field label="Name" error={error('name')}>
        {(control) => (
          <input {...control} value={name} onInput={(event) => setName(event.currentTarget.value)} />
        )}
      </Field>
      <Field label="Moderation" error={error('moderation')}>
        {(control) => (
          <select
            {...control}
            value={settings.moderation}
            onChange={(event) => change({ moderation: event.currentTarget.value as ModerationMode })}
          >
            {MODES.map(([mode, label]) => (
              <option key={mode} value={mode}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Origins"
        hint="One per line, such as https://blog.example.com. Only pages there may show and post comments; none allows any."
        error={error('origins')}
      >
        {(control) => (
          <textarea
            {...control}
            value={origins}
            onInput={(event) => {
              setOrigins(event.currentTarget.value);
              setSaved(false);
            }}
          />
        )}
      </Field>
      <Field
        label="Blocked words"
        hint="One per line. A comment using one waits for moderation."
        error={error('blockedWords')}
      >
        {(control) => (
          <textarea
            {...control}
            value={words}
            onInput={(event) => {
              setWords(event.currentTarget.value);
              setSaved(false);
            }}
          />
        )}
      </Field>
      <div class="grid numbers">
        {NUMBERS.map(([key, label, hint]) => (
          <Field key={key} label={label} hint={hint} error={error(key)}>
            {(control) => (
              <input
                {...control}
                type="number"
                min="0"
                inputMode="numeric"
                value={settings[key]}
                onInput={(event) => change({ [key]: event.currentTarget.valueAsNumber || 0 })}
              />
            )}
          </Field>
        ))}
      </div>
      <Check
        label="Readers must give a name"
        checked={settings.requireName}
        onChange={(requireName) => change({ requireName })}
      />
      <Check
        label="Readers must give an email"
        checked={settings.requireEmail}
        onChange={(requireEmail) => change({ requireEmail })}
      />
      <Check
        label="Show an “Author” badge on replies written from the dashboard"
        checked={settings.ownerBadge}
        onChange={(ownerBadge) => change({ ownerBadge })}
      />
      <Alert failure={failure} />
      <div class="acts">
        <button type="submit" class="pri" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
        <span role="status" class="dim">
          {saved ? 'Settings saved.' : ''}
        </span>
      </div>
    </form>
  );
}
