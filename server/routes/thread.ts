import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ThreadQuerySchema, ThreadRefSchema, ThreadSchema, type ThreadView } from '../../shared/schemas.ts';
import { text } from '../../shared/text.ts';
import type { AppContext, ParleyApp } from '../app-context.ts';
import { toCommentView } from '../comment-view.ts';
import { ApiError } from '../errors.ts';
import { COMPRESS_MIN_BYTES, type ContentEncoding, negotiateEncoding } from '../http-encoding.ts';
import { publicHeaders, setPublicHeaders } from '../http-guards.ts';
import { cursorAfter, parseCursor } from '../ids.ts';
import { assertOrigin, effectiveSettings, isLocked, settingsFor, siteNotFound } from '../site-settings.ts';
import { threadKey } from '../thread-key.ts';
import { memoizedQuery } from '../validation.ts';
import { ERROR_RESPONSES, json, SITE_ERRORS } from './responses.ts';

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
    403: SITE_ERRORS[403],
    404: SITE_ERRORS[404],
  },
});

const CountsQuerySchema = ThreadRefSchema.pick({ site: true }).extend({
  url: z
    .union([text(), z.array(text()).max(50)])
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
    ...SITE_ERRORS,
  },
});

const UTF8 = new TextEncoder();
const KEYS_KEPT = 1000;

export function registerThreadRoutes(
  app: ParleyApp,
  { store, config, clock, cache, compressor, mailer, versions }: AppContext,
) {
  // Part of the ETag, so a change of the configured fallbacks invalidates what browsers hold.
  const configStamp = `${config.editWindowMs}.${config.maxDepth}`;

  // Validated and keyed once per distinct query, not once per request (validation.ts, `memoizedQuery`).
  const threadQuery = memoizedQuery(ThreadQuerySchema);
  const settingsOf = settingsFor(config);
  const keys = new Map<string, string>();
  const keyOf = (url: string, pageId: string | undefined) => {
    const asked = `${pageId ?? ''}\u0000${url}`;
    let key = keys.get(asked);
    if (key === undefined) {
      key = threadKey(url, pageId);
      if (keys.size >= KEYS_KEPT) keys.delete(keys.keys().next().value as string);
      keys.set(asked, key);
    }
    return key;
  };

  // Browsers of one kind send one Accept-Encoding, word for word: parse each once.
  const encodings = new Map<string, ContentEncoding | undefined>();
  const encodingFor = (accept: string | undefined, offered: readonly ContentEncoding[]) => {
    if (accept === undefined) return undefined;
    if (encodings.has(accept)) return encodings.get(accept);
    const encoding = negotiateEncoding(accept, offered);
    if (encodings.size >= KEYS_KEPT) encodings.delete(encodings.keys().next().value as string);
    encodings.set(accept, encoding);
    return encoding;
  };

  app.openAPIRegistry.registerPath(threadRoute);
  app.get(threadRoute.path, (c) =>
    threadPage(c).catch((error: unknown) => {
      // The onError answer goes out without the middlewares this route runs ahead of.
      setPublicHeaders(c, config.publicUrl);
      throw error;
    }),
  );

  const threadPage = async (c: Context): Promise<Response> => {
    const { url, pageId, site: siteId = 'default', sort, cursor, limit } = threadQuery(c);
    const after = cursor === undefined ? undefined : parseCursor(cursor);
    if (cursor !== undefined && (!after || (sort === 'top') !== (after.votes !== undefined))) {
      throw new ApiError(400, 'invalid_input', 'The query is not valid', {
        cursor: 'Not a cursor from this API',
      });
    }
    const key = keyOf(url, pageId);
    // The path every page view takes: one query for the site and the thread, or none while their versions are known.
    const found = await versions.find(siteId, key);
    if (!found) throw siteNotFound(siteId);
    const { site, thread } = found;
    const settings = settingsOf(site);
    assertOrigin(c, settings);
    const locked = isLocked(thread, settings, clock.now());
    // Everything the page depends on: the thread, the site's settings, the lock (which time alone can change).
    const version = `${thread?.version ?? 0}.${site.version}.${locked ? 1 : 0}`;
    const etag = `W/"${version}.${configStamp}"`;
    // Object.assign, not a spread: V8 builds `{ ...record, more }` as a slow dictionary here (4 µs, measured).
    const headers: Record<string, string> = Object.assign(
      {
        ETag: etag,
        'Cache-Control': 'no-cache',
        'Content-Type': 'application/json',
        Vary: 'Accept-Encoding',
      },
      publicHeaders(c, config.publicUrl),
    );
    if (c.req.header('If-None-Match') === etag) return new Response(null, { status: 304, headers });

    const cacheKey = `${thread?.id}|${sort}|${cursor ?? ''}|${limit}`;
    let body = thread ? cache.get(cacheKey, version) : undefined;
    if (body === undefined) {
      const badge = settings.ownerBadge;
      const [rows, pinned] = thread
        ? await Promise.all([
            store.listThread(thread.id, { sort, after: after?.path, afterVotes: after?.votes, limit }),
            cursor ? [] : store.listPinned(thread.id),
          ])
        : [[], []];
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const view: ThreadView = {
        thread: {
          key,
          title: thread?.title ?? null,
          locked,
          commentCount: thread?.comment_count ?? 0,
          version: thread?.version ?? 0,
        },
        comments: page.map((row) => toCommentView(row, badge)),
        nextCursor: rows.length > limit && last ? cursorAfter(last, sort === 'top') : null,
        pinned: pinned.map((row) => toCommentView(row, badge)),
        settings: {
          editWindowMs: settings.editWindowMs,
          maxDepth: settings.maxDepth,
          requireName: settings.requireName,
          requireEmail: settings.requireEmail,
          moderation: settings.moderation,
          ...(mailer && { mail: true as const }),
        },
      };
      // A TextEncoder always returns a fresh ArrayBuffer-backed array, never a shared one.
      body = UTF8.encode(JSON.stringify(view)) as Uint8Array<ArrayBuffer>;
      if (thread) cache.set(cacheKey, version, body);
    }
    const encoding =
      compressor && thread && body.byteLength >= COMPRESS_MIN_BYTES
        ? encodingFor(c.req.header('Accept-Encoding'), compressor.encodings)
        : undefined;
    if (compressor && encoding) {
      let encoded = cache.getEncoded(cacheKey, version, encoding);
      if (!encoded) {
        encoded = await compressor.compress(body, encoding);
        cache.setEncoded(cacheKey, version, encoding, encoded);
      }
      headers['Content-Encoding'] = encoding;
      return new Response(encoded, { status: 200, headers });
    }
    return new Response(body, { status: 200, headers });
  };
}

/** Comment counts of many pages at once, for index pages (the count script). */
export function registerCountRoutes(app: ParleyApp, { store, config }: AppContext) {
  app.openapi(countsRoute, async (c) => {
    const { url: urls, site: siteId = 'default' } = c.req.valid('query');
    const site = await store.getSite(siteId);
    if (!site) throw siteNotFound(siteId);
    assertOrigin(c, effectiveSettings(site, config));
    const keys = urls.map((url) => threadKey(url));
    const found = await store.countByKeys(siteId, keys);
    const counts: Record<string, number> = {};
    urls.forEach((url, i) => {
      counts[url] = found.get(keys[i] ?? '') ?? 0;
    });
    return c.json({ counts }, 200);
  });
}
