import { createRoute, z } from '@hono/zod-openapi';
import { ThreadRefSchema } from '../../shared/schemas.ts';
import type { AppContext, ParleyApp } from '../app-context.ts';
import { assertPageUrl, effectiveSettings, siteNotFound } from '../site-settings.ts';
import type { CommentRow } from '../store/schema.ts';
import { THREAD_PAGE_CSS, threadHtml } from '../thread-html.ts';
import { canonicalUrl, threadKey } from '../thread-key.ts';
import { ERROR_RESPONSES, pathParam, SITE_ERRORS } from './responses.ts';

/** Comments a page holds at most: past it, the page links to the blog. Five queries of 200. */
export const THREAD_PAGE_MAX = 1000;
const BATCH = 200;

const threadPageRoute = createRoute({
  method: 'get',
  path: '/threads/{site}',
  summary: "A page's thread as plain HTML, for readers without JavaScript and for search engines",
  description:
    'Every approved comment (up to 1,000), replies nested, as schema.org `Comment` microdata, with a canonical ' +
    'link to the blog page. The embed snippet can link to it from `<noscript>`.',
  request: {
    params: z.object({ site: pathParam('site') }),
    query: ThreadRefSchema.pick({ url: true, pageId: true }),
  },
  responses: {
    200: { description: 'The thread', content: { 'text/html': { schema: z.string() } } },
    304: { description: 'Not modified since the ETag given' },
    400: ERROR_RESPONSES[400],
    404: SITE_ERRORS[404],
    422: ERROR_RESPONSES[422],
  },
});

let policy: Promise<string> | undefined;
/** Nothing loads from anywhere; only the page's own style sheet applies. */
const pagePolicy = () => {
  policy ??= crypto.subtle
    .digest('SHA-256', new TextEncoder().encode(THREAD_PAGE_CSS))
    .then((digest) =>
      [
        "default-src 'none'",
        `style-src 'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`,
        "form-action 'none'",
        "base-uri 'none'",
      ].join('; '),
    );
  return policy;
};

export function registerThreadPageRoutes(app: ParleyApp, { store, config }: AppContext) {
  app.openapi(threadPageRoute, async (c) => {
    const { site: siteId } = c.req.valid('param');
    const { url, pageId } = c.req.valid('query');
    const found = await store.findSiteThread(siteId, threadKey(url, pageId));
    if (!found) throw siteNotFound(siteId);
    const { site, thread } = found;
    assertPageUrl(url, effectiveSettings(site, config));
    const etag = `W/"page.${thread?.version ?? 0}.${site.version}"`;
    const headers = {
      ETag: etag,
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': await pagePolicy(),
      'Content-Type': 'text/html; charset=utf-8',
    };
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304, headers);

    const rows: CommentRow[] = [];
    let truncated = false;
    if (thread) {
      for (;;) {
        const last = rows.at(-1);
        const batch = await store.listThread(thread.id, { sort: 'oldest', after: last?.path, limit: BATCH });
        rows.push(...batch.slice(0, BATCH));
        if (batch.length <= BATCH) break;
        if (rows.length >= THREAD_PAGE_MAX) {
          truncated = true;
          break;
        }
      }
    }
    const html = threadHtml({
      url: thread?.url ?? canonicalUrl(url),
      title: thread?.title ?? null,
      commentCount: thread?.comment_count ?? 0,
      rows,
      truncated,
    });
    return c.body(html, 200, headers);
  });
}
