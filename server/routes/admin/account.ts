import { createRoute, z } from '@hono/zod-openapi';
import {
  AccountUpdateSchema,
  PasswordChangeSchema,
  type SessionRecord,
  SessionRecordSchema,
  UserSchema,
} from '../../../shared/admin-schemas.ts';
import { text } from '../../../shared/text.ts';
import type { AppContext } from '../../app-context.ts';
import { passwordAttempt } from '../../auth/attempts.ts';
import { hashPassword } from '../../auth/password.ts';
import { clearSessionCookie } from '../../auth/sessions.ts';
import { sha256 } from '../../crypto.ts';
import { ApiError } from '../../errors.ts';
import type { SessionRow } from '../../store/schema.ts';
import { ADMIN_ERRORS, json, jsonBody } from '../responses.ts';
import { type AdminApp, requireSession, signedIn } from './admin-env.ts';

const passwordRoute = createRoute({
  method: 'post',
  path: '/account/password',
  summary: 'Change the password; signs out every other session',
  middleware: [requireSession],
  request: jsonBody(PasswordChangeSchema),
  responses: { 200: json(z.object({ changed: z.literal(true) }), 'Changed'), ...ADMIN_ERRORS },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/account',
  summary: 'Change the public name: the one readers see on the caller’s replies from the dashboard',
  middleware: [requireSession],
  request: jsonBody(AccountUpdateSchema),
  responses: { 200: json(UserSchema, 'The account as changed'), ...ADMIN_ERRORS },
});

const listRoute = createRoute({
  method: 'get',
  path: '/sessions',
  summary: "The caller's sessions, most recently used first",
  responses: { 200: json(z.array(SessionRecordSchema), 'Sessions'), ...ADMIN_ERRORS },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/sessions/{id}',
  summary: 'Revoke one of the caller’s sessions (the current one signs out)',
  middleware: [requireSession],
  request: {
    params: z.object({
      id: text()
        .max(64)
        .openapi({ param: { name: 'id', in: 'path' } }),
    }),
  },
  responses: { 200: json(z.object({ revoked: z.literal(true) }), 'Revoked'), ...ADMIN_ERRORS },
});

/**
 * The id a session goes by in the API: derived from the stored id (itself a hash of the cookie's token), so
 * nothing a page shows is a key the store would accept.
 */
async function publicSessionId(row: SessionRow): Promise<string> {
  return (await sha256(`session:${row.id}`)).slice(0, 24);
}

async function toSessionRecord(row: SessionRow, current: SessionRow): Promise<SessionRecord> {
  return {
    id: await publicSessionId(row),
    current: row.id === current.id,
    userAgent: row.user_agent,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  };
}

export function registerAccountRoutes(admin: AdminApp, ctx: AppContext) {
  const { store, clock, config } = ctx;

  admin.openapi(passwordRoute, async (c) => {
    const { user, session } = signedIn(c);
    const { current, next } = c.req.valid('json');
    // Guesses count against the same per-email limit as signing in, so a stolen session is no oracle.
    if (!(await passwordAttempt(ctx, { email: user.email }, current, user.password_hash))) {
      // 422 rather than 401: the session is fine, only the field is wrong.
      throw new ApiError(422, 'invalid_input', 'Your current password is not right', {
        current: 'This is not your current password',
      });
    }
    await store.setPassword(user.id, await hashPassword(next, config.passwordIterations));
    await store.deleteOtherSessions(user.id, session.id);
    return c.json({ changed: true as const }, 200);
  });

  admin.openapi(updateRoute, async (c) => {
    const { user } = signedIn(c);
    const { name } = c.req.valid('json');
    if (name !== user.name) await store.setUserName(user.id, name);
    return c.json({ id: user.id, email: user.email, name, isAdmin: user.is_admin === 1 }, 200);
  });

  admin.openapi(listRoute, async (c) => {
    const { user, session } = signedIn(c);
    const rows = await store.listSessions(user.id, clock.now());
    return c.json(await Promise.all(rows.map((row) => toSessionRecord(row, session))), 200);
  });

  admin.openapi(revokeRoute, async (c) => {
    const { user, session } = signedIn(c);
    const { id } = c.req.valid('param');
    // Looked up among the caller's own sessions only: another person's session is simply not found.
    let target: SessionRow | undefined;
    for (const row of await store.listSessions(user.id, clock.now())) {
      if ((await publicSessionId(row)) === id) target = row;
    }
    if (!target) throw new ApiError(404, 'not_found', 'You have no session with that id');
    await store.deleteSession(target.id);
    if (target.id === session.id) clearSessionCookie(c, config.publicUrl);
    return c.json({ revoked: true as const }, 200);
  });
}
