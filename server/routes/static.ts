import type { Context } from 'hono';
import type { ParleyApp } from '../app-context.ts';
import { ApiError } from '../errors.ts';
import { type ContentEncoding, negotiateEncoding } from '../http-encoding.ts';

/** Reads a built file (`/embed.js`, `/admin/index.html`…) from wherever the runtime keeps `dist/`. */
export interface Assets {
  /** The file at this path below `dist/`, or undefined when there is none. */
  get(path: string): Promise<Response | undefined>;
  /**
   * Whether the build's brotli and gzip copies (`embed.js.br`, `embed.js.gz`) are to be served by this runtime.
   * Not on Workers, whose edge compresses by itself.
   */
  precompressed?: boolean;
}

/** The dashboard runs under this policy: nothing inline, nothing from elsewhere, never framed. */
export const ADMIN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const WIDGET_FILE = /^\/(embed\.js|i18n\/[a-z]{2}(-[A-Za-z]{2})?\.json)$/;
const ADMIN_ASSET = /^\/admin\/assets\/[\w.-]+$/;

const COMPRESSIBLE = /\.(js|css|json|html|svg|txt)$/;
const SUFFIX: Record<ContentEncoding, string> = { br: '.br', gzip: '.gz' };

/** Whether an `If-None-Match` header names this ETag (weak comparison, as RFC 9110 asks for GET). */
function matches(ifNoneMatch: string | undefined, etag: string | null): boolean {
  if (!ifNoneMatch || !etag) return false;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === bare;
  });
}

async function serve(c: Context, assets: Assets, path: string, headers: Record<string, string>) {
  const file = await assets.get(path);
  if (!file)
    return c.json(new ApiError(404, 'not_found', 'No such file; has `npm run build` run?').toBody(), 404);
  let chosen = file;
  const extra: Record<string, string> = {};
  if (assets.precompressed && COMPRESSIBLE.test(path)) {
    extra.Vary = 'Accept-Encoding';
    const encoding = negotiateEncoding(c.req.header('Accept-Encoding'), ['br', 'gzip']);
    const variant = encoding && (await assets.get(path + SUFFIX[encoding]));
    if (encoding && variant) {
      chosen = variant;
      extra['Content-Encoding'] = encoding;
      extra['Content-Type'] = file.headers.get('Content-Type') ?? 'application/octet-stream';
    }
  }
  const etag = chosen.headers.get('ETag');
  if (matches(c.req.header('If-None-Match'), etag)) {
    const notModified = new Headers({ ...headers, ...(extra.Vary && { Vary: extra.Vary }) });
    if (etag) notModified.set('ETag', etag);
    return new Response(null, { status: 304, headers: notModified });
  }
  const response = new Response(chosen.body, chosen);
  for (const [name, value] of Object.entries({ ...extra, ...headers })) response.headers.set(name, value);
  return response;
}

/**
 * The built files every runtime serves the same way: the widget (any origin may load it), the dashboard under a
 * strict Content-Security-Policy at `/admin` and below, and the demo blog page at `/`.
 */
export function registerStaticRoutes(app: ParleyApp, assets: Assets) {
  app.get('/', (c) => serve(c, assets, '/demo/index.html', { 'Cache-Control': 'no-cache' }));

  app.get('/*', async (c, next) => {
    const path = c.req.path;
    if (WIDGET_FILE.test(path)) {
      return serve(c, assets, path, {
        'Access-Control-Allow-Origin': '*',
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Cache-Control': 'public, max-age=300',
      });
    }
    if (ADMIN_ASSET.test(path)) {
      // Vite puts a content hash in these names: a new build means new names.
      return serve(c, assets, path, { 'Cache-Control': 'public, max-age=31536000, immutable' });
    }
    if ((path === '/admin' || path.startsWith('/admin/')) && !path.startsWith('/admin/api/')) {
      return serve(c, assets, '/admin/index.html', {
        'Content-Security-Policy': ADMIN_CSP,
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      });
    }
    await next();
  });
}
