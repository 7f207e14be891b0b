import { createRoute, z } from '@hono/zod-openapi';
import {
  PasswordChangeSchema,
  type SessionRecord,
  SessionRecordSchema,
} from '../../../shared/admin-schemas.ts';
import { text } from '../../../shared/text.ts';
import type { AppContext } from '../../app.ts';
import { hashPassword, verifyPassword } from '../../auth/password.ts';
import { clearSessionCookie } from '../../auth/sessions.ts';
import { sha256 } from '../../crypto.ts';
import { ApiError } from '../../errors.ts';
import type { SessionRow } from '../../store/schema.ts';
import { ADMIN_ERRORS, json, jsonBody } from '../responses.ts';
import { type AdminApp, sessionRequired, signedIn } from './admin-app.ts';

const passwordRoute = createRoute({
  method: 'post',
  path: '/account/password',
  summary: 'Change the password; signs out every other session',
  request: jsonBody(PasswordChangeSchema),
  responses: { 200: json(z.object({ changed: z.literal(true) }), 'Changed'), ...ADMIN_ERRORS },
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
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
  };
}

export function registerAccountRoutes(admin: AdminApp, ctx: AppContext) {
  const { store, clock, config } = ctx;
  admin.on('POST', '/account/password', sessionRequired);
  admin.on('DELETE', '/sessions/:id', sessionRequired);

  admin.openapi(passwordRoute, async (c) => {
    const { user, session } = signedIn(c);
    const { current, next } = c.req.valid('json');
    // Wrong guesses count against the same per-email limit as signing in, so a stolen session is no oracle.
    const rule = config.rateLimits.signIn;
    await ctx.limits.assertBelow('sign-in-email', user.email, rule);
    if (!user.password_hash || !(await verifyPassword(current, user.password_hash))) {
      await ctx.limits.hit('sign-in-email', user.email, rule);
      // 422 rather than 401: the session is fine, only the field is wrong.
      throw new ApiError(422, 'invalid_input', 'Your current password is not right', {
        current: 'This is not your current password',
      });
    }
    await store.setPassword(user.id, await hashPassword(next, config.passwordIterations));
    await store.deleteOtherSessions(user.id, session.id);
    return c.json({ changed: true as const }, 200);
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
    if (target.id === session.id) clearSessionCookie(c);
    return c.json({ revoked: true as const }, 200);
  });
}
