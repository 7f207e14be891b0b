import { createRoute } from '@hono/zod-openapi';
import {
  AdminThreadDetailSchema,
  AdminThreadSchema,
  ThreadPatchSchema,
} from '../../../shared/admin-schemas.ts';
import type { AppContext } from '../../app-context.ts';
import { isLocked } from '../../site-settings.ts';
import { ADMIN_ERRORS, IdParams, json, jsonBody } from '../responses.ts';
import { type AdminApp, requireSession, signedIn } from './admin-env.ts';
import { adminViews, moderatedThread, recordAudit } from './scope.ts';
import { toAdminThread } from './views.ts';

const getRoute = createRoute({
  method: 'get',
  path: '/threads/{id}',
  summary: 'A thread with every comment, whatever its status, depth-first',
  middleware: [requireSession],
  request: { params: IdParams },
  responses: { 200: json(AdminThreadDetailSchema, 'The thread'), ...ADMIN_ERRORS },
});

const lockRoute = createRoute({
  method: 'patch',
  path: '/threads/{id}',
  summary: 'Lock a thread to new comments or open it again; change its title',
  description:
    'Opening a thread keeps it open even past the site’s auto-close. The title is what the dashboard, the ' +
    'audit log and exports show for the page.',
  middleware: [requireSession],
  request: {
    params: IdParams,
    ...jsonBody(ThreadPatchSchema),
  },
  responses: { 200: json(AdminThreadSchema, 'The thread as changed'), ...ADMIN_ERRORS },
});

export function registerThreadAdminRoutes(admin: AdminApp, ctx: AppContext) {
  const { store, clock } = ctx;

  admin.openapi(getRoute, async (c) => {
    const { user } = signedIn(c);
    const { thread, settings } = await moderatedThread(ctx, user, c.req.valid('param').id);
    const comments = await adminViews(ctx, await store.listThreadComments(thread.id));
    return c.json({ thread: toAdminThread(thread, settings, clock.now()), comments }, 200);
  });

  admin.openapi(lockRoute, async (c) => {
    const { user } = signedIn(c);
    const { thread, settings } = await moderatedThread(ctx, user, c.req.valid('param').id);
    const { locked, title } = c.req.valid('json');
    const now = clock.now();
    let changed = thread;
    if (title !== undefined && title !== thread.title) {
      await store.setThreadTitle(thread.id, title);
      await recordAudit(ctx, user, {
        siteId: thread.site_id,
        action: 'thread.retitle',
        targetId: thread.id,
        before: { title: thread.title },
        after: { title },
      });
      changed = { ...changed, title };
    }
    const stored = locked === undefined ? thread.locked : locked ? 1 : -1;
    if (locked !== undefined && thread.locked !== stored) {
      await store.setThreadLocked(thread.id, stored as 1 | -1);
      await recordAudit(ctx, user, {
        siteId: thread.site_id,
        action: locked ? 'thread.lock' : 'thread.unlock',
        targetId: thread.id,
        before: { locked: isLocked(thread, settings, now) },
        after: { locked },
      });
      changed = { ...changed, locked: stored };
    }
    return c.json(toAdminThread(changed, settings, now), 200);
  });
}
