import { createRoute, z } from '@hono/zod-openapi';
import {
  SessionSchema,
  type SessionView,
  SetupStateSchema,
  SignInSchema,
} from '../../../shared/admin-schemas.ts';
import type { AppContext } from '../../app-context.ts';
import { passwordAttempt } from '../../auth/attempts.ts';
import { clearSessionCookie, startSession } from '../../auth/sessions.ts';
import { ApiError } from '../../errors.ts';
import type { SessionRow, UserRow } from '../../store/schema.ts';
import { ADMIN_ERRORS, json, jsonBody } from '../responses.ts';
import { type AdminApp, signedIn } from './admin-env.ts';
import { toSiteView } from './views.ts';

const setupRoute = createRoute({
  method: 'get',
  path: '/setup',
  summary: 'Whether the server has an owner yet',
  responses: { 200: json(SetupStateSchema, 'Setup state') },
});

const signInRoute = createRoute({
  method: 'post',
  path: '/session',
  summary: 'Sign in with email and password',
  request: jsonBody(SignInSchema),
  responses: { 200: json(SessionSchema, 'Signed in; the session cookie is set'), ...ADMIN_ERRORS },
});

const sessionRoute = createRoute({
  method: 'get',
  path: '/session',
  summary: 'The current session',
  responses: { 200: json(SessionSchema, 'Signed in'), ...ADMIN_ERRORS },
});

const signOutRoute = createRoute({
  method: 'delete',
  path: '/session',
  summary: 'Sign out',
  responses: { 200: json(z.object({ signedOut: z.literal(true) }), 'Signed out'), ...ADMIN_ERRORS },
});

/** The session as the dashboard sees it: who, the CSRF token, and the sites with the caller's access. */
export async function sessionView(ctx: AppContext, user: UserRow, session: SessionRow): Promise<SessionView> {
  const { store, config } = ctx;
  let sites: SessionView['sites'];
  if (user.is_admin) {
    sites = (await store.listSites()).map((site) => toSiteView(site, 'admin', config));
  } else {
    const memberships = await store.listMemberships(user.id);
    const roles = new Map(memberships.map((m) => [m.site_id, m.role]));
    sites = (await store.listSites([...roles.keys()])).map((site) =>
      toSiteView(site, roles.get(site.id) ?? 'moderator', config),
    );
  }
  return {
    user: { id: user.id, email: user.email, name: user.name, isAdmin: user.is_admin === 1 },
    csrfToken: session.csrf_token,
    sites,
    mail: ctx.mailer !== undefined,
  };
}

export function registerSessionRoutes(admin: AdminApp, ctx: AppContext) {
  const { store, clock, config } = ctx;

  admin.openapi(setupRoute, async (c) => c.json({ hasOwner: (await store.listAdmins()).length > 0 }, 200));

  admin.openapi(signInRoute, async (c) => {
    const { email, password } = c.req.valid('json');
    const normalized = email.toLowerCase();
    // Counted per client and per email before the password is checked; a right password is not counted.
    const client = await ctx.clientHash(c);
    const user = await store.findUserByEmail(normalized);
    const valid = await passwordAttempt(ctx, { client, email: normalized }, password, user?.password_hash);
    if (!user || !valid) {
      throw new ApiError(401, 'unauthorized', 'That email and password do not match an account');
    }
    const session = await startSession(c, store, user, clock.now(), config);
    return c.json(await sessionView(ctx, user, session), 200);
  });

  admin.openapi(sessionRoute, async (c) => {
    const { user, session } = signedIn(c);
    return c.json(await sessionView(ctx, user, session), 200);
  });

  admin.openapi(signOutRoute, async (c) => {
    const { session } = signedIn(c);
    await store.deleteSession(session.id);
    clearSessionCookie(c, config.publicUrl);
    return c.json({ signedOut: true as const }, 200);
  });
}
