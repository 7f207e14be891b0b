import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors.ts';
import type { SessionRow, UserRow } from '../../store/schema.ts';

/*
 * What the admin app and its routes share: the request's session, once the admin app has read it, and the guard
 * for routes that need one. Apart from admin-app.ts, which imports the routes, so no route imports it back.
 */

export interface AdminEnv {
  Variables: { auth?: { user: UserRow; session: SessionRow } };
}

export type AdminApp = OpenAPIHono<AdminEnv>;

/** The signed-in user and session, or 401. */
export function signedIn(c: Context<AdminEnv>) {
  const auth = c.get('auth');
  if (!auth) throw new ApiError(401, 'unauthorized', 'Sign in to continue');
  return auth;
}

/**
 * Answers 401 before a route validates its input, so an anonymous caller learns nothing from the answer. Put it
 * in the route's `middleware`.
 *
 * @example const route = createRoute({ method: 'get', path: '/sites', middleware: [requireSession], … });
 */
export const requireSession: MiddlewareHandler<AdminEnv> = async (c, next) => {
  signedIn(c);
  await next();
};
