import type { AdminComment } from '../../../shared/admin-schemas.ts';
import type { AppContext } from '../../app-context.ts';
import { authorize } from '../../auth/access.ts';
import { ApiError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { type EffectiveSettings, effectiveSettings } from '../../site-settings.ts';
import type { ModComment } from '../../store/moderation-store.ts';
import type { ThreadRow, UserRow } from '../../store/schema.ts';
import { toAdminComment } from './views.ts';

/*
 * What the moderation and site routes share: who may act on what, the audit entry every change leaves, and
 * turning stored comments into the dashboard's view with their sites' settings.
 */

const stored = (fields: unknown) => (fields === undefined || fields === null ? null : JSON.stringify(fields));

/**
 * Writes one audit entry (docs/admin-api.md, "Audit"): who, what, on which target, and the fields that changed.
 * The one writer of the audit log; a `before` or `after` left out or null is stored as null.
 *
 * @example await recordAudit(ctx, user, { siteId, action: 'comment.approve', targetId: id, before, after });
 */
export async function recordAudit(
  ctx: AppContext,
  actor: UserRow,
  entry: {
    siteId: string | null;
    action: string;
    targetId: string | null;
    before?: unknown;
    after?: unknown;
    /** Shared by every entry one bulk action writes, so that the log shows the action once. */
    batchId?: string;
  },
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.store.insertAudit({
    id: newId(now),
    site_id: entry.siteId,
    actor_id: actor.id,
    actor_email: actor.email,
    action: entry.action,
    target_id: entry.targetId,
    before_json: stored(entry.before),
    after_json: stored(entry.after),
    created_at: now,
    batch_id: entry.batchId ?? null,
  });
}

/** The keys whose values differ, as `before` and `after` objects holding just those keys. */
export function changes<T extends object>(before: T, after: T) {
  const was: Partial<T> = {};
  const now: Partial<T> = {};
  for (const key of Object.keys(after) as Array<keyof T>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      was[key] = before[key];
      now[key] = after[key];
    }
  }
  return { before: was, after: now, any: Object.keys(now).length > 0 };
}

/** The settings as they apply on each of these sites, in one query. */
async function settingsBySite(
  ctx: AppContext,
  siteIds: Iterable<string>,
): Promise<Map<string, EffectiveSettings>> {
  const ids = [...new Set(siteIds)];
  const sites = await ctx.store.listSites(ids);
  return new Map(sites.map((site) => [site.id, effectiveSettings(site, ctx.config)]));
}

/** Stored comments as moderators see them, with their sites' settings read once. */
export async function adminViews(ctx: AppContext, rows: readonly ModComment[]): Promise<AdminComment[]> {
  if (rows.length === 0) return [];
  const settings = await settingsBySite(
    ctx,
    rows.map((row) => row.thread_site_id),
  );
  const now = ctx.clock.now();
  return rows.flatMap((row) => {
    const site = settings.get(row.thread_site_id);
    return site ? [toAdminComment(row, site, now)] : [];
  });
}

/** A comment the user may moderate: 404 when it does not exist, 403 when it is on a site the user has no role on. */
export async function moderatedComment(ctx: AppContext, user: UserRow, id: string): Promise<ModComment> {
  const [row] = await ctx.store.getModComments([id]);
  if (!row) throw new ApiError(404, 'not_found', 'No such comment');
  await authorize(ctx.store, user, row.thread_site_id, 'moderate');
  return row;
}

/** A thread the user may moderate, with its site's settings: 404 or 403 as for comments. */
export async function moderatedThread(ctx: AppContext, user: UserRow, id: string) {
  const thread: ThreadRow | undefined = await ctx.store.getThread(id);
  if (!thread) throw new ApiError(404, 'not_found', 'No such thread');
  await authorize(ctx.store, user, thread.site_id, 'moderate');
  const site = await ctx.store.getSite(thread.site_id);
  if (!site) throw new ApiError(404, 'not_found', 'No such thread');
  return { thread, settings: effectiveSettings(site, ctx.config) };
}
