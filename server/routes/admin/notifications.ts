import { createRoute } from '@hono/zod-openapi';
import { NotificationsSchema, UpdateNotificationsSchema } from '../../../shared/admin-schemas.ts';
import type { AppContext } from '../../app-context.ts';
import { authorize } from '../../auth/access.ts';
import { defaultLevel } from '../../mail/notifications.ts';
import { ADMIN_ERRORS, json, jsonBody } from '../responses.ts';
import { type AdminApp, signedIn } from './admin-env.ts';
import { SiteParams } from './sites.ts';

const getRoute = createRoute({
  method: 'get',
  path: '/sites/{site}/notifications',
  summary: 'Which comments of the site the signed-in member is mailed about',
  request: { params: SiteParams },
  responses: { 200: json(NotificationsSchema, 'The choice, and whether mail is on'), ...ADMIN_ERRORS },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/sites/{site}/notifications',
  summary: 'Choose which comments of the site the signed-in member is mailed about',
  description: '`off`, `held` (comments held for moderation; owners’ default) or `all` (every new comment).',
  request: { params: SiteParams, ...jsonBody(UpdateNotificationsSchema) },
  responses: { 200: json(NotificationsSchema, 'The choice as stored'), ...ADMIN_ERRORS },
});

/** Each member's own mail choice per site (docs/admin-api.md, "Mail"). */
export function registerNotificationRoutes(admin: AdminApp, ctx: AppContext) {
  const { store } = ctx;
  const mail = () => ctx.mailer !== undefined;

  admin.openapi(getRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('param');
    const access = await authorize(store, user, site, 'moderate');
    const level = (await store.listMailPreferences(site)).get(user.id) ?? defaultLevel(access);
    return c.json({ level, mail: mail() }, 200);
  });

  admin.openapi(patchRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('param');
    await authorize(store, user, site, 'moderate');
    const { level } = c.req.valid('json');
    await store.setMailPreference(site, user.id, level);
    return c.json({ level, mail: mail() }, 200);
  });
}
