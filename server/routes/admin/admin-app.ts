import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../../app-context.ts';
import { ensureBootstrapAdmin } from '../../auth/bootstrap.ts';
import { readSession } from '../../auth/sessions.ts';
import { ApiError } from '../../errors.ts';
import { validationHook } from '../../validation.ts';
import { registerAccountRoutes } from './account.ts';
import type { AdminApp, AdminEnv } from './admin-env.ts';
import { registerMemberRoutes } from './members.ts';
import { registerModerationRoutes } from './moderation-routes.ts';
import { registerNotificationRoutes } from './notifications.ts';
import { registerPasskeyRoutes } from './passkeys.ts';
import { registerSessionRoutes } from './session.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The admin API, mounted at `/admin/api`. Every request is matched to its session, if any; a state change made
 * with a session must carry the session's CSRF token and come from this origin.
 */
export function createAdminApp(ctx: AppContext): AdminApp {
  const admin = new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });
  let bootstrapped: Promise<void> | undefined;

  admin.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    bootstrapped ??= ensureBootstrapAdmin(ctx.store, ctx.config, ctx.clock.now()).catch((error: unknown) => {
      bootstrapped = undefined;
      throw error;
    });
    await bootstrapped;
    const auth = await readSession(c, ctx.store, ctx.clock.now(), ctx.config.sessionTtlMs);
    if (auth) {
      if (!SAFE_METHODS.has(c.req.method)) {
        const origin = c.req.header('Origin');
        if (origin && origin !== ctx.publicOrigin(c)) {
          throw new ApiError(403, 'csrf', 'Cross-origin requests cannot change anything here');
        }
        if (c.req.header('X-CSRF-Token') !== auth.session.csrf_token) {
          throw new ApiError(403, 'csrf', 'Missing or wrong X-CSRF-Token; reload the dashboard');
        }
      }
      c.set('auth', auth);
    }
    await next();
  });

  registerSessionRoutes(admin, ctx);
  registerAccountRoutes(admin, ctx);
  registerPasskeyRoutes(admin, ctx);
  registerMemberRoutes(admin, ctx);
  registerModerationRoutes(admin, ctx);
  registerNotificationRoutes(admin, ctx);
  return admin;
}
