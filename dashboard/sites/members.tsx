import { useState } from 'preact/hooks';
import type { Member, PendingInvite, Role } from '../../shared/admin-schemas.ts';
import { api, type Failure } from '../api.ts';
import { Link } from '../router.tsx';
import { findSite, useSession } from '../session.ts';
import { CopyText } from '../ui/copy.tsx';
import { Field } from '../ui/field.tsx';
import { Alert, Loading, Page } from '../ui/page.tsx';
import { useFetch } from '../ui/use-fetch.ts';

const ROLE_WORDS: Record<Role, string> = { owner: 'Owner', moderator: 'Moderator' };

/** Who works on a site, owners first, and who is invited: invite by email and role, revoke, remove. */
export function Members({ siteId }: { siteId: string }) {
  const { session } = useSession();
  const path = `/sites/${encodeURIComponent(siteId)}/members`;
  const members = useFetch<Member[]>(path);
  const invites = useFetch<PendingInvite[]>(`/sites/${encodeURIComponent(siteId)}/invites`);
  const [failure, setFailure] = useState<Failure | null>(null);
  const site = findSite(session, siteId);
  const byRole = (role: Role) => (members.data ?? []).filter((member) => member.role === role);

  const revoke = async (invite: PendingInvite) => {
    const result = await api(
      `/sites/${encodeURIComponent(siteId)}/invites/${encodeURIComponent(invite.id)}`,
      {
        method: 'DELETE',
      },
    );
    if (!result.ok) return setFailure(result.failure);
    setFailure(null);
    invites.set((invites.data ?? []).filter((each) => each.id !== invite.id));
  };

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
      <Alert failure={failure ?? members.failure ?? invites.failure} />
      {session.user.isAdmin && (
        <p class="dim">As a server owner you can do everything on every site, without being listed here.</p>
      )}
      {members.loading && !members.data ? (
        <Loading />
      ) : (
        (['owner', 'moderator'] as const).map((role) => (
          <section key={role} aria-labelledby={`${role}s-title`}>
            <h2 id={`${role}s-title`}>{ROLE_WORDS[role]}s</h2>
            {byRole(role).length === 0 ? (
              <p class="dim">{role === 'owner' ? 'No owner yet.' : 'No moderator yet.'}</p>
            ) : (
              <ul class="rows">
                {byRole(role).map((member) => (
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
          </section>
        ))
      )}
      <section aria-labelledby="invites-title">
        <h2 id="invites-title">Invitations waiting</h2>
        {invites.data?.length ? (
          <ul class="rows">
            {invites.data.map((invite) => (
              <li key={invite.id}>
                <span>
                  <strong>{invite.email}</strong>{' '}
                  <span class="dim">
                    {ROLE_WORDS[invite.role]} · until {new Date(invite.expiresAt).toLocaleDateString()}
                  </span>
                </span>
                <button type="button" class="l" onClick={() => revoke(invite)}>
                  Revoke<span class="sr"> the invitation of {invite.email}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p class="dim">
            {invites.loading ? 'Loading…' : 'None: every invitation was used, revoked or expired.'}
          </p>
        )}
      </section>
      <InviteForm siteId={siteId} onInvited={invites.reload} />
    </Page>
  );
}

function InviteForm({ siteId, onInvited }: { siteId: string; onInvited: () => void }) {
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
    onInvited();
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
