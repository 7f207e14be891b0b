import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { IMPORT_BYTES_MAX, LIMITS } from '../shared/limits.ts';
import { ApiError } from './errors.ts';

/*
 * Headers and request checks for every answer and every API route. Headers are set before the handler runs: a middleware that
 * touches the response after `next()` makes Hono copy it, which on Node means re-encoding and re-streaming every
 * body (measured: most of the CPU of serving a cached thread page).
 */

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Retry-After',
};

const PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
  'Access-Control-Max-Age': '86400',
};

const WITH_BODY = new Set(['POST', 'PATCH', 'PUT']);

const tooLarge = () =>
  new ApiError(413, 'payload_too_large', `The request body is over ${LIMITS.requestBytesMax} bytes`);

// Reading the body stream costs Node a full web Request per call, so only bodies without a length go through it.
const streamedBodyLimit = bodyLimit({
  maxSize: LIMITS.requestBytesMax,
  onError: () => {
    throw tooLarge();
  },
});

const CORS_ENTRIES = Object.entries(CORS_HEADERS);

/** Any origin may call the public API (the site's Origin check decides who may write); answers preflights itself. */
export const publicCors: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'OPTIONS') return c.body(null, 204, PREFLIGHT_HEADERS);
  for (const [name, value] of CORS_ENTRIES) c.header(name, value);
  await next();
};

/** An import's upload is the file itself, whatever its type (routes/admin/import.ts bounds its size). */
const UPLOAD_PATH = /^\/admin\/api\/sites\/[^/]+\/import$/;

/** JSON bodies only, of bounded size, except an import's file. */
export const jsonRequests: MiddlewareHandler = async (c, next) => {
  if (!WITH_BODY.has(c.req.method)) return next();
  if (UPLOAD_PATH.test(c.req.path)) {
    if (Number(c.req.header('Content-Length') ?? 0) > IMPORT_BYTES_MAX) {
      throw new ApiError(
        413,
        'payload_too_large',
        `The file is over ${IMPORT_BYTES_MAX} bytes; import it with the CLI`,
      );
    }
    return next();
  }
  const type = c.req.header('Content-Type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  const length = c.req.header('Content-Length');
  if (length === undefined) return streamedBodyLimit(c, next);
  if (Number(length) > LIMITS.requestBytesMax) throw tooLarge();
  await next();
};

/**
 * Whether people reach the dashboard over https: the configured public address decides when there is one (a
 * proxy may not say which scheme it terminated), else the request's own scheme or its proxy's word.
 */
export function isHttps(c: Context, publicUrl: string | undefined): boolean {
  if (publicUrl) return publicUrl.startsWith('https:');
  // A prefix test: this runs on every answer, the read path's included, and needs no parsed URL.
  return c.req.url.startsWith('https:') || c.req.header('X-Forwarded-Proto') === 'https';
}

// A year, as browsers' preload lists ask; no includeSubDomains, which would bind the blogger's other hosts.
const HSTS = 'max-age=31536000';

/**
 * Headers of every answer, whatever its route (static files, errors and 404s too), in one middleware since every
 * request pays for each: `nosniff`, so a browser never sniffs a comment's JSON or a 404 into HTML or script; and
 * on a server people reach over https, Strict-Transport-Security, so browsers come back over https only.
 */
export function answerHeaders(publicUrl: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    c.header('X-Content-Type-Options', 'nosniff');
    if (isHttps(c, publicUrl)) c.header('Strict-Transport-Security', HSTS);
    await next();
  };
}

/**
 * What `answerHeaders` and `publicCors` give an answer, set by a handler itself: the thread read, the most frequent
 * request by far, runs ahead of the middlewares, since a middleware's turn costs about as much as the rest of a 304.
 * For an answer the handler throws (the onError reply).
 */
export function setPublicHeaders(c: Context, publicUrl: string | undefined): void {
  for (const [name, value] of Object.entries(publicHeaders(c, publicUrl))) c.header(name, value);
}

const PUBLIC_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  ...CORS_HEADERS,
};
const PUBLIC_HEADERS_HTTPS: Readonly<Record<string, string>> = {
  ...PUBLIC_HEADERS,
  'Strict-Transport-Security': HSTS,
};

/**
 * The same headers as a record, to assign into an answer's own: a `Response` built with a plain record is written
 * by the Node adapter as it is, where headers set on the context go through a `Headers` object and back (a fifth
 * of a 304's cost, measured).
 */
export function publicHeaders(c: Context, publicUrl: string | undefined): Readonly<Record<string, string>> {
  return isHttps(c, publicUrl) ? PUBLIC_HEADERS_HTTPS : PUBLIC_HEADERS;
}
