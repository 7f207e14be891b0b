import { Kysely } from 'kysely';
import { createApp, type ParleyApp } from '../app.ts';
import { configFromEnv } from '../config.ts';
import { ApiError } from '../errors.ts';
import { D1Dialect } from '../store/d1-dialect.ts';
import { kyselyStore } from '../store/kysely-store.ts';
import type { Database } from '../store/schema.ts';

/** The bindings wrangler.jsonc declares, and the PARLEY_* settings as vars (`vars`, or .dev.vars locally). */
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
  [setting: string]: unknown;
}

const WIDGET_FILE = /^\/(embed\.js|i18n\/[\w-]+\.json)$/;

let ready: Promise<ParleyApp> | undefined;

/** Builds the app and migrates D1 once per isolate; after a failure the next request tries again. */
function appFor(env: Env): Promise<ParleyApp> {
  ready ??= (async () => {
    const store = kyselyStore(new Kysely<Database>({ dialect: new D1Dialect({ database: env.DB }) }));
    await store.migrate();
    const vars = Object.entries(env).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    );
    return createApp({
      store,
      config: configFromEnv(Object.fromEntries(vars)),
      clientAddress: (c) => c.req.header('CF-Connecting-IP'),
    });
  })().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    // The demo page; were the build to put an index.html at the top, the assets would answer `/` first.
    if (url.pathname === '/') return env.ASSETS.fetch(new Request(new URL('/demo/', url), request));
    if (WIDGET_FILE.test(url.pathname)) {
      // Any page may load the widget and fetch its translations (wrangler.jsonc sends these paths here first).
      const asset = await env.ASSETS.fetch(request);
      const response = new Response(asset.body, asset);
      response.headers.set('Access-Control-Allow-Origin', '*');
      response.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
      response.headers.set('Cache-Control', 'public, max-age=300');
      return response;
    }
    const app = await appFor(env).catch((error: unknown) => console.error('[parley] D1 is not ready', error));
    if (app) return app.fetch(request, env, ctx);
    const body = new ApiError(503, 'unavailable', 'The database is not ready; try again shortly').toBody();
    return Response.json(body, { status: 503, headers: { 'Retry-After': '5' } });
  },
} satisfies ExportedHandler<Env>;
