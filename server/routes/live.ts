import { createRoute, z } from '@hono/zod-openapi';
import { ErrorSchema, ThreadRefSchema } from '../../shared/schemas.ts';
import { text } from '../../shared/text.ts';
import type { AppContext, ParleyApp } from '../app-context.ts';
import { ApiError } from '../errors.ts';
import { roomOf } from '../live/hub.ts';
import { assertOrigin, effectiveSettings, siteNotFound } from '../site-settings.ts';
import { threadKey } from '../thread-key.ts';
import { ERROR_RESPONSES, json, SITE_ERRORS } from './responses.ts';

const VERSION = /^\d{1,15}$/;

const LiveQuerySchema = ThreadRefSchema.extend({
  since: text().regex(VERSION, 'A thread version').optional().openapi({
    description: "The thread's `version` the reader's page was loaded at; events after it come first",
  }),
});

const LiveHeadersSchema = z.object({
  'last-event-id': text()
    .max(40)
    .optional()
    .openapi({ description: 'Sent by the browser on reconnecting; takes the place of `since`' }),
});

const liveRoute = createRoute({
  method: 'get',
  path: '/api/comments/live',
  summary: "A page's thread as it changes, as Server-Sent Events",
  description:
    "Each event's `data` is a JSON `LiveEvent` (shared/live.ts) and its `id` the thread's version after the " +
    'change: a new, edited, approved, pinned or deleted comment as readers see it, a comment that left the thread ' +
    '(`removed`), or `resync` when changes may have been missed or the thread itself changed. Comments awaiting ' +
    'moderation never appear. A comment line every 25 s keeps proxies from closing it.',
  request: { query: LiveQuerySchema, headers: LiveHeadersSchema },
  responses: {
    200: {
      description: 'The stream, starting with what was missed since `since` or `Last-Event-ID`',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    400: ERROR_RESPONSES[400],
    ...SITE_ERRORS,
    503: json(ErrorSchema, 'This server holds as many live streams as it may; try again after Retry-After'),
  },
});

const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  // nginx buffers proxied answers unless told not to, which would hold events back.
  'X-Accel-Buffering': 'no',
};

export function registerLiveRoutes(app: ParleyApp, { config, versions, live }: AppContext) {
  app.openapi(liveRoute, async (c) => {
    const { url, pageId, site: siteId = 'default', since } = c.req.valid('query');
    const lastId = c.req.valid('header')['last-event-id'];
    const key = threadKey(url, pageId);
    const found = await versions.find(siteId, key);
    if (!found) throw siteNotFound(siteId);
    assertOrigin(c, effectiveSettings(found.site, config));
    // A browser's own Last-Event-ID that is not a version (another server's) is ignored rather than refused.
    const resumeFrom = lastId !== undefined && VERSION.test(lastId) ? lastId : since;
    const stream = await live.open({
      room: roomOf(siteId, key),
      version: found.thread?.version ?? 0,
      since: resumeFrom === undefined ? undefined : Number(resumeFrom),
    });
    if (!stream) {
      throw new ApiError(
        503,
        'unavailable',
        'This server follows as many threads as it can; try again shortly',
        undefined,
        {
          'Retry-After': '30',
        },
      );
    }
    return c.body(stream, 200, STREAM_HEADERS);
  });
}
