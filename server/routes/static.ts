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

const WIDGET_FILE = /^\/(embed\.js|count\.js|i18n\/[a-z]{2}(-[A-Za-z]{2})?\.json)$/;
/** The widget's chunks, loaded by embed.js after its first paint; the build puts a content hash in each name. */
const WIDGET_CHUNK = /^\/w\/[\w-]+-[\w-]{8}\.js$/;
const ADMIN_ASSET = /^\/admin\/assets\/[\w.-]+$/;
const DEMO_SCRIPT = /^\/demo\/[\w-]+\.js$/;

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

const notBuilt = (c: Context) =>
  c.json(new ApiError(404, 'not_found', 'No such file; has `npm run build` run?').toBody(), 404);

// Through the context rather than as a Response of its own, so the headers every answer gets (nosniff) are kept.
async function serve(c: Context, assets: Assets, path: string, headers: Record<string, string>) {
  const file = await assets.get(path);
  if (!file) return notBuilt(c);
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
    return c.body(null, 304, {
      ...headers,
      ...(extra.Vary && { Vary: extra.Vary }),
      ...(etag && { ETag: etag }),
    });
  }
  return c.body(chosen.body ?? '', 200, { ...Object.fromEntries(chosen.headers), ...extra, ...headers });
}

const styleHash = async (css: string) => {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
};

/**
 * The demo page's policy: the widget from this origin (its script, its API and translations, its constructed
 * style sheet, which no policy governs), the page's own inline style sheets by hash, nothing else; never framed.
 */
async function demoPolicy(html: string): Promise<string> {
  const sheets = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(([, css = '']) => styleHash(css));
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${(await Promise.all(sheets)).join(' ')}`.trim(),
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * The built files every runtime serves the same way: the widget (any origin may load it), the dashboard under a
 * strict Content-Security-Policy at `/admin` and below, and the demo blog page at `/`.
 */
export function registerStaticRoutes(app: ParleyApp, assets: Assets) {
  const demo = (path: string) => async (c: Context) => {
    const file = await assets.get(path);
    if (!file) return notBuilt(c);
    const html = await file.text();
    return c.html(html, 200, {
      'Content-Security-Policy': await demoPolicy(html),
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-cache',
    });
  };
  app.get('/', demo('/demo/index.html'));
  // The single-page demo: every post's address is the same page, which shows the post its address names.
  app.get('/spa', demo('/demo/spa.html'));
  app.get('/spa/*', demo('/demo/spa.html'));

  app.get('/*', async (c, next) => {
    const path = c.req.path;
    const chunk = WIDGET_CHUNK.test(path);
    if (chunk || WIDGET_FILE.test(path)) {
      return serve(c, assets, path, {
        // Chunks are modules, fetched with CORS from the blog's origin.
        'Access-Control-Allow-Origin': '*',
        'Cross-Origin-Resource-Policy': 'cross-origin',
        // embed.js keeps its name across releases: revalidated after five minutes (ETag). A chunk's name changes
        // with its content.
        'Cache-Control': chunk ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      });
    }
    if (DEMO_SCRIPT.test(path)) return serve(c, assets, path, { 'Cache-Control': 'no-cache' });
    if (ADMIN_ASSET.test(path)) {
      // Vite puts a content hash in these names: a new build means new names.
      return serve(c, assets, path, { 'Cache-Control': 'public, max-age=31536000, immutable' });
    }
    if ((path === '/admin' || path.startsWith('/admin/')) && !path.startsWith('/admin/api/')) {
      return serve(c, assets, '/admin/index.html', {
        'Content-Security-Policy': ADMIN_CSP,
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-cache',
      });
    }
    await next();
  });
}
