import { createRoute, z } from '@hono/zod-openapi';
import { StatsSchema } from '../../../shared/admin-schemas.ts';
import { text } from '../../../shared/text.ts';
import type { AppContext } from '../../app-context.ts';
import { authorize, moderatedSiteIds } from '../../auth/access.ts';
import { ADMIN_ERRORS, json } from '../responses.ts';
import { type AdminApp, requireSession, signedIn } from './admin-env.ts';

const DAY_MS = 24 * 60 * 60_000;
const DAYS = 30;

const statsRoute = createRoute({
  method: 'get',
  path: '/stats',
  summary: 'Comments per UTC day for the last 30 days, and how many await moderation or are spam',
  middleware: [requireSession],
  request: { query: z.object({ site: text().max(40).optional() }) },
  responses: {
    200: json(StatsSchema, 'Counts for one site, or every site the caller moderates'),
    ...ADMIN_ERRORS,
  },
});

/** The last `DAYS` UTC days up to and including today's, oldest first, as `[start, end)` in epoch ms. */
function dayRanges(now: number): Array<{ day: string; range: [number, number] }> {
  const today = now - (now % DAY_MS);
  return Array.from({ length: DAYS }, (_, i) => {
    const start = today - (DAYS - 1 - i) * DAY_MS;
    return { day: new Date(start).toISOString().slice(0, 10), range: [start, start + DAY_MS] };
  });
}

export function registerStatsRoutes(admin: AdminApp, ctx: AppContext) {
  const { store, clock } = ctx;

  admin.openapi(statsRoute, async (c) => {
    const { user } = signedIn(c);
    const { site } = c.req.valid('query');
    let siteIds: string[] | undefined;
    if (site) {
      await authorize(store, user, site, 'moderate');
      siteIds = [site];
    } else {
      siteIds = await moderatedSiteIds(store, user);
    }
    const days = dayRanges(clock.now());
    const [perDay, byStatus] = await Promise.all([
      store.countCreatedIn(
        siteIds,
        days.map((d) => d.range),
      ),
      store.countByStatus(siteIds),
    ]);
    return c.json(
      {
        perDay: days.map((d, i) => ({ day: d.day, count: perDay[i] ?? 0 })),
        pending: byStatus.pending,
        spam: byStatus.spam,
        approved: byStatus.approved,
      },
      200,
    );
  });
}
