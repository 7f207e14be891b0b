import { createRoute, z } from '@hono/zod-openapi';
import { ThreadQuerySchema, ThreadRefSchema, ThreadSchema, type ThreadView } from '../../shared/schemas.ts';
import type { AppContext, ParleyApp } from '../app.ts';
import { toCommentView } from '../comment-view.ts';
import { ApiError } from '../errors.ts';
import { isCursor } from '../ids.ts';
import { threadKey } from '../thread-key.ts';
import { ERROR_RESPONSES, json } from './responses.ts';

const threadRoute = createRoute({
  method: 'get',
  path: '/api/comments',
  summary: "One page of a page's thread",
  description: 'Depth-first, flat, with parent ids. Sends an ETag; revalidate with If-None-Match.',
  request: { query: ThreadQuerySchema },
  responses: {
    200: json(ThreadSchema, 'The page of the thread'),
    304: { description: 'Not modified since the ETag given' },
    400: ERROR_RESPONSES[400],
  },
});

const CountsQuerySchema = ThreadRefSchema.pick({ site: true }).extend({
  url: z
    .union([z.string(), z.array(z.string()).max(50)])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .pipe(z.array(ThreadRefSchema.shape.url)),
});

const countsRoute = createRoute({
  method: 'get',
  path: '/api/counts',
  summary: 'Comment counts of up to 50 pages, for index pages',
  request: { query: CountsQuerySchema },
  responses: {
    200: json(z.object({ counts: z.record(z.string(), z.number().int()) }), 'Counts by the URLs asked for'),
    400: ERROR_RESPONSES[400],
  },
});

export function registerThreadRoutes(app: ParleyApp, { store, config, cache }: AppContext) {
  // Part of the ETag, so a change of these settings invalidates what browsers hold.
  const settings = { editWindowMs: config.editWindowMs, maxDepth: config.maxDepth };
  const settingsStamp = `${settings.editWindowMs}.${settings.maxDepth}`;

  app.openapi(threadRoute, async (c) => {
    const { url, pageId, site, sort, cursor, limit } = c.req.valid('query');
    if (cursor !== undefined && !isCursor(cursor)) {
      throw new ApiError(400, 'invalid_input', 'The query is not valid', {
        cursor: 'Not a cursor from this API',
      });
    }
    const key = threadKey(url, pageId);
    const thread = await store.findThread(site ?? 'default', key);
    const version = thread?.version ?? 0;
    const etag = `W/"${version}.${settingsStamp}"`;
    const headers = { ETag: etag, 'Cache-Control': 'no-cache', 'Content-Type': 'application/json' };
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304, headers);

    const cacheKey = `${thread?.id}|${sort}|${cursor ?? ''}|${limit}`;
    let body = thread ? cache.get(cacheKey, version) : undefined;
    if (body === undefined) {
      const rows = thread ? await store.listThread(thread.id, { sort, after: cursor, limit }) : [];
      const page = rows.slice(0, limit);
      const view: ThreadView = {
        thread: {
          key,
          title: thread?.title ?? null,
          locked: thread?.locked === 1,
          commentCount: Number(thread?.comment_count ?? 0),
        },
        comments: page.map(toCommentView),
        nextCursor: rows.length > limit ? (page.at(-1)?.path ?? null) : null,
        settings,
      };
      body = JSON.stringify(view);
      if (thread) cache.set(cacheKey, version, body);
    }
    return c.body(body, 200, headers);
  });

  app.openapi(countsRoute, async (c) => {
    const { url: urls, site } = c.req.valid('query');
    const keys = urls.map((url) => threadKey(url));
    const found = await store.countByKeys(site ?? 'default', keys);
    const counts: Record<string, number> = {};
    urls.forEach((url, i) => {
      counts[url] = found.get(keys[i] ?? '') ?? 0;
    });
    return c.json({ counts }, 200);
  });
}
