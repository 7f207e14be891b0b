import { createRoute, z } from '@hono/zod-openapi';
import {
  CreateSiteSchema,
  type Site,
  SiteSchema,
  type SiteSettings,
  UpdateSiteSchema,
} from '../../../shared/admin-schemas.ts';
import { ErrorSchema } from '../../../shared/schemas.ts';
import type { AppContext } from '../../app-context.ts';
import { authorize } from '../../auth/access.ts';
import { ApiError } from '../../errors.ts';
import { exportStream } from '../../import/parley-export.ts';
import { normalizeOrigin } from '../../site-settings.ts';
import { ADMIN_ERRORS, json, jsonBody, pathParam } from '../responses.ts';
import { type AdminApp, requireSession, signedIn } from './admin-env.ts';
import { changes, recordAudit } from './scope.ts';
import { toSiteView } from './views.ts';

export const SiteParams = z.object({ site: pathParam('site') });

const listRoute = createRoute({
  method: 'get',
  path: '/sites',
  summary: 'The sites the caller has a role on (every site for a server owner), by name',
  middleware: [requireSession],
  responses: { 200: json(z.array(SiteSchema), 'Sites'), ...ADMIN_ERRORS },
});

const createSiteRoute = createRoute({
  method: 'post',
  path: '/sites',
  summary: 'Create a site (server owners only)',
  middleware: [requireSession],
  request: jsonBody(CreateSiteSchema),
  responses: {
    201: json(SiteSchema, 'Created'),
    ...ADMIN_ERRORS,
    409: json(ErrorSchema, 'A site with that id exists'),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/sites/{site}',
  summary: 'One site, with its settings as they apply',
  middleware: [requireSession],
  request: { params: SiteParams },
  responses: { 200: json(SiteSchema, 'The site'), ...ADMIN_ERRORS },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/sites/{site}',
  summary: "Change a site's name or some of its settings (owners)",
  description: 'Settings not sent keep their values. Every thread of the site shows the change at once.',
  middleware: [requireSession],
  request: { params: SiteParams, ...jsonBody(UpdateSiteSchema) },
  responses: { 200: json(SiteSchema, 'The site as changed'), ...ADMIN_ERRORS },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/sites/{site}/export',
  summary: 'Every comment of the site, any status, as a JSON download (owners)',
  middleware: [requireSession],
  request: { params: SiteParams },
  responses: {
    // A download rather than a schema: streamed JSON, one comment a line, oldest first (docs/export-format.md).
    200: { description: 'A JSON file as an attachment, in the format of docs/export-format.md' },
    ...ADMIN_ERRORS,
  },
});

const normalizeOrigins = (origins: readonly string[]) => [...new Set(origins.map(normalizeOrigin))];

export function registerSiteRoutes(admin: AdminApp, ctx: AppContext) {
  const { store, clock, config } = ctx;

  admin.openapi(listRoute, async (c) => {
    const { user } = signedIn(c);
    let sites: Site[];
    if (user.is_admin) {
      sites = (await store.listSites()).map((site) => toSiteView(site, 'admin', config));
    } else {
      const roles = new Map((await store.listMemberships(user.id)).map((m) => [m.site_id, m.role]));
      sites = (await store.listSites([...roles.keys()])).map((site) =>
        toSiteView(site, roles.get(site.id) ?? 'moderator', config),
      );
    }
    return c.json(sites, 200);
  });

  admin.openapi(createSiteRoute, async (c) => {
    const { user } = signedIn(c);
    if (!user.is_admin) throw new ApiError(403, 'forbidden', 'Only a server owner can create sites');
    const input = c.req.valid('json');
    if (await store.getSite(input.id)) {
      throw new ApiError(409, 'conflict', 'That id is taken', { id: 'A site with this id exists' });
    }
    const settings: Partial<SiteSettings> = { origins: normalizeOrigins(input.origins) };
    await store.insertSite({ id: input.id, name: input.name, settings, now: clock.now() });
    const site = await store.getSite(input.id);
    if (!site) throw new Error('The site just created is missing');
    await recordAudit(ctx, user, {
      siteId: site.id,
      action: 'site.create',
      targetId: site.id,
      after: { name: site.name, origins: settings.origins },
    });
    return c.json(toSiteView(site, 'admin', config), 201);
  });

  admin.openapi(getRoute, async (c) => {
    const { user } = signedIn(c);
    const { site: siteId } = c.req.valid('param');
    const access = await authorize(store, user, siteId, 'moderate');
    const site = await store.getSite(siteId);
    if (!site) throw new ApiError(404, 'not_found', 'No such site');
    return c.json(toSiteView(site, access, config), 200);
  });

  admin.openapi(updateRoute, async (c) => {
    const { user } = signedIn(c);
    const { site: siteId } = c.req.valid('param');
    const access = await authorize(store, user, siteId, 'manage');
    const site = await store.getSite(siteId);
    if (!site) throw new ApiError(404, 'not_found', 'No such site');
    const input = c.req.valid('json');
    const patch = { ...input.settings };
    if (patch.origins) patch.origins = normalizeOrigins(patch.origins);
    const overrides = { ...site.overrides, ...patch };
    const name = input.name ?? site.name;

    const before = { name: site.name, ...toSiteView(site, access, config).settings };
    const next = { ...site, name, overrides };
    const diff = changes(before, { name, ...toSiteView(next, access, config).settings });
    await store.updateSite(siteId, { name, settings: overrides });
    if (diff.any) {
      await recordAudit(ctx, user, {
        siteId,
        action: 'site.update',
        targetId: siteId,
        before: diff.before,
        after: diff.after,
      });
    }
    const updated = await store.getSite(siteId);
    if (!updated) throw new ApiError(404, 'not_found', 'No such site');
    return c.json(toSiteView(updated, access, config), 200);
  });

  admin.openapi(exportRoute, async (c) => {
    const { user } = signedIn(c);
    const { site: siteId } = c.req.valid('param');
    await authorize(store, user, siteId, 'manage');
    const site = await store.getSite(siteId);
    if (!site) throw new ApiError(404, 'not_found', 'No such site');
    const now = clock.now();
    const stream = exportStream(store, [site], now);
    const day = new Date(now).toISOString().slice(0, 10);
    return c.newResponse(stream, 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="parley-${siteId}-${day}.json"`,
    });
  });
}
