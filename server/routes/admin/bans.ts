import { createRoute, z } from '@hono/zod-openapi';
import { type Ban, BanSchema, CreateBanSchema } from '../../../shared/admin-schemas.ts';
import type { AppContext } from '../../app-context.ts';
import { authorize } from '../../auth/access.ts';
import { ApiError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { BanRow } from '../../store/schema.ts';
import { ADMIN_ERRORS, json, jsonBody, pathParam } from '../responses.ts';
import { type AdminApp, requireSession, signedIn } from './admin-env.ts';
import { recordAudit } from './scope.ts';
import { SiteParams } from './sites.ts';
import { toBanView } from './views.ts';

const BanParams = SiteParams.extend({ id: pathParam('id') });

const listRoute = createRoute({
  method: 'get',
  path: '/sites/{site}/bans',
  summary: "A site's bans, newest first",
  middleware: [requireSession],
  request: { params: SiteParams },
  responses: { 200: json(z.array(BanSchema), 'Bans'), ...ADMIN_ERRORS },
});

const createBanRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/bans',
  summary: "Ban a comment's author by email hash, client hash or both",
  description:
    'Answers with one ban per kind asked for (an existing identical ban is returned, not repeated). A banned ' +
    'commenter’s next comment is refused with 403 `banned`.',
  middleware: [requireSession],
  request: {
    params: SiteParams,
    ...jsonBody(CreateBanSchema),
  },
  responses: { 201: json(z.array(BanSchema), 'The bans'), ...ADMIN_ERRORS },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/sites/{site}/bans/{id}',
  summary: 'Lift a ban',
  middleware: [requireSession],
  request: { params: BanParams },
  responses: { 200: json(z.object({ deleted: z.literal(true) }), 'Lifted'), ...ADMIN_ERRORS },
});

export function registerBanRoutes(admin: AdminApp, ctx: AppContext) {
  const { store, clock } = ctx;

  admin.openapi(listRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('param');
    await authorize(store, user, site, 'moderate');
    return c.json((await store.listBans(site)).map(toBanView), 200);
  });

  admin.openapi(createBanRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('param');
    await authorize(store, user, site, 'moderate');
    const { commentId, kinds, reason } = c.req.valid('json');
    const [comment] = await store.getModComments([commentId]);
    if (!comment || comment.thread_site_id !== site) {
      throw new ApiError(422, 'invalid_input', 'Ban from a comment on this site', {
        commentId: 'No such comment on this site',
      });
    }
    const values = { email: comment.email_hash, client: comment.client_hash };
    if (kinds.includes('email') && !values.email) {
      throw new ApiError(422, 'invalid_input', 'This commenter gave no email address', {
        kinds: 'Ban by client instead',
      });
    }
    const bans: Ban[] = [];
    for (const kind of new Set(kinds)) {
      const value = values[kind] ?? '';
      const existing = await store.findBanOf(site, kind, value);
      if (existing) {
        bans.push(toBanView(existing));
        continue;
      }
      const now = clock.now();
      const ban: BanRow = {
        id: newId(now),
        site_id: site,
        kind,
        value_hash: value,
        label: comment.author_name || 'Anonymous',
        reason,
        created_by: user.id,
        created_at: now,
      };
      await store.insertBan(ban);
      await recordAudit(ctx, user, {
        siteId: site,
        action: 'ban.create',
        targetId: ban.id,
        after: { kind, label: ban.label, reason, commentId },
      });
      bans.push(toBanView(ban));
    }
    return c.json(bans, 201);
  });

  admin.openapi(deleteRoute, async (c) => {
    const { user } = signedIn(c);
    const { site, id } = c.req.valid('param');
    await authorize(store, user, site, 'moderate');
    const ban = await store.getBan(id);
    if (!ban || ban.site_id !== site) throw new ApiError(404, 'not_found', 'No such ban');
    await store.deleteBan(id);
    await recordAudit(ctx, user, {
      siteId: site,
      action: 'ban.delete',
      targetId: id,
      before: { kind: ban.kind, label: ban.label, reason: ban.reason },
    });
    return c.json({ deleted: true as const }, 200);
  });
}
