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
import { storedCommentView } from '../../comment-view.ts';
import { ApiError } from '../../errors.ts';
import { normalizeOrigin } from '../../site-settings.ts';
import type { Keyset, ModComment } from '../../store/moderation-store.ts';
import { ADMIN_ERRORS, json, jsonBody, pathParam } from '../responses.ts';
import { type AdminApp, requireSession, signedIn } from './admin-env.ts';
import { changes, recordAudit } from './scope.ts';
import { toSiteView } from './views.ts';

const EXPORT_PAGE = 500;

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
    // A download rather than a schema: streamed JSON, `{ site, exportedAt, comments: [...] }`, oldest first.
    200: { description: 'A JSON file as an attachment: `{ site, exportedAt, comments }`, oldest first' },
    ...ADMIN_ERRORS,
  },
});

const normalizeOrigins = (origins: readonly string[]) => [...new Set(origins.map(normalizeOrigin))];

/** A comment in the export: everything the owner needs to move or keep their data. */
function exported(row: ModComment) {
  const view = storedCommentView(row);
  return {
    id: view.id,
    thread: { id: row.thread_id, key: row.thread_key, url: row.thread_url, title: row.thread_title },
    parentId: view.parentId,
    status: view.status,
    statusReason: row.status_reason,
    body: row.body,
    html: view.html,
    author: { name: view.author.name, email: row.author_email, isOwner: view.isOwner },
    pinned: view.pinned,
    editedByModerator: view.editedByModerator,
    createdAt: view.createdAt,
    editedAt: view.editedAt,
  };
}

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
    const encoder = new TextEncoder();
    let after: Keyset | undefined;
    let first = true;
    // Page by page, so a large site never sits in memory whole. A failure midway errors the stream: the download
    // breaks off visibly instead of ending as a shorter, valid-looking file.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const head = { site: { id: site.id, name: site.name }, exportedAt: now };
        controller.enqueue(encoder.encode(`${JSON.stringify(head).slice(0, -1)},"comments":[`));
      },
      async pull(controller) {
        const rows = await store.listSiteComments(siteId, after, EXPORT_PAGE);
        const text = rows.map((row) => JSON.stringify(exported(row))).join(',');
        if (text) controller.enqueue(encoder.encode(first ? text : `,${text}`));
        first &&= rows.length === 0;
        const last = rows.at(-1);
        if (rows.length < EXPORT_PAGE || !last) {
          controller.enqueue(encoder.encode(']}\n'));
          controller.close();
          return;
        }
        after = { createdAt: last.created_at, id: last.id };
      },
    });
    const day = new Date(now).toISOString().slice(0, 10);
    return c.newResponse(stream, 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="parley-${siteId}-${day}.json"`,
    });
  });
}
