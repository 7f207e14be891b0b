import { useState } from 'preact/hooks';
import type { Member, Role } from '../../shared/admin-schemas.ts';
import { api, type Failure } from '../api.ts';
import { Link } from '../router.tsx';
import { findSite, useSession } from '../session.ts';
import { CopyText } from '../ui/copy.tsx';
import { Field } from '../ui/field.tsx';
import { Alert, Loading, Page } from '../ui/page.tsx';
import { useFetch } from '../ui/use-fetch.ts';

const ROLE_WORDS: Record<Role, string> = { owner: 'Owner', moderator: 'Moderator' };

/** Who works on a site: invite by email and role (the link is shown to pass on), remove. */
export function Members({ siteId }: { siteId: string }) {
  const { session } = useSession();
  const path = `/sites/${encodeURIComponent(siteId)}/members`;
  const members = useFetch<Member[]>(path);
  const [failure, setFailure] = useState<Failure | null>(null);
  const site = findSite(session, siteId);

  const remove = async (member: Member) => {
    const result = await api(`${path}/${encodeURIComponent(member.user.id)}`, { method: 'DELETE' });
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    members.set((members.data ?? []).filter((each) => each.user.id !== member.user.id));
  };

  return (
    <Page title={`Members of ${site?.name ?? siteId}`}>
      <p>
        <Link to={`/sites/${encodeURIComponent(siteId)}`}>Back to the site</Link>
      </p>
      <Alert failure={failure ?? members.failure} />
      {members.loading && !members.data ? (
        <Loading />
      ) : (
        <ul class="rows">
          {members.data?.map((member) => (
            <li key={member.user.id}>
              <span>
                <strong>{member.user.name || member.user.email}</strong>{' '}
                <span class="dim">
                  {member.user.email} · {ROLE_WORDS[member.role]}
                </span>
              </span>
              {member.user.id !== session.user.id && (
                <button type="button" class="l" onClick={() => remove(member)}>
                  Remove<span class="sr"> {member.user.name || member.user.email}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <InviteForm siteId={siteId} />
    </Page>
  );
}

function InviteForm({ siteId }: { siteId: string }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('moderator');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [invite, setInvite] = useState<{ inviteUrl: string; expiresAt: number; email: string } | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const result = await api<{ inviteUrl: string; expiresAt: number }>(
      `/sites/${encodeURIComponent(siteId)}/invites`,
      { method: 'POST', body: { email, role } },
    );
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    setInvite({ ...result.value, email });
    setEmail('');
  };
  return (
    <form class="f stack" onSubmit={submit} noValidate aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <Field label="Email" error={failure?.fields?.email}>
        {(control) => (
          <input
            {...control}
            type="email"
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        )}
      </Field>
      <Field
        label="Role"
        hint="Owners also change settings, members and bans; moderators moderate."
        error={failure?.fields?.role}
      >
        {(control) => (
          <select {...control} value={role} onChange={(event) => setRole(event.currentTarget.value as Role)}>
            <option value="moderator">Moderator</option>
            <option value="owner">Owner</option>
          </select>
        )}
      </Field>
      <Alert failure={failure} />
      <button type="submit" class="pri" disabled={busy}>
        Create invitation
      </button>
      {invite && (
        <div class="done">
          <p>
            Send this link to {invite.email}. It works once, until{' '}
            {new Date(invite.expiresAt).toLocaleString()}.
          </p>
          <CopyText label="Invitation link" text={invite.inviteUrl} />
        </div>
      )}
    </form>
  );
}
