import { createRoute, z } from '@hono/zod-openapi';
import { AuditPageSchema } from '../../../shared/admin-schemas.ts';
import { text } from '../../../shared/text.ts';
import type { AppContext } from '../../app.ts';
import { authorize } from '../../auth/access.ts';
import { ApiError } from '../../errors.ts';
import type { AuditRow } from '../../store/schema.ts';
import { ADMIN_ERRORS, json } from '../responses.ts';
import { type AdminApp, signedIn } from './admin-app.ts';
import { requireSession } from './scope.ts';

const PAGE = 50;

const AuditQuerySchema = z.object({
  site: text().max(40).optional(),
  cursor: text()
    .regex(/^[0-9a-z]{16}$/, 'Not a cursor from this API')
    .optional(),
});

const auditRoute = createRoute({
  method: 'get',
  path: '/audit',
  summary: 'The audit log, newest first: a site’s (its owners) or everything (server owners)',
  middleware: [requireSession],
  request: { query: AuditQuerySchema },
  responses: { 200: json(AuditPageSchema, 'One page of entries'), ...ADMIN_ERRORS },
});

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

function toEntry(row: AuditRow) {
  return {
    id: row.id,
    siteId: row.site_id,
    actor: { id: row.actor_id, email: row.actor_email },
    action: row.action,
    targetId: row.target_id,
    before: parse(row.before_json),
    after: parse(row.after_json),
    createdAt: Number(row.created_at),
  };
}

export function registerAuditRoutes(admin: AdminApp, ctx: AppContext) {
  const { store } = ctx;

  admin.openapi(auditRoute, async (c) => {
    const { user } = signedIn(c);
    const { site, cursor } = c.req.valid('query');
    let siteIds: string[] | undefined;
    if (site) {
      await authorize(store, user, site, 'manage');
      siteIds = [site];
    } else if (!user.is_admin) {
      siteIds = (await store.listMemberships(user.id))
        .filter((m) => m.role === 'owner')
        .map((m) => m.site_id);
      if (siteIds.length === 0) {
        throw new ApiError(403, 'forbidden', 'Only site owners and server owners can read the audit log');
      }
    }
    const rows = await store.listAudit({ siteIds, before: cursor, limit: PAGE });
    const page = rows.slice(0, PAGE);
    return c.json(
      { entries: page.map(toEntry), nextCursor: rows.length > PAGE ? (page.at(-1)?.id ?? null) : null },
      200,
    );
  });
}
