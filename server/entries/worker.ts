import { Kysely } from 'kysely';
import { createApp, type ParleyApp } from '../app.ts';
import { type Background, createBackground } from '../background.ts';
import { configFromEnv } from '../config.ts';
import { ApiError } from '../errors.ts';
import { type Assets, registerStaticRoutes } from '../routes/static.ts';
import { D1Dialect, d1Batch, d1Unavailable } from '../store/d1-dialect.ts';
import { kyselyStore } from '../store/kysely-store.ts';
import type { Database } from '../store/schema.ts';
import { guardDialect } from '../store/unavailable.ts';

/** The bindings wrangler.jsonc declares, and the PARLEY_* settings as vars (`vars`, or .dev.vars locally). */
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
  [setting: string]: unknown;
}

/** Built files from the static assets binding; wrangler.jsonc turns off its HTML redirects so paths are exact. */
function bindingAssets(binding: Fetcher): Assets {
  return {
    async get(path) {
      const file = await binding.fetch(new URL(path, 'https://assets.invalid'));
      return file.ok ? file : undefined;
    },
  };
}

let ready: Promise<ParleyApp> | undefined;
let background: Background | undefined;

/** Builds the app and migrates D1 once per isolate; after a failure the next request tries again. */
function appFor(env: Env): Promise<ParleyApp> {
  ready ??= (async () => {
    const dialect = guardDialect(new D1Dialect({ database: env.DB }), d1Unavailable);
    const store = kyselyStore(new Kysely<Database>({ dialect }), d1Batch(env.DB));
    await store.migrate();
    const vars = Object.entries(env).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    );
    background = createBackground((error) => console.error('[parley]', error));
    const app = createApp({
      store,
      background,
      config: configFromEnv(Object.fromEntries(vars)),
      clientAddress: (c) => c.req.header('CF-Connecting-IP'),
    });
    registerStaticRoutes(app, bindingAssets(env.ASSETS));
    return app;
  })().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

export default {
  async fetch(request, env, ctx) {
    const app = await appFor(env).catch((error: unknown) => console.error('[parley] D1 is not ready', error));
    if (app) return app.fetch(request, env, ctx);
    const body = new ApiError(503, 'unavailable', 'The database is not ready; try again shortly').toBody();
    return Response.json(body, {
      status: 503,
      headers: { 'Retry-After': '5', 'X-Content-Type-Options': 'nosniff' },
    });
  },
  /** The cron trigger of wrangler.jsonc: sends what fell due since the last write (webhook retries). */
  async scheduled(_controller, env, ctx) {
    await appFor(env);
    if (background) ctx.waitUntil(background.run());
  },
} satisfies ExportedHandler<Env>;
