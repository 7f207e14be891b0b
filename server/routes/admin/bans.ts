import { createRoute, z } from '@hono/zod-openapi';
import {
  type Ban,
  BanCreatedSchema,
  type BanDuration,
  BanSchema,
  CreateBanSchema,
} from '../../../shared/admin-schemas.ts';
import type { AppContext } from '../../app-context.ts';
import { authorize } from '../../auth/access.ts';
import { ApiError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { patchedRow } from '../../store/comment-patch.ts';
import type { ModComment } from '../../store/moderation-store.ts';
import type { NewBanRow, UserRow } from '../../store/schema.ts';
import { ADMIN_ERRORS, json, jsonBody, pathParam } from '../responses.ts';
import { type AdminApp, requireSession, signedIn } from './admin-env.ts';
import { adminViews, recordAudit } from './scope.ts';
import { SiteParams } from './sites.ts';
import { toBanView } from './views.ts';

const BanParams = SiteParams.extend({ id: pathParam('id') });

const DAY = 24 * 60 * 60_000;
const DURATION_MS: Record<BanDuration, number | null> = { day: DAY, week: 7 * DAY, forever: null };

// A bound on one request's work; a commenter with more comments than this is banned, and the rest stay listed.
const MAX_DELETED = 1000;

const listRoute = createRoute({
  method: 'get',
  path: '/sites/{site}/bans',
  summary: "A site's bans in force, newest first",
  middleware: [requireSession],
  request: { params: SiteParams },
  responses: { 200: json(z.array(BanSchema), 'Bans'), ...ADMIN_ERRORS },
});

const createBanRoute = createRoute({
  method: 'post',
  path: '/sites/{site}/bans',
  summary: "Ban a comment's author by email hash, client hash or both, for a day, a week or for good",
  description:
    'Answers with one ban per kind asked for (an existing ban of the same commenter is given the new duration, ' +
    'not repeated). A banned commenter’s next comment is refused with 403 `banned` until the ban ends or is ' +
    'lifted. With `deleteComments`, every comment of theirs on the site (matched by the same kinds) is deleted ' +
    'too, up to 1000; the log shows the deletion as one entry.',
  middleware: [requireSession],
  request: {
    params: SiteParams,
    ...jsonBody(CreateBanSchema),
  },
  responses: { 201: json(BanCreatedSchema, 'The bans, and the comments deleted'), ...ADMIN_ERRORS },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/sites/{site}/bans/{id}',
  summary: 'Lift a ban',
  middleware: [requireSession],
  request: { params: BanParams },
  responses: { 200: json(z.object({ deleted: z.literal(true) }), 'Lifted'), ...ADMIN_ERRORS },
});

/** Deletes the banned commenter's comments on the site, as a moderator's delete does, audited as one batch. */
async function deleteTheirComments(
  ctx: AppContext,
  user: UserRow,
  site: string,
  commenter: { emailHash: string | null; clientHash: string | null },
  batchId: string,
): Promise<ModComment[]> {
  const rows = await ctx.store.listCommenterComments(site, commenter, MAX_DELETED);
  const deleted: ModComment[] = [];
  for (const row of rows) {
    const patch = { status: 'deleted', statusReason: 'moderator' } as const;
    await ctx.store.updateComment(row, patch);
    await recordAudit(ctx, user, {
      siteId: site,
      action: 'comment.delete',
      targetId: row.id,
      before: { status: row.status, statusReason: row.status_reason },
      after: { status: 'deleted', statusReason: 'moderator' },
      batchId,
    });
    deleted.push(patchedRow(row, patch));
  }
  return deleted;
}

export function registerBanRoutes(admin: AdminApp, ctx: AppContext) {
  const { store, clock } = ctx;

  admin.openapi(listRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('param');
    await authorize(store, user, site, 'moderate');
    return c.json((await store.listBans(site, clock.now())).map(toBanView), 200);
  });

  admin.openapi(createBanRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('param');
    await authorize(store, user, site, 'moderate');
    const { commentId, kinds, reason, duration, deleteComments } = c.req.valid('json');
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
    const now = clock.now();
    const batchId = newId(now);
    const lasting = DURATION_MS[duration];
    const expiresAt = lasting === null ? null : now + lasting;
    const bans: Ban[] = [];
    for (const kind of new Set(kinds)) {
      const value = values[kind] ?? '';
      const existing = await store.findBanOf(site, kind, value);
      if (existing) {
        const was = existing.expires_at;
        const renewed = { ...existing, expires_at: expiresAt, reason: reason || existing.reason };
        if (was !== expiresAt || renewed.reason !== existing.reason) {
          await store.renewBan(existing.id, { expiresAt, reason: renewed.reason });
          await recordAudit(ctx, user, {
            siteId: site,
            action: 'ban.update',
            targetId: existing.id,
            before: { expiresAt: was, reason: existing.reason },
            after: { expiresAt, reason: renewed.reason },
            batchId,
          });
        }
        bans.push(toBanView(renewed));
        continue;
      }
      const ban: NewBanRow & { expires_at: number | null } = {
        id: newId(now),
        site_id: site,
        kind,
        value_hash: value,
        label: comment.author_name || 'Anonymous',
        reason,
        created_by: user.id,
        created_at: now,
        expires_at: expiresAt,
      };
      await store.insertBan(ban);
      await recordAudit(ctx, user, {
        siteId: site,
        action: 'ban.create',
        targetId: ban.id,
        after: { kind, label: ban.label, reason, commentId, expiresAt },
        batchId,
      });
      bans.push(toBanView(ban));
    }
    const deleted = deleteComments
      ? await deleteTheirComments(
          ctx,
          user,
          site,
          {
            emailHash: kinds.includes('email') ? values.email : null,
            clientHash: kinds.includes('client') ? values.client : null,
          },
          batchId,
        )
      : [];
    return c.json({ bans, deleted: await adminViews(ctx, deleted) }, 201);
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
