import { Kysely } from 'kysely';
import { D1Dialect } from 'kysely-d1';
import { createApp, type ParleyApp } from '../app.ts';
import { configFromEnv } from '../config.ts';
import { ApiError } from '../errors.ts';
import { kyselyStore } from '../store/kysely-store.ts';
import type { Database } from '../store/schema.ts';

/** The bindings `wrangler.jsonc` declares, and the PARLEY_* settings as string vars. */
export interface Env {
  DB: D1Database;
  ASSETS: { fetch(request: Request): Promise<Response> };
  [name: string]: unknown;
}

const WIDGET_FILE = /^\/(embed\.js|i18n\/[\w-]+\.json)$/;

let ready: Promise<ParleyApp> | undefined;

/** Builds the app and migrates the schema once per isolate; a failed attempt is retried by the next request. */
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
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/') {
      // The demo page, unless the build put an index.html at the top (the assets would have answered already).
      return env.ASSETS.fetch(new Request(new URL('/demo/', request.url), request));
    }
    if (WIDGET_FILE.test(pathname)) {
      const asset = await env.ASSETS.fetch(request);
      const response = new Response(asset.body, asset);
      response.headers.set('Access-Control-Allow-Origin', '*');
      response.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
      response.headers.set('Cache-Control', 'public, max-age=300');
      return response;
    }
    let app: ParleyApp;
    try {
      app = await appFor(env);
    } catch (error) {
      console.error('[parley] could not prepare the database', error);
      const body = new ApiError(503, 'unavailable', 'The database is not ready; try again shortly').toBody();
      return Response.json(body, { status: 503, headers: { 'Retry-After': '5' } });
    }
    return app.fetch(request, env, ctx);
  },
};
