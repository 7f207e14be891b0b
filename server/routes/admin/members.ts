import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  AcceptInviteSchema,
  InviteCreatedSchema,
  InviteSchema,
  type Member,
  MemberSchema,
  type PendingInvite,
  PendingInviteSchema,
  SessionSchema,
} from '../../../shared/admin-schemas.ts';
import { ErrorSchema } from '../../../shared/schemas.ts';
import type { AppContext } from '../../app-context.ts';
import { authorize } from '../../auth/access.ts';
import { passwordAttempt } from '../../auth/attempts.ts';
import { hashPassword } from '../../auth/password.ts';
import { startSession } from '../../auth/sessions.ts';
import { randomToken, sha256 } from '../../crypto.ts';
import { ApiError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { InviteRow, UserRow } from '../../store/schema.ts';
import { ADMIN_ERRORS, json, jsonBody, pathParam } from '../responses.ts';
import { type AdminApp, type AdminEnv, requireSession, signedIn } from './admin-env.ts';
import { recordAudit } from './scope.ts';
import { sessionView } from './session.ts';
import { SiteParams } from './sites.ts';

const INVITE_TTL_MS = 7 * 24 * 60 * 60_000;

const MemberParams = SiteParams.extend({ userId: pathParam('userId') });
// An invite's id is a SHA-256 in hex, longer than the ids Parley makes.
const InviteParams = SiteParams.extend({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const listRoute = createRoute({
  method: 'get',
  path: '/sites/{site}/members',
  summary: 'Members of a site, oldest first',
  middleware: [requireSession],
  request: { params: SiteParams },
  responses: { 200: json(z.array(MemberSchema), 'Members'), ...ADMIN_ERRORS },
});

const inviteRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/invites',
  summary: 'Invite someone to a site: a one-time link, valid for 7 days',
  middleware: [requireSession],
  request: { params: SiteParams, ...jsonBody(InviteSchema) },
  responses: { 201: json(InviteCreatedSchema, 'The link to hand to the invitee'), ...ADMIN_ERRORS },
});

const removeRoute = createRoute({
  method: 'delete',
  path: '/sites/{site}/members/{userId}',
  summary: 'Remove a member (never the last owner)',
  middleware: [requireSession],
  request: { params: MemberParams },
  responses: {
    200: json(z.object({ removed: z.literal(true) }), 'Removed'),
    ...ADMIN_ERRORS,
    409: json(ErrorSchema, 'That member is the site’s last owner'),
  },
});

const listInvitesRoute = createRoute({
  method: 'get',
  path: '/sites/{site}/invites',
  summary: 'Invites of a site not yet used and not expired, oldest first',
  middleware: [requireSession],
  request: { params: SiteParams },
  responses: { 200: json(z.array(PendingInviteSchema), 'Pending invites'), ...ADMIN_ERRORS },
});

const revokeInviteRoute = createRoute({
  method: 'delete',
  path: '/sites/{site}/invites/{id}',
  summary: 'Revoke an invite: its link stops working',
  middleware: [requireSession],
  request: { params: InviteParams },
  responses: { 200: json(z.object({ revoked: z.literal(true) }), 'Revoked'), ...ADMIN_ERRORS },
});

const acceptRoute = createRoute({
  method: 'post',
  path: '/invites/accept',
  summary: 'Accept an invite: join the site, creating the account if needed, and sign in',
  description:
    'A new email needs `password`. An email that already has an account needs that account’s password, ' +
    'unless the caller is signed in as it: the link alone never signs anyone into an existing account.',
  request: jsonBody(AcceptInviteSchema),
  responses: {
    200: json(SessionSchema, 'Joined and signed in; the session cookie is set'),
    ...ADMIN_ERRORS,
    409: json(ErrorSchema, 'The invite was already used'),
  },
});

const alreadyUsed = () => new ApiError(409, 'conflict', 'This invitation was already used; sign in instead');

/** Who accepts an invite: the existing account (proven by session or password) or a new one. */
async function inviteeFor(
  c: Context<AdminEnv>,
  ctx: AppContext,
  invite: InviteRow,
  input: { name?: string | undefined; password?: string | undefined },
): Promise<{ user: UserRow; isNew: boolean }> {
  const { store, config, clock } = ctx;
  const existing = await store.findUserByEmail(invite.email);
  if (!existing) {
    if (!input.password) {
      throw new ApiError(422, 'invalid_input', 'Choose a password for your new account', {
        password: 'Required for a new account',
      });
    }
    const now = clock.now();
    const user: UserRow = {
      id: newId(now),
      email: invite.email,
      name: input.name || (invite.email.split('@')[0] ?? invite.email),
      password_hash: await hashPassword(input.password, config.passwordIterations),
      is_admin: 0,
      created_at: now,
    };
    return { user, isNew: true };
  }
  // Whoever created the invite holds the link too, so the link must not be a key to someone's account.
  if (c.get('auth')?.user.id === existing.id) return { user: existing, isNew: false };
  if (!input.password) {
    throw new ApiError(422, 'invalid_input', 'This email already has an account here', {
      password: 'Enter the password of your existing account, or sign in first and open the link again',
    });
  }
  const client = await ctx.clientHash(c);
  if (
    !(await passwordAttempt(ctx, { client, email: existing.email }, input.password, existing.password_hash))
  ) {
    throw new ApiError(422, 'invalid_input', 'This email already has an account here', {
      password: 'That is not the password of your existing account',
    });
  }
  return { user: existing, isNew: false };
}

export function registerMemberRoutes(admin: AdminApp, ctx: AppContext) {
  const { store, clock, config } = ctx;

  admin.openapi(listRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('param');
    await authorize(store, user, site, 'manage');
    const members: Member[] = (await store.listMembers(site)).map((row) => ({
      user: { id: row.user_id, email: row.email, name: row.name },
      role: row.role,
      createdAt: row.created_at,
    }));
    return c.json(members, 200);
  });

  admin.openapi(inviteRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('param');
    const { email, role } = c.req.valid('json');
    await authorize(store, user, site, 'manage');
    const now = clock.now();
    const token = randomToken();
    const invite: InviteRow = {
      id: await sha256(token),
      site_id: site,
      email: email.toLowerCase(),
      role,
      created_by: user.id,
      created_at: now,
      expires_at: now + INVITE_TTL_MS,
      accepted_at: null,
    };
    await store.insertInvite(invite);
    await recordAudit(ctx, user, {
      siteId: site,
      action: 'member.invite',
      targetId: null,
      after: { email: invite.email, role, expiresAt: invite.expires_at },
    });
    // The token rides in the fragment, which browsers never send: it stays out of every server's access log.
    const inviteUrl = `${ctx.publicOrigin(c)}/admin/invite#token=${token}`;
    return c.json({ inviteUrl, expiresAt: invite.expires_at }, 201);
  });

  admin.openapi(removeRoute, async (c) => {
    const { user } = signedIn(c);
    const { site, userId } = c.req.valid('param');
    await authorize(store, user, site, 'manage');
    const member = (await store.listMembers(site)).find((row) => row.user_id === userId);
    if (!member) throw new ApiError(404, 'not_found', 'No such member of this site');
    if (!(await store.removeMemberKeepingAnOwner(site, userId))) {
      throw new ApiError(409, 'conflict', 'A site keeps at least one owner; make someone else owner first');
    }
    await recordAudit(ctx, user, {
      siteId: site,
      action: 'member.remove',
      targetId: userId,
      before: { email: member.email, role: member.role },
    });
    return c.json({ removed: true as const }, 200);
  });

  admin.openapi(listInvitesRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('param');
    await authorize(store, user, site, 'manage');
    const invites: PendingInvite[] = (await store.listPendingInvites(site, clock.now())).map((row) => ({
      id: row.id,
      email: row.email,
      role: row.role,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    }));
    return c.json(invites, 200);
  });

  admin.openapi(revokeInviteRoute, async (c) => {
    const { user } = signedIn(c);
    const { site, id } = c.req.valid('param');
    await authorize(store, user, site, 'manage');
    const invite = await store.getInvite(id);
    if (!invite || invite.site_id !== site || !(await store.revokeInvite(site, id))) {
      throw new ApiError(404, 'not_found', 'No such invite waiting on this site');
    }
    await recordAudit(ctx, user, {
      siteId: site,
      action: 'invite.revoke',
      targetId: null,
      before: { email: invite.email, role: invite.role },
    });
    return c.json({ revoked: true as const }, 200);
  });

  admin.openapi(acceptRoute, async (c) => {
    const { token, name, password } = c.req.valid('json');
    const id = await sha256(token);
    const invite = await store.getInvite(id);
    if (!invite) throw new ApiError(404, 'not_found', 'This invitation link is not valid; ask for a new one');
    if (invite.accepted_at !== null) throw alreadyUsed();
    if (invite.expires_at <= clock.now()) {
      throw new ApiError(404, 'not_found', 'This invitation has expired; ask the site owner for a new one');
    }
    const { user, isNew } = await inviteeFor(c, ctx, invite, { name, password });
    const now = clock.now();
    // Claimed only once everything checks out, and before anything is written: a second use finds it spent. A new
    // account is made in the same unit as the claim, so a parallel acceptance for the same email loses cleanly.
    const claimed = isNew
      ? await store.claimInviteForNewUser(id, user, now)
      : await store.claimInvite(id, now);
    if (claimed === 'taken') {
      throw new ApiError(
        409,
        'conflict',
        'An account with this email was created meanwhile; open the link again and enter its password',
      );
    }
    if (!claimed || claimed === 'spent') throw alreadyUsed();
    const held = await store.getMembership(invite.site_id, user.id);
    // An invite adds a role or raises one; it never demotes an owner.
    const role = held?.role === 'owner' ? 'owner' : invite.role;
    await store.upsertMembership({
      site_id: invite.site_id,
      user_id: user.id,
      role,
      created_at: held ? held.created_at : now,
    });
    await recordAudit(ctx, user, {
      siteId: invite.site_id,
      action: 'member.join',
      targetId: user.id,
      before: held ? { role: held.role } : null,
      after: { email: user.email, role },
    });
    const session = await startSession(c, store, user, now, config);
    return c.json(await sessionView(ctx, user, session), 200);
  });
}
