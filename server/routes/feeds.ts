import { createRoute, z } from '@hono/zod-openapi';
import { ThreadRefSchema } from '../../shared/schemas.ts';
import type { AppContext, ParleyApp } from '../app-context.ts';
import { atomFeed } from '../feeds/atom.ts';
import { siteNotFound } from '../site-settings.ts';
import { threadKey } from '../thread-key.ts';
import { ERROR_RESPONSES, SITE_ERRORS } from './responses.ts';

/** Entries per feed: the latest comments only. */
export const FEED_LENGTH = 50;

const FeedQuerySchema = ThreadRefSchema.partial({ url: true });

const feedRoute = createRoute({
  method: 'get',
  path: '/api/feed.atom',
  summary: "An Atom feed of a site's latest approved comments, or of one page's",
  description:
    `The latest ${FEED_LENGTH} approved comments, newest first: of the whole site, or with \`url\` (and ` +
    '`pageId`, as the widget would send them) of that page only. Sends an ETag; revalidate with If-None-Match.',
  request: { query: FeedQuerySchema },
  responses: {
    200: { description: 'The feed', content: { 'application/atom+xml': { schema: z.string() } } },
    304: { description: 'Not modified since the ETag given' },
    400: ERROR_RESPONSES[400],
    404: SITE_ERRORS[404],
  },
});

export function registerFeedRoutes(app: ParleyApp, ctx: AppContext) {
  const { store } = ctx;

  app.openapi(feedRoute, async (c) => {
    const { url, pageId, site: siteId = 'default' } = c.req.valid('query');
    const key = url || pageId ? threadKey(url ?? 'https://x.invalid/', pageId) : undefined;
    // A page id alone names the thread; the URL is then only there for the feed's links.
    const found = await store.findSiteThread(siteId, key ?? '');
    if (!found) throw siteNotFound(siteId);
    const { site, thread } = found;
    const version = key
      ? `t${site.version}.${thread?.version ?? 0}`
      : `s${site.version}.${await store.siteCommentsVersion(siteId)}`;
    const etag = `W/"${version}"`;
    const headers = {
      ETag: etag,
      'Cache-Control': 'no-cache',
      'Content-Type': 'application/atom+xml; charset=utf-8',
    };
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304, headers);

    const comments =
      key && !thread
        ? []
        : await store.listFeedComments({ siteId, threadId: thread?.id, limit: FEED_LENGTH });
    const origin = ctx.publicOrigin(c);
    const self = new URL(c.req.url);
    const pageTitle = thread?.title || thread?.url || url || pageId || '';
    const xml = atomFeed({
      self: origin + self.pathname + self.search,
      title: key ? `Comments on ${pageTitle}` : `Comments on ${site.name}`,
      ...((thread?.url ?? url) && { alternate: thread?.url ?? url }),
      updatedFallback: thread?.created_at ?? site.createdAt,
      entryBase: `${origin}/api/comments/`,
      comments,
    });
    return c.body(xml, 200, headers);
  });
}
